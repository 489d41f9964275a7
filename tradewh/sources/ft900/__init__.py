"""FT-900 "U.S. International Trade in Goods and Services": Exhibit 1 and the exhibits by
end-use, petroleum, country and motor vehicles (tradewh.sources.ft900.exhibits).

One payload per exhibit per release; each is a vintage. Exhibit 1: goods (BOP basis), services
and total; balance, exports, imports; SA, $M. Besides the months and years it shows, a release
repeats the previous month's first print ("<Month> data as published last month"), so every
vintage also records one first print. The other exhibits carry "(R)" marks on revised months and
the previous month beside the current one; each is validated by its family's suite.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa

from tradewh import failpoints
from tradewh.settings import Settings
from tradewh.sources import OBSERVATION_SCHEMA, Parsed, ParseError, Request
from tradewh.sources.ft900 import exhibits
from tradewh.sources.ft900.constants import (
    ARCHIVE_URL,
    COLUMNS,
    CURRENT_URL,
    EXHIBIT_FILES,
    LIVE_URL,
    SAMPLE_EXHIBITS_GLOB,
)
from tradewh.sources.ft900.exhibits.cells import LayoutError as ExhibitLayoutError
from tradewh.sources.ft900.exhibits.cells import read_sheet, title
from tradewh.sources.ft900.workbook import LayoutError, Row, read_release
from tradewh.sources.spec import Calendar, Source

NAME = "ft900"
DATASET = "ft900"
# The suites of the exhibit families, besides Exhibit 1's.
DATASETS = (DATASET, "ft900_enduse", "ft900_petroleum", "ft900_partners", "ft900_autos")
# Their frame: sql/pipeline/observations/audit_exhibits.sql (the release's own identities).
AUDITS = {dataset: "audit_exhibits" for dataset in DATASETS[1:]}
EXHIBIT_1_TITLE = "Exhibit 1. U.S. International Trade in Goods and Services"
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
    # Every exhibit of the current release every time: the folder holds only the current
    # release, and a conditional GET makes an unchanged file cost a 304. An exhibit missing
    # from it is no data, not an error.
    if settings.profile == "live":
        return [
            Request(
                LIVE_URL if name == "exh1" else CURRENT_URL.format(file=name),
                missing_is_no_data=True,
            )
            for name in EXHIBIT_FILES
        ]
    # Sample files are named exh<N>_<data month>; every release's vintages are ordered by their
    # Last-Modified, not by the order fetched.
    files = sorted(settings.sample_dir.glob(SAMPLE_EXHIBITS_GLOB))
    return [Request(path.resolve().as_uri()) for path in files]


def requests_for_range(
    settings: Settings, start: date, end: date, hs_level: str | None = None
) -> list[Request]:
    """Past releases from the Census archive, one release (data month) at a time, oldest first;
    in the sample profile the sample's files of those months. The exhibits have no HS level:
    `hs_level` is ignored."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if settings.profile != "live":
        wanted = {f"{y:04d}-{m:02d}" for y, m in months}
        return [
            request
            for request in requests(settings)
            if request.url.rsplit("_", 1)[-1].removesuffix(".xlsx") in wanted
        ]
    # One zip per release; an exhibit it lacks, or a release it does not have, is no data.
    return [
        Request(
            ARCHIVE_URL.format(yymm=f"{y % 100:02d}{m:02d}"),
            missing_is_no_data=True,
            members=tuple(f"{name}{SUFFIX}" for name in EXHIBIT_FILES),
        )
        for y, m in months
    ]


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
    if url is not None and url.endswith(".zip"):
        # A release zip is landed whole only when it could not be unpacked.
        raise ParseError(f"a release zip that cannot be unpacked (corrupt or not a zip): {url}")
    if not _is_exhibit_1(payload):
        return _parse_exhibit(payload)
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


def _is_exhibit_1(payload: bytes) -> bool:
    """Exhibit 1 by its title; a payload whose title cannot be read goes to Exhibit 1's reader,
    whose errors say what an Exhibit 1 workbook lacks."""
    try:
        return title(read_sheet(payload)).startswith(EXHIBIT_1_TITLE)
    except ExhibitLayoutError:
        return True


def _parse_exhibit(payload: bytes) -> Parsed:
    try:
        read = exhibits.read_exhibit(payload)
    except ExhibitLayoutError as exc:
        raise ParseError(f"not an FT-900 exhibit workbook tradewh reads: {exc}") from exc
    failpoints.reach("parse.mid")
    records = read.records
    cols = {name: [record[name] for record in records] for name in OBSERVATION_SCHEMA.names}
    periods = [record["period"] for record in records if record["frequency"] == "M"] or [
        record["period"] for record in records
    ]
    return Parsed(
        table=pa.table(cols, schema=OBSERVATION_SCHEMA),
        period_start=min(periods),
        period_end=max(periods),
        dataset=read.exhibit.family,
    )


SOURCE = Source(
    name=NAME,
    dataset=DATASET,
    datasets=DATASETS,
    audits=AUDITS,
    staging=STAGING,
    suffix=SUFFIX,
    precedence=1,  # the release itself
    calendar=Calendar(
        lag_days=37, note="Census/BEA FT-900 release schedule: about 35 days after the month"
    ),
    requests=requests,
    requests_for_range=requests_for_range,
    parse=parse,
)
