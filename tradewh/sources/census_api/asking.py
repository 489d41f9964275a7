"""What to ask the Census International Trade API for: spans of months (the newest months and the
annual revision's), a request per endpoint and span, HS detail a month at a time."""

from __future__ import annotations

from datetime import date, timedelta

from tradewh.settings import Settings
from tradewh.sources import Request
from tradewh.sources.census_api.constants import (
    ANNUAL_REVISION_MONTH,
    ANNUAL_REVISION_YEARS,
    BASE_URL,
    COMM_LVL,
    ENDPOINTS,
    FIRST_MONTH,
    HS_ENDPOINTS,
    HS_LEVEL,
    HS_LEVELS,
    PARTNER_CODE,
    PARTNER_NAME,
    RELEASE_LAG_DAYS,
    Endpoint,
)


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


def _request(
    endpoint: Endpoint,
    span: tuple[date, date],
    key: str | None,
    level: str | None = None,
    base_url: str | None = None,
) -> Request:
    # No COMM_LVL predicate on end-use: the response then holds the all-commodities row with
    # the end-use rows, and nothing documents which COMM_LVL that total row carries.
    params = {
        "get": ",".join((PARTNER_CODE, PARTNER_NAME, endpoint.commodity, endpoint.value)),
    }
    if level:
        params[COMM_LVL] = level
    params["time"] = _time_predicate(*span)
    if key:
        params["key"] = key
    return Request(f"{(base_url or BASE_URL).rstrip('/')}/{endpoint.path}", params)


def _requests(
    settings: Settings,
    spans: list[tuple[date, date]],
    hs_level: str | None,
    hs_spans: list[tuple[date, date]] | None = None,
) -> list[Request]:
    """End-use requests for `spans`; HS detail at `hs_level` for `hs_spans` (default: the
    same spans)."""
    secret = settings.census_api_key
    key = secret.get_secret_value() if secret is not None else None
    base = settings.census_api_url
    made = [
        _request(endpoint, span, key, base_url=base)
        for endpoint in ENDPOINTS.values()
        for span in spans
    ]
    if hs_level:
        if hs_level not in HS_LEVELS:
            raise ValueError(f"HS_LEVEL {hs_level!r} is not one of {', '.join(HS_LEVELS)}")
        made += [
            _request(endpoint, span, key, hs_level, base)
            for endpoint in HS_ENDPOINTS.values()
            for span in (spans if hs_spans is None else hs_spans)
        ]
    return made


def requests(settings: Settings, newest_period: date | None = None) -> list[Request]:
    """Live: one request per flow and span of months_to_request (end-use; HS detail too when
    HS_LEVEL is set). Sample: none, as no published figures of this source are at hand
    offline."""
    if settings.profile != "live":
        return []
    return _requests(settings, months_to_request(newest_period, date.today()), HS_LEVEL)


def requests_for_range(
    settings: Settings, start: date, end: date, hs_level: str | None = None
) -> list[Request]:
    """A backfill of the months from start to end (first days), live only: end-use by year;
    HS detail at `hs_level` (or HS_LEVEL) one month a request, so that each payload is one
    month of detail (HS10: about a million rows a flow) and memory stays flat however long
    the range."""
    if settings.profile != "live":
        return []
    start, end = max(start.replace(day=1), FIRST_MONTH), end.replace(day=1)
    spans = _yearly_spans(start, end) if start <= end else []
    months = []
    month = start
    while month <= end:
        months.append((month, month))
        month = _add_months(month, 1)
    return _requests(settings, spans, hs_level or HS_LEVEL, months)
