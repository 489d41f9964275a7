"""The one way a batch becomes the frame GX's pandas datasource validates: the ingest's audit
query in chunks, the rows DuckDB picked for a set-wise check, the cross-source check.

DuckDB's own .df() and Arrow's to_pandas() disagree (DECIMAL as float or Decimal, DATE as
datetime64[us] or Python dates, an all-NULL text column as object or str), so every caller
goes through Arrow here and gets the same dtypes for the same rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeAlias

import duckdb
import pandas as pd
import pyarrow as pa

# What a caller may hand over: a query not yet run (relation), Arrow rows, or a frame of its own
# (tests, analysts).
FrameSource: TypeAlias = duckdb.DuckDBPyRelation | pa.Table | pa.RecordBatch | pd.DataFrame


def gx_frame(data: FrameSource, columns: set[str] | None = None) -> pd.DataFrame:
    """The frame GX validates: only `columns` (the ones the suite reads; None: all), dates as
    nanosecond timestamps."""
    if isinstance(data, duckdb.DuckDBPyRelation):
        data = data.to_arrow_table()
    if isinstance(data, pa.RecordBatch):
        data = pa.Table.from_batches([data])
    if isinstance(data, pa.Table):
        if columns is not None:
            data = data.select([name for name in data.column_names if name in columns])
        data = data.to_pandas()
    return _prepare(data, columns)


def _prepare(frame: pd.DataFrame, read: set[str] | None) -> pd.DataFrame:
    """Only the columns the suite reads, dates as nanosecond timestamps."""
    # GX fingerprints the whole frame it is given (it hashes every cell, twice), which costs as
    # much as the checks on a wide batch of millions of rows. A column the suite names but the
    # frame lacks stays absent, and GX reports it as such.
    if read is not None:
        frame = frame[[column for column in frame.columns if column in read]]
    # GX compares dates fast only on nanosecond timestamps (others go row by row); DuckDB
    # hands dates over in microseconds (DuckDB's .df()), or as Python dates (through Arrow).
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].astype("datetime64[ns]")
        elif frame[column].dtype == object and _holds_dates(frame[column]):
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    return frame


def _holds_dates(column: pd.Series) -> bool:
    """A column of Python dates (and nulls): what pyarrow makes of a DATE by default."""
    values = column.dropna()
    return (
        not values.empty
        and isinstance(values.iloc[0], date)
        and not isinstance(values.iloc[0], datetime)
        and all(type(v) is date for v in values.iloc[:: max(1, len(values) // 100)])
    )
