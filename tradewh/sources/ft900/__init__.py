"""FT-900 Exhibit 1: U.S. goods (BOP basis), services and total; balance, exports, imports; SA, $M.

One payload per release (the Exhibit 1 workbook); each release is a vintage. Besides the months
and years it shows, a release repeats the previous month's first print ("<Month> data as published
last month"), so every vintage also records one first print.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa

from tradewh import failpoints
from tradewh.settings import Settings
from tradewh.sources import OBSERVATION_SCHEMA, Parsed, ParseError, Request
from tradewh.sources.ft900.constants import COLUMNS, LIVE_URL, SAMPLE_GLOB
from tradewh.sources.ft900.workbook import LayoutError, Row, read_release

NAME = "ft900"
DATASET = "ft900"
STAGING = "observations"
SUFFIX = ".xlsx"

# Every observation of Exhibit 1 is of this kind; only period, product, flow and value vary.
FIXED = {
    "basis": "bop",
    "adjustment": "sa",
    "partner_code": "-",
    "partner_name": "All countries",
    "partner_is_aggregate": True,
    "commodity_class": "total",
    "commodity_code": "-",
    "unit": "musd",
    "series_id": None,
    "vintage_start": None,
    "vintage_end": None,
}


def requests(settings: Settings, newest_period: date | None = None) -> list[Request]:
    # The whole current release every time: the file holds only the current release, and a
    # conditional GET makes an unchanged one cost a 304.
    if settings.profile == "live":
        return [Request(LIVE_URL)]
    # Sample files are named by data month, so sorted by name is oldest release first.
    files = sorted(settings.sample_dir.glob(SAMPLE_GLOB))
    return [Request(path.resolve().as_uri()) for path in files]


def _value_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _observations(row: Row) -> list[dict[str, Any]]:
    as_published = row.kind == "as_published_last_month"
    return [
        {
            **FIXED,
            "period": row.period,
            "frequency": "A" if row.kind == "annual" else "M",
            "product": product,
            "flow": flow,
            "value_text": _value_text(value),
            "row_kind": row.kind,
            # The as-published line is a first print by definition: it carries no revision mark.
            "revised": None if as_published else row.revised,
        }
        for (flow, product), value in zip(COLUMNS, row.values, strict=True)
        if value is not None
    ]


def parse(payload: bytes, url: str | None = None) -> Parsed:
    try:
        release = read_release(payload)
    except LayoutError as exc:
        raise ParseError(f"not an FT-900 Exhibit 1 workbook: {exc}") from exc
    failpoints.reach("parse.mid")
    # Year-to-date rows are sums of the months shown beside them.
    records = [
        record
        for row in release.rows
        if row.kind != "year_to_date"
        for record in _observations(row)
    ]
    cols = {name: [record[name] for record in records] for name in OBSERVATION_SCHEMA.names}
    months = release.months()
    return Parsed(
        table=pa.table(cols, schema=OBSERVATION_SCHEMA),
        period_start=min(months),
        period_end=max(months),
    )
