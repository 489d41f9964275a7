"""Census International Trade API: U.S. goods exports and general imports by partner, monthly,
Census basis, not seasonally adjusted, whole dollars; all commodities and by end-use.

One payload per flow and span of months: a JSON array of arrays, header row first, every cell a
string, the `time` predicate appended as a column. An empty body is the API's 204 "no data for
these months" (before 2010, or not released yet).
"""

from __future__ import annotations

import functools
import json
import re
from datetime import date, timedelta
from typing import Any, NamedTuple

import pyarrow as pa

from tradewh.settings import Settings
from tradewh.sources import OBSERVATION_SCHEMA, Parsed, ParseError, Request
from tradewh.sources.census_api.constants import (
    ALL_COUNTRIES,
    ANNUAL_REVISION_MONTH,
    ANNUAL_REVISION_YEARS,
    BASE_URL,
    ENDPOINTS,
    FIRST_MONTH,
    FLOW_OF_VALUE,
    GROUP_CODE,
    MISSING_VALUES,
    PARTNER_CODE,
    PARTNER_NAME,
    RELEASE_LAG_DAYS,
    TIME,
    TOTAL_COMMODITY,
    TOTAL_ENDUSE_CODES,
    Endpoint,
)

NAME = "census_api"
DATASET = "census_api"
STAGING = "observations"
# The API answers a month not yet released with an empty body: no data yet, not an error.
EMPTY_MEANS_NO_DATA = True
SUFFIX = ".json"

_MONTH = re.compile(r"(\d{4})-(\d{2})")
# Enough of an error text to say what went wrong, never a whole page.
_SNIPPET_CHARS = 300
_KEY_PAGE_PHRASES = ("Invalid Key", "Missing Key")


# --------------------------------------------------------------------------------------------
# What to ask for


def _add_months(month: date, count: int) -> date:
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return date(year, index + 1, 1)


def _last_released_month(today: date) -> date:
    """The newest month that can have been released by `today` (RELEASE_LAG_DAYS after its end)."""
    cutoff = today - timedelta(days=RELEASE_LAG_DAYS)
    # The month ending on or before the cutoff: the cutoff's own month only on its last day.
    return _add_months((cutoff + timedelta(days=1)).replace(day=1), -1)


def _annual_revision_start(newest: date, last: date) -> date | None:
    """January of the first year revised by the earliest June revision among the new months."""
    for year in range(newest.year, last.year + 1):
        if newest < date(year, ANNUAL_REVISION_MONTH, 1) <= last:
            return date(year - ANNUAL_REVISION_YEARS, 1, 1)
    return None


def _yearly_spans(start: date, end: date) -> list[tuple[date, date]]:
    return [
        (max(start, date(year, 1, 1)), min(end, date(year, 12, 1)))
        for year in range(start.year, end.year + 1)
    ]


def months_to_request(newest_period: date | None, today: date) -> list[tuple[date, date]]:
    """Spans of months (first days, inclusive) to ask for, at most one calendar year each.

    Nothing loaded: every month from 2010-01 to the newest that can have been released (its end
    plus RELEASE_LAG_DAYS on or before `today`), so never one that cannot exist yet.
    Loaded up to `newest_period`: if a newer month can have been released, `newest_period`
    again (each release revises the month before it) through that month; otherwise nothing.
    Annual revision: each June, with the April statistics, Census revises goods on a Census
    basis for the three prior calendar years. So when April of a year Y is among the months not
    loaded yet, the spans start in January of Y-3 (the earliest such April counts). The rule
    looks at the months alone, not at when the last refresh ran: it holds on every run until
    that April is loaded, so a failed run, or one before April is out (204), asks again.
    """
    last = _last_released_month(today)
    if newest_period is None:
        start = FIRST_MONTH
    else:
        newest = newest_period.replace(day=1)
        if newest >= last:
            return []
        start = min(newest, _annual_revision_start(newest, last) or newest)
    start = max(start, FIRST_MONTH)
    return _yearly_spans(start, last) if start <= last else []


def _time_predicate(start: date, end: date) -> str:
    if start == end:
        return f"{start:%Y-%m}"
    return f"from {start:%Y-%m} to {end:%Y-%m}"


def _request(endpoint: Endpoint, span: tuple[date, date], key: str | None) -> Request:
    # No COMM_LVL predicate: the response then holds the all-commodities row with the end-use
    # rows, and nothing documents which COMM_LVL that total row carries.
    params = {
        "get": ",".join((PARTNER_CODE, PARTNER_NAME, endpoint.enduse, endpoint.value)),
        "time": _time_predicate(*span),
    }
    if key:
        params["key"] = key
    return Request(f"{BASE_URL}/{endpoint.path}", params)


def requests(settings: Settings, newest_period: date | None = None) -> list[Request]:
    """Live: one request per flow and span of months_to_request. Sample: none, as no published
    figures of this source are at hand offline."""
    if settings.profile != "live":
        return []
    secret = settings.census_api_key
    key = secret.get_secret_value() if secret is not None else None
    spans = months_to_request(newest_period, date.today())
    return [_request(endpoint, span, key) for endpoint in ENDPOINTS.values() for span in spans]


def requests_for_range(settings: Settings, start: date, end: date) -> list[Request]:
    """A backfill of the months from start to end (first days), live only."""
    if settings.profile != "live":
        return []
    secret = settings.census_api_key
    key = secret.get_secret_value() if secret is not None else None
    start, end = max(start.replace(day=1), FIRST_MONTH), end.replace(day=1)
    spans = _yearly_spans(start, end) if start <= end else []
    return [_request(endpoint, span, key) for endpoint in ENDPOINTS.values() for span in spans]


# --------------------------------------------------------------------------------------------
# How to read it


class _Layout(NamedTuple):
    """What the value variable says the flow is, and where the variables read are in a row."""

    width: int
    flow: str
    # Positions of CTY_CODE, CTY_NAME, time, the value and the end-use code (None: absent).
    columns: tuple[int, int, int, int, int | None]


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET_CHARS else text[:_SNIPPET_CHARS] + "…"


def _html_error(page: str) -> ParseError:
    # The page's own words stay out: it may quote the request, key included.
    said = [phrase for phrase in _KEY_PAGE_PHRASES if phrase.lower() in page.lower()]
    note = f" (the page says {said[0]!r})" if said else ""
    return ParseError(
        "the Census API answered with an HTML page where JSON was expected, as it does for a "
        f"missing or invalid API key: set CENSUS_API_KEY to an active key{note}"
    )


def _json_rows(text: str) -> list[Any]:
    head = text.lstrip()[:16].lower()
    if head.startswith("<"):
        raise _html_error(text)
    if head.startswith("error:"):
        raise ParseError(f"the Census API answered: {_snippet(text)}")
    try:
        rows = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"the payload is not JSON: {exc}") from None
    if not isinstance(rows, list) or not rows:
        raise ParseError("expected a JSON array of arrays with the header row first")
    return rows


def _layout(header: Any) -> _Layout:
    if not isinstance(header, list) or not all(isinstance(name, str) for name in header):
        raise ParseError("the first row is not a header row of variable names")
    position = {name.strip().upper(): i for i, name in enumerate(header)}
    if len(position) != len(header):
        raise ParseError("the header row names a variable twice")
    values = [name for name in FLOW_OF_VALUE if name in position]
    missing = [name for name in (PARTNER_CODE, PARTNER_NAME, TIME) if name.upper() not in position]
    if not values:
        missing.append(" or ".join(FLOW_OF_VALUE))
    if missing:
        raise ParseError(f"variables missing from the header row: {', '.join(missing)}")
    if len(values) > 1:
        raise ParseError(f"{' and '.join(values)} in one response: its flow is ambiguous")
    flow = FLOW_OF_VALUE[values[0]]
    foreign = [e.enduse for f, e in ENDPOINTS.items() if f != flow and e.enduse in position]
    if foreign:
        raise ParseError(f"{foreign[0]} does not belong with {values[0]} ({flow})")
    columns = (
        position[PARTNER_CODE],
        position[PARTNER_NAME],
        position[TIME.upper()],
        position[values[0]],
        position.get(ENDPOINTS[flow].enduse),
    )
    return _Layout(width=len(header), flow=flow, columns=columns)


def _cells(row: Any, layout: _Layout, number: int) -> list[str | None]:
    """The cells read from a data row: partner code and name, time, value, end-use code."""
    if not isinstance(row, list) or len(row) != layout.width:
        raise ParseError(f"data row {number} is not an array of {layout.width} cells")
    cells = [TOTAL_COMMODITY if i is None else row[i] for i in layout.columns]
    if not all(cell is None or isinstance(cell, str) for cell in cells):
        raise ParseError(f"data row {number} holds a cell that is not text")
    return cells


# Cached: a payload repeats a dozen months and a few hundred codes over up to ~10^6 rows.
@functools.lru_cache(maxsize=4096)
def _month(text: str | None) -> date | None:
    match = _MONTH.fullmatch((text or "").strip())
    if not match or int(match[1]) < 1 or not 1 <= int(match[2]) <= 12:
        return None
    return date(int(match[1]), int(match[2]), 1)


@functools.lru_cache(maxsize=4096)
def _partner(code: str | None) -> tuple[str | None, bool]:
    code = (code or "").strip() or None
    return code, code == ALL_COUNTRIES or bool(code and GROUP_CODE.fullmatch(code))


@functools.lru_cache(maxsize=4096)
def _commodity(code: str | None) -> tuple[str, str]:
    code = (code or "").strip()
    return ("total", TOTAL_COMMODITY) if code in TOTAL_ENDUSE_CODES else ("enduse", code)


def _value(text: str | None) -> str | None:
    text = (text or "").strip()
    return None if text.upper() in MISSING_VALUES else text


_VARYING = (
    "period",
    "partner_code",
    "partner_name",
    "partner_is_aggregate",
    "commodity_class",
    "commodity_code",
    "value_text",
)


def _table(varying: dict[str, list[Any]], flow: str | None) -> pa.Table:
    rows = len(varying["period"])
    fixed = {
        "frequency": "M",
        "basis": "census",
        "adjustment": "nsa",
        "product": "goods",
        "flow": flow,
        "unit": "usd",
        # The API names no series, marks nothing revised and keeps no real-time periods.
        "series_id": None,
        "row_kind": "month",
        "revised": None,
        "vintage_start": None,
        "vintage_end": None,
    }
    columns = {**varying, **{name: [value] * rows for name, value in fixed.items()}}
    return pa.table(columns, schema=OBSERVATION_SCHEMA)


def parse(payload: bytes, url: str | None = None) -> Parsed:
    """Rows of OBSERVATION_SCHEMA; raises ParseError for anything but the API's JSON or 204."""
    varying: dict[str, list[Any]] = {name: [] for name in _VARYING}
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"the payload is not UTF-8 text: {exc}") from None
    if not text.strip():
        return Parsed(_table(varying, None), None, None)

    rows = _json_rows(text)
    layout = _layout(rows[0])
    for number, row in enumerate(rows[1:], start=1):
        code, name, time, value, enduse = _cells(row, layout, number)
        period = _month(time)
        if period is None:
            raise ParseError(f"data row {number}: time {time!r:.40} is not a YYYY-MM month")
        partner_code, is_aggregate = _partner(code)
        commodity_class, commodity_code = _commodity(enduse)
        varying["period"].append(period)
        varying["partner_code"].append(partner_code)
        varying["partner_name"].append(name)
        varying["partner_is_aggregate"].append(is_aggregate)
        varying["commodity_class"].append(commodity_class)
        varying["commodity_code"].append(commodity_code)
        varying["value_text"].append(_value(value))
    periods = varying["period"]
    return Parsed(
        _table(varying, layout.flow),
        min(periods, default=None),
        max(periods, default=None),
    )
