"""Census country file: U.S. goods trade by partner, Census basis, $ millions, monthly, NSA.

One payload per fetch (the whole workbook); each distinct workbook is a vintage.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from tradewh import failpoints
from tradewh.settings import Settings
from tradewh.sources import Parsed, ParseError, Request
from tradewh.sources.census_country.constants import (
    COLUMNS,
    FLOWS,
    LIVE_URL,
    MONTHS,
    SAMPLE_GLOB,
    SEASONALLY_ADJUSTED_CODES,
)
from tradewh.sources.census_country.workbook import LayoutError, read_rows
from tradewh.sources.spec import Calendar, Source

NAME = "census_country"
DATASET = "census_country"
# Its own staging table: the annual columns ride along for the cross-check.
STAGING = "census_country"
SUFFIX = ".xlsx"

SCHEMA = pa.schema(
    [
        ("period", pa.date32()),
        ("partner_code", pa.string()),
        ("partner_name", pa.string()),
        ("partner_is_aggregate", pa.bool_()),
        ("adjustment", pa.string()),
        ("flow", pa.string()),
        # Floats as stored in the workbook; staging rounds them to whole dollars as DECIMAL.
        ("value", pa.float64()),
        ("reported_annual", pa.float64()),
    ]
)


def requests(settings: Settings, newest_period: date | None = None) -> list[Request]:
    # The whole file every time: its vintages are whole files, and a conditional GET makes an
    # unchanged one cost a 304.
    if settings.profile == "live":
        return [Request(LIVE_URL)]
    # The sample archive holds several vintages of the same file, oldest first.
    files = sorted(settings.sample_dir.glob(SAMPLE_GLOB))
    return [Request(path.resolve().as_uri()) for path in files]


def _code(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        # A code saved as a number lost its leading zeros; codes are four digits.
        return f"{value:04d}"
    return str(value).strip()


def _year(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite cell
        return None


def _month(year: int | None, month: int) -> date | None:
    # An impossible year stays NULL for the suite to report, instead of failing the parse.
    if year is None or not 1 <= year <= 9999:
        return None
    return date(year, month, 1)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.replace(",", "").strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def parse(payload: bytes, url: str | None = None) -> Parsed:
    try:
        header, rows = read_rows(payload)
    except LayoutError as exc:
        raise ParseError(str(exc)) from exc
    at = _column_positions(header)
    records = _records(header, rows, at)
    failpoints.reach("parse.mid")
    newest, last_month = _last_published_month(records, at)
    table = pa.table(_columns(records, at, newest, last_month), schema=SCHEMA)
    return Parsed(
        table=table,
        period_start=pc.min(table["period"]).as_py(),
        period_end=_month(newest, last_month),
    )


def _column_positions(header: list[Any]) -> dict[str, int]:
    position = {name.upper(): i for i, name in enumerate(header)}
    missing = [c for c in COLUMNS if c.upper() not in position]
    if missing:
        raise ParseError(f"columns missing from the country sheet: {', '.join(missing)}")
    return {c: position[c.upper()] for c in COLUMNS}


_Record = tuple[int | None, str | None, list[Any]]


def _records(header: list[Any], rows: Iterable[Sequence[Any]], at: dict[str, int]) -> list[_Record]:
    """(year, partner code, cells) of every data row; blank and footnote lines left out."""
    records = []
    for row in rows:
        cells = list(row) + [None] * (len(header) - len(row))
        year, code = _year(cells[at["year"]]), _code(cells[at["CTY_CODE"]])
        if year is not None or code is not None:
            records.append((year, code, cells))
    if not records:
        raise ParseError("the country sheet has a header but no data rows")
    return records


def _last_published_month(records: list[_Record], at: dict[str, int]) -> tuple[int, int]:
    """(newest year, its last published month). Months not yet published are 0 in the newest
    year: the last published month is the last one in which anything was traded with anybody."""
    years = [year for year, _, _ in records if year is not None]
    if not years:
        raise ParseError("no data row has a readable year")
    newest = max(years)
    traded = [
        m
        for year, _, cells in records
        if year == newest
        for m, month in enumerate(MONTHS, start=1)
        for prefix in FLOWS
        if (_number(cells[at[prefix + month]]) or 0) != 0
    ]
    if not traded:
        raise ParseError(f"no published month in the newest year {newest}")
    return newest, max(traded)


def _columns(
    records: list[_Record], at: dict[str, int], newest: int, last_month: int
) -> dict[str, list[Any]]:
    cols: dict[str, list[Any]] = {field.name: [] for field in SCHEMA}
    for year, code, cells in records:
        months = last_month if year == newest else 12
        name = cells[at["CTYNAME"]]
        name = str(name).strip() if name is not None else None
        is_aggregate = code is not None and code.startswith("00")
        adjustment = "sa" if code in SEASONALLY_ADJUSTED_CODES else "nsa"
        for prefix, flow in FLOWS.items():
            annual = _number(cells[at[prefix + "YR"]])
            for m in range(1, months + 1):
                cols["period"].append(_month(year, m))
                cols["partner_code"].append(code)
                cols["partner_name"].append(name)
                cols["partner_is_aggregate"].append(is_aggregate)
                cols["adjustment"].append(adjustment)
                cols["flow"].append(flow)
                cols["value"].append(_number(cells[at[prefix + MONTHS[m - 1]]]))
                cols["reported_annual"].append(annual)
    return cols


SOURCE = Source(
    name=NAME,
    dataset=DATASET,
    staging=STAGING,
    suffix=SUFFIX,
    precedence=2,
    calendar=Calendar(
        lag_days=37,
        note="Census FT-900 release schedule; country.xlsx is replaced on release day",
    ),
    requests=requests,
    parse=parse,
)
