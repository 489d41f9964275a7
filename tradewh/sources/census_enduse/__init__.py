"""Census annual imports by country and 5-digit end-use code (enduse_imports.xlsx): general
imports, customs value, whole US dollars, one column per year, every country and the world.

One payload per fetch (the whole workbook); each distinct workbook is a vintage (Census revises
past years in it). Its values join the one series model as annual (frequency A), Census basis,
not seasonally adjusted, commodity class enduse with the 5-digit code as published.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa

from tradewh import failpoints
from tradewh.settings import Settings
from tradewh.sources import OBSERVATION_SCHEMA, Parsed, ParseError, Request
from tradewh.sources.census_enduse.constants import LIVE_URL, SAMPLE_GLOB, WORLD_CODE
from tradewh.sources.census_enduse.workbook import LayoutError, read_table
from tradewh.sources.spec import Source

NAME = "census_enduse"
DATASET = "census_enduse"
STAGING = "observations"
SUFFIX = ".xlsx"


def requests(settings: Settings, newest_period: date | None = None) -> list[Request]:
    # The whole file every time; a conditional GET makes an unchanged one cost a 304.
    if settings.profile == "live":
        return [Request(LIVE_URL)]
    files = sorted(settings.sample_dir.glob(SAMPLE_GLOB))
    return [Request(path.resolve().as_uri()) for path in files]


def _record(code: str, name: str, enduse: str, year: int, value: str) -> dict[str, Any]:
    world = code == WORLD_CODE
    return {
        "period": date(year, 1, 1),
        "frequency": "A",
        "basis": "census",
        "adjustment": "nsa",
        "product": "goods",
        "flow": "imports",
        # The world total is the all-countries series ("-"), as in the Census API.
        "partner_code": "-" if world else code,
        "partner_name": "All countries" if world else name,
        "partner_is_aggregate": world,
        "commodity_class": "enduse",
        "commodity_code": enduse,
        "value_text": value,
        "unit": "usd",
        "series_id": None,
        "row_kind": "annual",
        "revised": None,
        "vintage_start": None,
        "vintage_end": None,
    }


def parse(payload: bytes, url: str | None = None) -> Parsed:
    try:
        table = read_table(payload)
    except LayoutError as exc:
        raise ParseError(f"not a Census annual end-use imports workbook: {exc}") from exc
    failpoints.reach("parse.mid")
    records = [
        _record(row.code, row.name, row.enduse, year, value)
        for row in table.rows
        for year, value in zip(table.years, row.values, strict=True)
        if value is not None
    ]
    if not records:
        raise ParseError("the end-use imports workbook has no figures")
    cols = {name: [record[name] for record in records] for name in OBSERVATION_SCHEMA.names}
    return Parsed(
        table=pa.table(cols, schema=OBSERVATION_SCHEMA),
        period_start=date(min(table.years), 1, 1),
        period_end=date(max(table.years), 1, 1),
    )


SOURCE = Source(
    name=NAME,
    dataset=DATASET,
    staging=STAGING,
    suffix=SUFFIX,
    precedence=4,
    requests=requests,
    parse=parse,
)
