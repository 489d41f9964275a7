"""Census International Trade API: U.S. goods exports and general imports by partner, monthly,
Census basis, not seasonally adjusted, whole dollars; all commodities and by end-use (and by HS
code when asked for: constants.HS_LEVEL).

One payload per flow and span of months: a JSON array of arrays, header row first, every cell a
string, the predicates (`time`, `COMM_LVL`) appended as columns, one row per line. An empty body
is the API's 204 "no data for these months" (before 2010, or not released yet).

Reading: json.loads and a loop per row, the reference; a large payload (HS10 detail is millions
of rows) is first read by DuckDB's JSON reader, which is used only where it provably read
exactly what json.loads would have (see fast_reader); anything else goes the reference way."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tradewh.sources import Parsed, PathBatch
from tradewh.sources.census_api import asking
from tradewh.sources.census_api.asking import months_to_request, requests, requests_for_range
from tradewh.sources.census_api.direct_stage import stage_path as _stage_path
from tradewh.sources.census_api.fast_reader import parse_fast, parse_fast_path
from tradewh.sources.census_api.reference_reader import parse_reference
from tradewh.sources.spec import Calendar, Source

NAME = "census_api"
DATASET = "census_api"
STAGING = "observations"
# Its own audit: only the one consistency column its suite reads (the SQL file says why).
AUDITS = {DATASET: "audit_census_api"}
# The API answers a month not yet released with an empty body: no data yet, not an error.
EMPTY_MEANS_NO_DATA = True
SUFFIX = ".json"
# Payloads from this size are read by DuckDB first (fast_reader); below it json.loads is as quick.
FAST_PARSE_MIN_BYTES = 1 << 20


def parse_path(path: Path, url: str | None = None) -> Parsed:
    """parse of a landed file: a large one read by DuckDB where it lies, without holding its
    body (tests/sources/test_census_api.py: the same table as parse of its bytes)."""
    if path.stat().st_size >= FAST_PARSE_MIN_BYTES:
        parsed = parse_fast_path(path)
        if parsed is not None:
            return parsed
    return parse(path.read_bytes(), url=url)


def stage_path(
    con: duckdb.DuckDBPyConnection, path: Path, url: str | None = None
) -> PathBatch | None:
    """A large landed file made the relation `batch` by DuckDB reading it where it lies (the
    rows parse_path would give: tests/sources/test_census_api_direct_stage.py), or None."""
    if path.stat().st_size < FAST_PARSE_MIN_BYTES:
        return None
    return _stage_path(con, path, url)


def parse(payload: bytes, url: str | None = None) -> Parsed:
    """Rows of OBSERVATION_SCHEMA; raises ParseError for anything but the API's JSON or 204."""
    if len(payload) >= FAST_PARSE_MIN_BYTES:
        parsed = parse_fast(payload)
        if parsed is not None:
            return parsed
    return parse_reference(payload)


__all__ = [
    "FAST_PARSE_MIN_BYTES",
    "asking",
    "months_to_request",
    "parse",
    "parse_fast",
    "parse_fast_path",
    "parse_path",
    "parse_reference",
    "stage_path",
    "requests",
    "requests_for_range",
]


SOURCE = Source(
    name=NAME,
    dataset=DATASET,
    staging=STAGING,
    audits=AUDITS,
    suffix=SUFFIX,
    empty_means_no_data=EMPTY_MEANS_NO_DATA,
    precedence=3,
    calendar=Calendar(
        lag_days=37, note="Census International Trade API, updated on FT-900 release day"
    ),
    requests=requests,
    requests_for_range=requests_for_range,
    parse=parse,
    parse_path=parse_path,
    stage_path=stage_path,
)
