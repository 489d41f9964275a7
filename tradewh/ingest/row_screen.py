"""Row-wise expectations decided in DuckDB: one scan of audit_rows counts, for every expectation
it can translate, the rows Great Expectations (pandas) would call unexpected.

Each translation is an exact predicate with GX's pandas semantics, on the frame gx_frame makes
of the same rows: NULL (and NaN in a float column) is *missing*, ignored but by the null
expectation; `$PARAMETER` values are resolved; a bound is compared in the type pandas compares
it in (dates as timestamps); `mostly` is judged as GX judges it. What it cannot translate
exactly (another type or kwarg, mixed value sets, a regex RE2 reads differently, a column type
pandas compares otherwise) is left out, and so left to GX.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from tradewh.ingest.python_regex import to_re2
from tradewh.store.sqlfiles import identifier, sql_text

log = logging.getLogger("tradewh.ingest.row_screen")

NOT_NULL = "expect_column_values_to_not_be_null"
IN_SET = "expect_column_values_to_be_in_set"
BETWEEN = "expect_column_values_to_be_between"
REGEX = "expect_column_values_to_match_regex"
LENGTH = "expect_column_value_lengths_to_equal"
KWARGS = {
    NOT_NULL: {"column", "mostly"},
    IN_SET: {"column", "value_set", "mostly"},
    BETWEEN: {"column", "min_value", "max_value", "strict_min", "strict_max", "mostly"},
    REGEX: {"column", "regex", "mostly"},
    LENGTH: {"column", "value", "mostly"},
}

# Column types and how pandas holds them (gx_frame): integers as int64 or, with nulls, float64;
# floats as float64 (NaN missing); dates and timestamps as datetime64[ns]. BIGINT beyond 2**53
# with nulls in the batch would be rounded by pandas, not here: trade counts never get there.
INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}
FLOATING = {"DOUBLE"}
STAMPS = {"DATE", "TIMESTAMP"}
SCALAR = INTEGER | FLOATING | STAMPS | {"VARCHAR", "BOOLEAN"}
# A bound GX reads as a date-time: a date alone becomes a `date` that pandas refuses to compare
# with datetime64 (GX fails the expectation with an exception: its verdict, not ours).
ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?")


@dataclass(frozen=True)
class Check:
    """One expectation as SQL: a boolean per row, counted over audit_rows."""

    position: int
    unexpected: str  # true for a non-missing row GX would call unexpected
    considered: str | None  # the rows GX divides by (None: all of them, the null check)
    undecided: str | None  # true for a row this translation cannot speak for
    mostly: float


@dataclass(frozen=True)
class Verdict:
    passed: bool
    unexpected: int
    considered: int


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _resolve(value: Any, parameters: dict[str, Any]) -> Any:
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        if value["$PARAMETER"] not in parameters:
            raise _Refused
        return parameters[value["$PARAMETER"]]
    return value


class _Refused(Exception):
    """Not translatable exactly: GX judges this expectation."""


def translate(
    position: int,
    expectation: dict[str, Any],
    column_types: dict[str, str],
    parameters: dict[str, Any],
) -> Check | None:
    """The expectation as a Check, or None when only GX can judge it."""
    kind = expectation.get("type")
    raw = expectation.get("kwargs") or {}
    if kind not in KWARGS or not set(raw) <= KWARGS[kind] or "column" not in raw:
        return None
    try:
        kwargs = {key: _resolve(value, parameters) for key, value in raw.items()}
        column = kwargs["column"]
        if not isinstance(column, str) or column_types.get(column) not in SCALAR:
            raise _Refused
        sql_type = column_types[column]
        mostly = kwargs.get("mostly", 1.0)
        if isinstance(mostly, bool) or not isinstance(mostly, int | float):
            raise _Refused
        name = identifier(column)
        missing = f"({name} IS NULL" + (f" OR isnan({name}))" if sql_type in FLOATING else ")")
        if kind == NOT_NULL:
            return Check(position, missing, None, None, float(mostly))
        undecided = None
        if kind == IN_SET:
            bad = _not_in_set(name, sql_type, kwargs["value_set"])
        elif kind == BETWEEN:
            bad = _not_between(name, sql_type, kwargs)
        elif kind == REGEX:
            bad, undecided = _not_matching(name, sql_type, kwargs["regex"])
        else:
            bad = _not_of_length(name, sql_type, kwargs["value"])
        considered = f"NOT {missing}"
        undecided = f"{considered} AND {undecided}" if undecided else None
        return Check(position, f"{considered} AND ({bad})", considered, undecided, float(mostly))
    except _Refused:
        return None


def _number(value: Any) -> str:
    """A number literal typed as Python holds it (int exact, float as DOUBLE)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Refused
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise _Refused
        return str(value)
    if not math.isfinite(value):
        raise _Refused
    return f"CAST('{value!r}' AS DOUBLE)"


def _not_in_set(name: str, sql_type: str, values: Any) -> str:
    if not isinstance(values, list):
        raise _Refused
    if sql_type == "VARCHAR" and all(isinstance(v, str) for v in values):
        literals = [_text(v) for v in values]
    elif sql_type == "BOOLEAN" and all(isinstance(v, bool) for v in values):
        literals = ["true" if v else "false" for v in values]
    elif sql_type in INTEGER | FLOATING and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    ):
        literals = [_number(v) for v in values]
    else:  # mixed or foreign types: pandas' isin compares them its own way
        raise _Refused
    return f"{name} NOT IN ({', '.join(literals)})" if literals else "true"


def _not_between(name: str, sql_type: str, kwargs: dict[str, Any]) -> str:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    strict = (kwargs.get("strict_min", False), kwargs.get("strict_max", False))
    if (low is None and high is None) or not all(isinstance(s, bool) for s in strict):
        raise _Refused
    try:
        if low is not None and high is not None and low > high:
            raise _Refused  # GX raises: its failure, not ours
    except TypeError as exc:
        raise _Refused from exc
    if sql_type in STAMPS:
        value, literal = f"CAST({name} AS TIMESTAMP)", _stamp
    elif sql_type in INTEGER | FLOATING:
        value, literal = name, _number
    else:
        raise _Refused
    parts = []
    if low is not None:
        parts.append(f"{value} {'<=' if strict[0] else '<'} {literal(low)}")
    if high is not None:
        parts.append(f"{value} {'>=' if strict[1] else '>'} {literal(high)}")
    return " OR ".join(parts)


def _stamp(value: Any) -> str:
    """An ISO date-time string (GX parses it with dateutil) as a TIMESTAMP literal."""
    if not isinstance(value, str) or not ISO_STAMP.fullmatch(value):
        raise _Refused
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise _Refused from exc
    return f"TIMESTAMP '{parsed.isoformat(sep=' ')}'"


def _not_matching(name: str, sql_type: str, regex: Any) -> tuple[str, str | None]:
    pattern = to_re2(regex) if sql_type == "VARCHAR" else None
    if pattern is None:
        raise _Refused
    undecided = f"ends_with({name}, chr(10))" if pattern.ends_at_newline_differs else None
    return f"NOT regexp_matches({name}, {_text(pattern.pattern)})", undecided


def _not_of_length(name: str, sql_type: str, value: Any) -> str:
    # pandas counts code points (str.len), as DuckDB's length() does.
    if sql_type != "VARCHAR" or isinstance(value, bool) or not isinstance(value, int):
        raise _Refused
    return f"length({name}) <> {value}"


def screen(
    con: duckdb.DuckDBPyConnection, sql_dir: Path, checks: list[Check]
) -> dict[int, Verdict]:
    """The verdicts of `checks` on audit_rows, by suite position, from one scan. A check
    DuckDB refuses (a regex RE2 rejects...) or cannot decide has no verdict: GX judges it."""
    if not checks:
        return {}
    try:
        return _scan(con, sql_dir, checks)[1]
    except duckdb.Error:
        pass  # one check is at fault: find it, one query each (rare: a suite's regex changed)
    verdicts: dict[int, Verdict] = {}
    for check in checks:
        try:
            verdicts.update(_scan(con, sql_dir, [check])[1])
        except duckdb.Error as exc:
            log.info("expectation %d left to GX: DuckDB refused it (%s)", check.position, exc)
    return verdicts


def screen_with(
    con: duckdb.DuckDBPyConnection, sql_dir: Path, checks: list[Check], leading: list[str]
) -> tuple[list[pa.Scalar], dict[int, Verdict]] | None:
    """The `leading` aggregates of audit_rows (the batch's other figures: its row count, its
    duplicate keys, GX's sample), as Arrow scalars, and the verdicts of `checks`, from the same
    one scan; None where DuckDB refuses the query (the caller then asks for each apart)."""
    try:
        return _scan(con, sql_dir, checks, leading)
    except duckdb.Error:
        return None


def _scan(
    con: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    checks: list[Check],
    leading: list[str] | None = None,
) -> tuple[list[pa.Scalar], dict[int, Verdict]]:
    counts = list(leading or [])
    for check in checks:
        counts += [
            # count(*) FILTER, not count_if: 0 on an empty batch, not NULL.
            f"count(*) FILTER (WHERE {check.unexpected})",
            f"count(*) FILTER (WHERE {check.considered})" if check.considered else "count(*)",
            f"count(*) FILTER (WHERE {check.undecided})" if check.undecided else "0",
        ]
    query = sql_text(sql_dir, "validation", "row_screen").format(counts=",\n    ".join(counts))
    # Through Arrow: a leading aggregate may be a list of rows (GX's sample), kept as Arrow.
    table = con.execute(query).fetch_arrow_table()
    first = [table.column(i)[0] for i in range(len(leading or []))]
    row = [table.column(i)[0].as_py() for i in range(len(leading or []), table.num_columns)]
    verdicts = {}
    for index, check in enumerate(checks):
        unexpected, considered, undecided = row[3 * index : 3 * index + 3]
        if undecided:
            continue
        verdicts[check.position] = Verdict(
            _success(considered, unexpected, check.mostly), unexpected, considered
        )
    return first, verdicts


def _success(considered: int, unexpected: int, mostly: float) -> bool:
    """GX's own rule (ColumnMapExpectation._validate, _mostly_success): nothing considered is
    vacuously true, else the share of good rows must reach `mostly`."""
    if considered == 0:
        return True
    return (float(considered) - float(unexpected)) / float(considered) >= mostly
