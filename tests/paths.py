"""Where tests find the project and its bundled files, wherever the test module sits."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "tradewh" / "sample"
QUERIES = ROOT / "sql" / "queries"
