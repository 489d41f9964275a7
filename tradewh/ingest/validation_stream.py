"""Validate a batch of any size with its Great Expectations suite without holding it in pandas.

The audit query is computed once into a temp table (audit_rows) of the columns the suite
reads. Each expectation is evaluated where it is cheapest and still exact:
- row-wise expectations (each row passes or fails on its own) that row_screen translates (not
  null, in set, between, regex, lengths equal, with the kwargs the suites use) are counted in
  DuckDB, all of them in one scan of audit_rows; one the screen proves passing is passed
  without GX. One it finds failing goes to the GX chunk path below, so that a failure keeps
  GX's own shape, counts and samples (bad batches are rare: their speed does not matter);
- GX still validates every batch: the screened expectations run in GX on a bounded sample
  (gx_chunks.SAMPLE_ROWS rows); one GX fails there though the screen passed it goes to the
  chunk path too, with a warning: GX is the judge, the screen only its shortcut;
- the other row-wise expectations (a type, kwarg, column type or regex the screen cannot
  translate exactly, or a regex DuckDB refuses) run in GX on bounded chunks of audit_rows
  (gx_chunks: counts summed, percentages recomputed, the first samples kept);
- set-wise expectations are decided in DuckDB over the whole batch (row count, duplicate keys,
  distinct values); where one fails, GX evaluates it on the offending rows DuckDB selected
  (the duplicated keys' rows, the distinct values), so the failure has GX's own shape;
- any other type runs in GX on the whole batch in one chunk (never wrongly on a part of it).
The result is the same ValidationReport that validate_frame gives.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import duckdb

from tradewh import failpoints
from tradewh.ingest import memory, row_screen
from tradewh.ingest.gx_chunks import (
    CHUNK_ROWS,
    SAMPLE_ROWS,
    quoted,
    row_wise_failures,
    sample_failures,
    suite_of,
)
from tradewh.ingest.gx_frame import gx_frame
from tradewh.ingest.validation import (
    Failure,
    ValidationReport,
    _failure,
    _run_gx,
    columns_read,
    load_suite,
)
from tradewh.store.sqlfiles import sql_text

log = logging.getLogger("tradewh.ingest.validation_stream")

ROW_WISE = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_not_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_not_match_regex",
        "expect_column_value_lengths_to_equal",
        "expect_column_value_lengths_to_be_between",
    }
)
UNIQUENESS = frozenset(
    {"expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique"}
)
DISTINCT = frozenset({"expect_column_distinct_values_to_contain_set"})
ROW_COUNT = "expect_table_row_count_to_be_between"


def _sql(sql_dir: Path, name: str, **identifiers: str) -> str:
    return sql_text(sql_dir, "validation", name).format(**identifiers)


def _columns(expectation: dict[str, Any]) -> list[str]:
    kwargs = expectation.get("kwargs", {})
    if "column_list" in kwargs:
        return [str(c) for c in kwargs["column_list"]]
    return [str(kwargs["column"])] if "column" in kwargs else []


def _resolve(value: Any, parameters: dict[str, Any]) -> Any:
    if isinstance(value, dict) and "$PARAMETER" in value:
        return parameters.get(value["$PARAMETER"])
    return value


def _row_count_failure(
    expectation: dict[str, Any], rows: int, parameters: dict[str, Any]
) -> Failure | None:
    kwargs = expectation.get("kwargs", {})
    low = _resolve(kwargs.get("min_value"), parameters)
    high = _resolve(kwargs.get("max_value"), parameters)
    if (low is None or rows >= low) and (high is None or rows <= high):
        return None
    return Failure(
        expectation=ROW_COUNT,
        column=None,
        severity=str(expectation.get("severity") or "critical"),
        observed=rows,
        unexpected_count=None,
        samples=[],
        why=(expectation.get("meta") or {}).get("why"),
    )


def validate_query(
    con: duckdb.DuckDBPyConnection,
    audit_sql: str,
    dataset: str,
    suite_path: Path,
    sql_dir: Path,
    parameters: dict[str, Any] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> ValidationReport:
    """Validate what `audit_sql` returns on `con` with the suite at `suite_path`."""
    _, raw = load_suite(suite_path)  # refuses a suite whose expectations GX would drop
    parameters = parameters or {}
    query = audit_sql.strip().rstrip(";")
    available = list(con.sql(query).columns)
    read = columns_read(raw)
    selected = [c for c in available if read is None or c in read]
    # Computed once, only the columns the suite reads: every check below reads this table.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE audit_rows AS SELECT {quoted(selected)} FROM ({query})"
    )
    rows = int(con.execute(_sql(sql_dir, "row_count")).fetchone()[0])
    try:
        return _validate(
            con, raw, dataset, sql_dir, parameters, chunk_rows, available, selected, rows
        )
    finally:
        con.execute("DROP TABLE IF EXISTS audit_rows")
        memory.release(rows)  # the chunks' pandas frames and GX's results, before the publish


def _validate(
    con: duckdb.DuckDBPyConnection,
    raw: dict[str, Any],
    dataset: str,
    sql_dir: Path,
    parameters: dict[str, Any],
    chunk_rows: int,
    available: list[str],
    selected: list[str],
    rows: int,
) -> ValidationReport:
    expectations: list[dict[str, Any]] = raw.get("expectations", [])
    row_ids = raw.get("meta", {}).get("row_id_columns", [])

    failures: dict[int, Failure] = {}
    in_chunks: list[int] = []
    screened: list[row_screen.Check] = []
    types = _column_types(con)
    whole_batch = False
    for position, expectation in enumerate(expectations):
        kind = expectation.get("type")
        names = _columns(expectation)
        known = all(name in available for name in names)
        if kind == ROW_COUNT and set(expectation.get("kwargs", {})) <= {"min_value", "max_value"}:
            failure = _row_count_failure(expectation, rows, parameters)
        elif kind in UNIQUENESS and known and names:
            failure = _duplicates(
                con, sql_dir, raw, dataset, position, names, selected, row_ids, rows, parameters
            )
        elif kind in DISTINCT and known and names:
            values = con.sql(_sql(sql_dir, "distinct_values", column=quoted(names)))
            failure = _single(raw, dataset, position, values, row_ids, parameters)
        elif kind in ROW_WISE and (
            check := row_screen.translate(position, expectation, types, parameters)
        ):
            screened.append(check)
            continue
        else:
            # Row-wise (or a missing column, which GX reports on the first chunk as it would
            # on the whole batch); a type not known to be row-wise needs the whole batch.
            in_chunks.append(position)
            whole_batch = whole_batch or kind not in ROW_WISE
            continue
        if failure is not None:
            failures[position] = failure

    in_chunks += _screened_out(con, sql_dir, raw, dataset, parameters, screened, selected)
    if in_chunks:
        failures.update(
            row_wise_failures(
                con,
                raw,
                dataset,
                parameters,
                sorted(in_chunks),
                whole_batch,
                rows,
                chunk_rows,
                selected,
            )
        )
    failpoints.reach("validate.mid")
    ordered = [failures[p] for p in sorted(failures)]
    return ValidationReport(
        dataset=dataset,
        suite=raw.get("name", dataset),
        evaluated=len(expectations),
        passed=len(expectations) - len(ordered),
        failures=ordered,
    )


def _column_types(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    audit = con.table("audit_rows")
    return {name: str(kind) for name, kind in zip(audit.columns, audit.types, strict=True)}


def _screened_out(
    con: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    raw: dict[str, Any],
    dataset: str,
    parameters: dict[str, Any],
    screened: list[row_screen.Check],
    selected: list[str],
) -> list[int]:
    """The screened expectations GX must judge on the whole batch (suite positions): those the
    screen found failing or could not decide, and those GX fails on the sample."""
    verdicts = row_screen.screen(con, sql_dir, screened)
    passed = [
        c.position for c in screened if c.position in verdicts and verdicts[c.position].passed
    ]
    out = [c.position for c in screened if c.position not in passed]
    if not passed:
        return out
    # The screen is a translation of GX's semantics, and a translation can be wrong where no
    # test looked (a dtype, a GX upgrade). GX on a bounded sample costs a fraction of a second
    # and would catch such a bug on the first batch that shows it; where GX and the screen
    # disagree, GX is right: the expectation is judged by GX on the whole batch.
    sample = _sql(sql_dir, "sample_rows", columns=quoted(selected), rows=str(SAMPLE_ROWS))
    disagreed = sample_failures(con, sample, raw, dataset, parameters, passed)
    for position in disagreed:
        log.warning(
            "%s: the DuckDB screen passed expectation %d (%s) but GX fails it on a sample: "
            "GX judges it on the whole batch (a bug in tradewh/ingest/row_screen.py)",
            dataset,
            position,
            raw["expectations"][position].get("type"),
        )
    return out + disagreed


def _single(
    raw: dict[str, Any],
    dataset: str,
    position: int,
    rows: duckdb.DuckDBPyRelation,
    row_ids: list[str],
    parameters: dict[str, Any],
) -> Failure | None:
    """One expectation in GX on the rows DuckDB selected for it."""
    suite = suite_of(raw, [position])
    [item] = _run_gx(gx_frame(rows), dataset, suite, row_ids, parameters)
    if item.success:
        return None
    return _failure(item.expectation_config, item.result or {}, item.exception_info)


def _duplicates(
    con: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    raw: dict[str, Any],
    dataset: str,
    position: int,
    keys: list[str],
    selected: list[str],
    row_ids: list[str],
    rows: int,
    parameters: dict[str, Any],
) -> Failure | None:
    duplicated = con.execute(_sql(sql_dir, "duplicate_keys", keys=quoted(keys))).fetchone()[0]
    if not duplicated:
        return None
    columns = [c for c in selected if c in set(keys) | set(row_ids)]
    duplicates = con.sql(
        _sql(sql_dir, "duplicate_rows", keys=quoted(keys), columns=quoted(columns))
    )
    failure = _single(raw, dataset, position, duplicates, row_ids, parameters)
    if failure is None or not rows or failure.unexpected_count is None:
        return failure
    # GX saw only the duplicated rows: its percentage is of those, not of the batch.
    percent = 100.0 * failure.unexpected_count / rows
    return Failure(**{**failure.__dict__, "unexpected_percent": percent})
