"""The GX chunk path: row-wise expectations run by Great Expectations on bounded chunks of
audit_rows, the chunks' results merged (counts summed, percentages recomputed over the batch,
the first samples kept, `mostly` judged on the whole). validation_stream sends here only what
the DuckDB screen (row_screen) could not prove passing, and the bounded sample GX always sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from tradewh.ingest.gx_frame import gx_frame
from tradewh.ingest.validation import SAMPLE_SIZE, Failure, _failure, _run_gx, with_ids
from tradewh.store.sqlfiles import identifier

# Rows handed to GX at once: a chunk in pandas (the suite's columns only) plus what GX builds
# from it is about 0.6 KB a row; 200k rows keep that near 120 MB (issue 12: peak RSS under 1 GB).
CHUNK_ROWS = 200_000
# Rows of the batch GX validates even when the screen passed everything, spread over the batch
# (validation_stream), a tenth of a chunk (GX's cost on them is mostly its fixed cost per run).
SAMPLE_ROWS = 20_000


def quoted(names: list[str]) -> str:
    return ", ".join(identifier(name) for name in names)


@dataclass
class Merged:
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


def suite_of(raw: dict[str, Any], positions: list[int]) -> Any:
    """A suite of some of `raw`'s expectations (ids: their positions in the file)."""
    import great_expectations as gx

    expectations = [raw["expectations"][p] for p in positions]
    return gx.ExpectationSuite(**with_ids({**raw, "expectations": expectations}, positions))


def row_wise_failures(
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
    suite = suite_of(raw, in_chunks)
    merged = [Merged() for _ in in_chunks]
    cursor = con.execute(f"SELECT {quoted(selected)} FROM audit_rows")
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


def sample_failures(
    sample: duckdb.DuckDBPyRelation | pa.Table,
    raw: dict[str, Any],
    dataset: str,
    parameters: dict[str, Any],
    positions: list[int],
) -> list[int]:
    """The expectations (suite positions) GX fails on the `sample` rows."""
    row_ids = raw.get("meta", {}).get("row_id_columns", [])
    results = _run_gx(gx_frame(sample), dataset, suite_of(raw, positions), row_ids, parameters)
    return [p for p, item in zip(positions, results, strict=True) if not item.success]


def _chunk(
    table: pa.Table,
    dataset: str,
    suite: Any,
    row_ids: list[str],
    parameters: dict[str, Any],
    merged: list[Merged],
) -> None:
    frame = gx_frame(table)
    del table
    results = _run_gx(frame, dataset, suite, row_ids, parameters)
    for result, item in zip(merged, results, strict=True):
        result.add(item)
