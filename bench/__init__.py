"""Benchmarks of issue 7: `make bench`, or `python -m bench.run` (bench/README.md)."""
