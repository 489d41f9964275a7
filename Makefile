# Everything a fresh machine needs, from Python 3.11+ alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-slow lint sample clean bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

## The nightly refresh, once, on the bundled sample archive.
run: $(STAMP)
	$(BIN)/tradewh refresh

## Lint, then the whole test suite (large cases excluded: see test-slow).
test: $(STAMP) lint
	$(BIN)/python -m pytest -m "not slow"

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy

## Rebuild the sample archive from ../shared/reference (developers only).
sample: $(STAMP)
	$(BIN)/python -m tradewh.sample.build --reference ../shared/reference

clean:
	rm -rf $(VENV) data

## The benchmarks of issue 7 (bench/README.md): figures printed and written to bench/results/.
## A quick look: make bench BENCH_ARGS="--sizes 100k --reps 1 --only ingest"
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --editable '.[dev,bench]'
	$(BIN)/python -m bench.run $(BENCH_ARGS)
