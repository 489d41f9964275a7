"""Validate a batch of any size with its Great Expectations suite without holding it in pandas.

The audit query, narrowed to the columns the suite reads, is the temp view audit_rows: never
copied (issue 12: materialising it cost a 2.5M-row batch more than all its checks). Each
expectation is evaluated where it is cheapest and still exact:
- the row count, a first test of every uniqueness expectation (distinct hashes of the key: as
  many as rows proves the key unique) and the row-wise expectations (each row passes or fails on
  its own) that row_screen translates (not null, in set, between, regex, lengths equal, with the
  kwargs the suites use) are counted in DuckDB, all of them in one scan of audit_rows; a
  row-wise expectation the screen proves passing is passed without GX. One it finds failing
  goes to the GX chunk path below, so that a failure keeps GX's own shape, counts and samples
  (bad batches are rare: their speed does not matter);
- GX still validates every batch: the screened expectations run in GX on a bounded sample
  (gx_chunks.SAMPLE_ROWS rows); one GX fails there though the screen passed it goes to the
  chunk path too, with a warning: GX is the judge, the screen only its shortcut;
- the other row-wise expectations (a type, kwarg, column type or regex the screen cannot
  translate exactly, or a regex DuckDB refuses) run in GX on bounded chunks of audit_rows
  (gx_chunks: counts summed, percentages recomputed, the first samples kept);
- set-wise expectations are decided in DuckDB over the whole batch (row count, duplicate keys
  where the hashes were not enough, distinct values); where one fails, GX evaluates it on the
  offending rows DuckDB selected (the duplicated keys' rows, the distinct values), so the
  failure has GX's own shape;
- any other type runs in GX on the whole batch in one chunk (never wrongly on a part of it).
The result is the same ValidationReport that validate_frame gives.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

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
    expected_rows: int | None = None,
) -> ValidationReport:
    """Validate what `audit_sql` returns on `con` with the suite at `suite_path`.
    `expected_rows`: about how many rows it returns (the staged batch's), which lets GX's
    sample be drawn in the same scan as the screen, spread over the whole batch."""
    _, raw = load_suite(suite_path)  # refuses a suite whose expectations GX would drop
    parameters = parameters or {}
    query = audit_sql.strip().rstrip(";")
    available = list(con.sql(query).columns)
    read = columns_read(raw)
    selected = [c for c in available if read is None or c in read]
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW audit_rows AS SELECT {quoted(selected)} FROM ({query})"
    )
    handed = 0
    try:
        report, handed = _validate(
            con, raw, dataset, sql_dir, parameters, chunk_rows, available, selected, expected_rows
        )
        return report
    finally:
        con.execute("DROP VIEW IF EXISTS audit_rows")
        memory.release(handed)  # the chunks' pandas frames and GX's results, before the publish


def _validate(
    con: duckdb.DuckDBPyConnection,
    raw: dict[str, Any],
    dataset: str,
    sql_dir: Path,
    parameters: dict[str, Any],
    chunk_rows: int,
    available: list[str],
    selected: list[str],
    expected_rows: int | None,
) -> tuple[ValidationReport, int]:
    """The report, and how many rows GX was handed in pandas (memory to give back)."""
    expectations: list[dict[str, Any]] = raw.get("expectations", [])
    row_ids = raw.get("meta", {}).get("row_id_columns", [])

    plan = _plan(expectations, available, _column_types(con), parameters)
    in_chunks = list(plan.in_chunks)
    sample_every = (
        max(1, expected_rows // SAMPLE_ROWS)
        if expected_rows is not None and plan.screened
        else None
    )
    rows, repeated, verdicts, sample = _first_scan(
        con, sql_dir, plan.screened, plan.unique, selected, sample_every
    )
    failures: dict[int, Failure] = {}
    for position in plan.set_wise:
        expectation = expectations[position]
        kind = expectation.get("type")
        names = _columns(expectation)
        if kind == ROW_COUNT:
            failure = _row_count_failure(expectation, rows, parameters)
        elif kind in UNIQUENESS and repeated.get(position) == 0:
            failure = None  # as many distinct key hashes as rows: no key repeats
        elif kind in UNIQUENESS:
            failure = _duplicates(
                con, sql_dir, raw, dataset, position, names, selected, row_ids, rows, parameters
            )
        else:
            values = con.sql(_sql(sql_dir, "distinct_values", column=quoted(names)))
            failure = _single(raw, dataset, position, values, row_ids, parameters)
        if failure is not None:
            failures[position] = failure

    in_chunks += _screened_out(
        con, sql_dir, raw, dataset, parameters, plan.screened, verdicts, selected, sample
    )
    if in_chunks:
        failures.update(
            row_wise_failures(
                con,
                raw,
                dataset,
                parameters,
                sorted(in_chunks),
                plan.whole_batch,
                rows,
                chunk_rows,
                selected,
            )
        )
    failpoints.reach("validate.mid")
    handed = rows if in_chunks else 0  # rows GX held in pandas, beyond the bounded sample
    report = ValidationReport(
        dataset=dataset,
        suite=raw.get("name", dataset),
        evaluated=len(expectations),
        passed=len(expectations) - len(failures),
        failures=[failures[p] for p in sorted(failures)],
    )
    return report, handed


@dataclass
class _Plan:
    """Where each expectation of a suite is evaluated (suite positions)."""

    set_wise: list[int] = field(default_factory=list)  # decided in DuckDB over the batch
    unique: dict[int, list[str]] = field(default_factory=dict)  # uniqueness: their keys
    screened: list[row_screen.Check] = field(default_factory=list)  # row_screen's
    in_chunks: list[int] = field(default_factory=list)  # GX on chunks
    whole_batch: bool = False  # a type not known to be row-wise: GX on the whole batch


def _plan(
    expectations: list[dict[str, Any]],
    available: list[str],
    types: dict[str, str],
    parameters: dict[str, Any],
) -> _Plan:
    plan = _Plan()
    for position, expectation in enumerate(expectations):
        kind = expectation.get("type")
        names = _columns(expectation)
        known = all(name in available for name in names)
        if kind == ROW_COUNT and set(expectation.get("kwargs", {})) <= {"min_value", "max_value"}:
            plan.set_wise.append(position)
        elif kind in UNIQUENESS and known and names:
            plan.unique[position] = names
            plan.set_wise.append(position)
        elif kind in DISTINCT and known and names:
            plan.set_wise.append(position)
        elif kind in ROW_WISE and (
            check := row_screen.translate(position, expectation, types, parameters)
        ):
            plan.screened.append(check)
        else:
            # Row-wise (or a missing column, which GX reports on the first chunk as it would
            # on the whole batch); a type not known to be row-wise needs the whole batch.
            plan.in_chunks.append(position)
            plan.whole_batch = plan.whole_batch or kind not in ROW_WISE
    return plan


def _first_scan(
    con: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    screened: list[row_screen.Check],
    unique: dict[int, list[str]],
    selected: list[str],
    sample_every: int | None,
) -> tuple[int, dict[int, int], dict[int, row_screen.Verdict], pa.Table | None]:
    """From one scan of audit_rows: its row count; for each uniqueness expectation, rows less
    distinct hashes of its key (0 proves the key unique: equal keys, NULLs included, hash
    equal; more may be a collision, so duplicate_keys.sql decides); the screen's verdicts; and
    with `sample_every`, GX's sample: the rows whose hash is a multiple of it (about
    SAMPLE_ROWS of them, from all over the batch, not only its first rows)."""
    leading = ["count(*)"] + [
        f"count(*) - count(DISTINCT hash({quoted(names)}))" for names in unique.values()
    ]
    if sample_every is not None:
        fields = ", ".join(f"{quoted([c])} := {quoted([c])}" for c in selected)
        leading.append(
            f"list(struct_pack({fields})) FILTER (WHERE hash({quoted(selected)}) % "
            f"{int(sample_every)} = 0)"
        )
    scanned = row_screen.screen_with(con, sql_dir, screened, leading)
    if scanned is None:  # DuckDB refused a check: each figure apart (rare)
        rows = int(con.execute(_sql(sql_dir, "row_count")).fetchone()[0])
        return rows, {}, row_screen.screen(con, sql_dir, screened), None
    first, verdicts = scanned
    counted = first[1 : 1 + len(unique)]
    repeated = {position: int(n.as_py()) for position, n in zip(unique, counted, strict=True)}
    sample = None
    if sample_every is not None and first[-1].is_valid and len(first[-1].values):
        sample = pa.Table.from_struct_array(first[-1].values)
    return int(first[0].as_py()), repeated, verdicts, sample


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
    verdicts: dict[int, row_screen.Verdict],
    selected: list[str],
    sample: pa.Table | None,
) -> list[int]:
    """The screened expectations GX must judge on the whole batch (suite positions): those the
    screen (`verdicts`) found failing or could not decide, and those GX fails on the sample."""
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
    rows = (
        sample
        if sample is not None
        else con.sql(_sql(sql_dir, "sample_rows", columns=quoted(selected), rows=str(SAMPLE_ROWS)))
    )
    disagreed = sample_failures(rows, raw, dataset, parameters, passed)
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
