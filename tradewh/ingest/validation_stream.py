"""Validate a batch of any size with its Great Expectations suite without holding it in pandas.

The audit query is computed once into a temp table (audit_rows) of the columns the suite
reads. Each expectation is evaluated where it is
cheapest and still exact:
- row-wise expectations (each row passes or fails on its own: not null, in set, between, regex,
  lengths) run in GX on bounded chunks of the view, only the columns the suite reads; the
  chunks' results are merged (counts summed, percentages recomputed, the first samples kept);
- set-wise expectations are decided in DuckDB over the whole batch (row count, duplicate keys,
  distinct values); where one fails, GX evaluates it on the offending rows DuckDB selected
  (the duplicated keys' rows, the distinct values), so the failure has GX's own shape;
- any other type runs in GX on the whole batch in one chunk (never wrongly on a part of it).
The result is the same ValidationReport that validate_frame gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from tradewh import failpoints
from tradewh.ingest import memory
from tradewh.ingest.gx_frame import gx_frame
from tradewh.ingest.validation import (
    SAMPLE_SIZE,
    Failure,
    ValidationReport,
    _failure,
    _run_gx,
    columns_read,
    load_suite,
    with_ids,
)
from tradewh.store.sqlfiles import sql_text

# Rows handed to GX at once: a chunk in pandas (the suite's columns only) plus what GX builds
# from it is about 0.6 KB a row; 200k rows keep that near 120 MB (issue 12: peak RSS under 1 GB).
CHUNK_ROWS = 200_000

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


def _quoted(names: list[str]) -> str:
    return ", ".join('"' + name.replace('"', '""') + '"' for name in names)


def _columns(expectation: dict[str, Any]) -> list[str]:
    kwargs = expectation.get("kwargs", {})
    if "column_list" in kwargs:
        return [str(c) for c in kwargs["column_list"]]
    return [str(kwargs["column"])] if "column" in kwargs else []


@dataclass
class _Merged:
    """One row-wise expectation's results over the chunks seen so far."""

    config: Any = None
    success: bool = True
    element_count: int = 0
    missing_count: int = 0
    unexpected_count: int = 0
    samples: list[Any] = field(default_factory=list)
    index_samples: list[Any] = field(default_factory=list)
    observed: Any = None
    exception: dict[str, Any] | None = None

    def add(self, item: Any) -> None:
        self.config = item.expectation_config
        details = item.result or {}
        self.success = self.success and bool(item.success)
        self.element_count += int(details.get("element_count") or 0)
        self.missing_count += int(details.get("missing_count") or 0)
        self.unexpected_count += int(details.get("unexpected_count") or 0)
        room = SAMPLE_SIZE - len(self.samples)
        self.samples += list(details.get("partial_unexpected_list") or [])[:room]
        room = SAMPLE_SIZE - len(self.index_samples)
        self.index_samples += list(details.get("partial_unexpected_index_list") or [])[:room]
        if details.get("observed_value") is not None:
            self.observed = details["observed_value"]
        if (
            self.exception is None
            and item.exception_info
            and (item.exception_info.get("raised_exception"))
        ):
            self.exception = item.exception_info

    def failure(self) -> Failure | None:
        mostly = (self.config.kwargs or {}).get("mostly")
        nonmissing = self.element_count - self.missing_count
        percent = 100.0 * self.unexpected_count / nonmissing if nonmissing else None
        if mostly is not None and self.exception is None and nonmissing:
            # Each chunk judged "mostly" on its own part; the batch is judged on the whole.
            self.success = self.unexpected_count / nonmissing <= 1 - float(mostly)
        if self.success:
            return None
        details = {
            "observed_value": self.observed,
            "unexpected_count": self.unexpected_count,
            "unexpected_percent": percent,
            "partial_unexpected_list": self.samples,
            "partial_unexpected_index_list": self.index_samples,
        }
        return _failure(self.config, details, self.exception)


def _suite(raw: dict[str, Any], positions: list[int]) -> Any:
    """A suite of some of `raw`'s expectations (ids: their positions in the file)."""
    import great_expectations as gx

    expectations = [raw["expectations"][p] for p in positions]
    return gx.ExpectationSuite(**with_ids({**raw, "expectations": expectations}, positions))


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
        f"CREATE OR REPLACE TEMP TABLE audit_rows AS SELECT {_quoted(selected)} FROM ({query})"
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
            values = con.sql(_sql(sql_dir, "distinct_values", column=_quoted(names)))
            failure = _single(raw, dataset, position, values, row_ids, parameters)
        else:
            # Row-wise (or a missing column, which GX reports on the first chunk as it would
            # on the whole batch); a type not known to be row-wise needs the whole batch.
            in_chunks.append(position)
            whole_batch = whole_batch or kind not in ROW_WISE
            continue
        if failure is not None:
            failures[position] = failure

    if in_chunks:
        failures.update(
            _row_wise_failures(
                con, raw, dataset, parameters, in_chunks, whole_batch, rows, chunk_rows, selected
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


def _row_wise_failures(
    con: duckdb.DuckDBPyConnection,
    raw: dict[str, Any],
    dataset: str,
    parameters: dict[str, Any],
    in_chunks: list[int],
    whole_batch: bool,
    rows: int,
    chunk_rows: int,
    selected: list[str],
) -> dict[int, Failure]:
    """The row-wise expectations, run by GX on bounded chunks and merged (suite positions)."""
    row_ids = raw.get("meta", {}).get("row_id_columns", [])
    suite = _suite(raw, in_chunks)
    merged = [_Merged() for _ in in_chunks]
    cursor = con.execute(f"SELECT {_quoted(selected)} FROM audit_rows")
    reader = cursor.fetch_record_batch(rows + 1 if whole_batch else chunk_rows)
    seen_any = False
    for batch in reader:
        seen_any = True
        _chunk(pa.Table.from_batches([batch]), dataset, suite, row_ids, parameters, merged)
        del batch  # one chunk at a time: the next is fetched only after this one is freed
    if not seen_any:  # an empty batch is still validated (GX decides what empty means)
        _chunk(reader.schema.empty_table(), dataset, suite, row_ids, parameters, merged)
    failures = {}
    for position, result in zip(in_chunks, merged, strict=True):
        failure = result.failure()
        if failure is not None:
            failures[position] = failure
    return failures


def _chunk(
    table: pa.Table,
    dataset: str,
    suite: Any,
    row_ids: list[str],
    parameters: dict[str, Any],
    merged: list[_Merged],
) -> None:
    frame = gx_frame(table)
    del table
    results = _run_gx(frame, dataset, suite, row_ids, parameters)
    for result, item in zip(merged, results, strict=True):
        result.add(item)


def _single(
    raw: dict[str, Any],
    dataset: str,
    position: int,
    rows: duckdb.DuckDBPyRelation,
    row_ids: list[str],
    parameters: dict[str, Any],
) -> Failure | None:
    """One expectation in GX on the rows DuckDB selected for it."""
    suite = _suite(raw, [position])
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
    duplicated = con.execute(_sql(sql_dir, "duplicate_keys", keys=_quoted(keys))).fetchone()[0]
    if not duplicated:
        return None
    columns = [c for c in selected if c in set(keys) | set(row_ids)]
    duplicates = con.sql(
        _sql(sql_dir, "duplicate_rows", keys=_quoted(keys), columns=_quoted(columns))
    )
    failure = _single(raw, dataset, position, duplicates, row_ids, parameters)
    if failure is None or not rows or failure.unexpected_count is None:
        return failure
    # GX saw only the duplicated rows: its percentage is of those, not of the batch.
    percent = 100.0 * failure.unexpected_count / rows
    return Failure(**{**failure.__dict__, "unexpected_percent": percent})
