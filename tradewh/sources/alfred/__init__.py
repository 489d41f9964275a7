"""ALFRED (FRED in real time): every vintage of U.S. trade aggregates, BOP basis, SA, $ millions.

One request per series asks for the whole real-time window, so one answer holds every value the
series ever had, each with the dates it was current (vintage_start / vintage_end). The answer is
landed byte for byte as FRED sent it.

Which series: FRED's answer does not name it. It echoes the request's options (real-time window,
units, output type, order, paging) but not `series_id`, and none of the echoed options can carry
it. So the series comes from the address the payload was fetched from: `parse(payload, url=...)`
reads `series_id=` of the API address (redacted or not), or the file name of a sample-archive
file (BOPGSTB.json). Rows whose series cannot be told are refused (ParseError), never guessed; a
series we hold no description of keeps its id but gets no flow, product, basis, adjustment, unit
or frequency, which validation rejects.

Paging: FRED returns at most `limit` observations (100,000 at most) and tells the total only in
its answer (`count`), so requests() cannot plan pages. It asks for the largest page, which holds
a series' whole history many times over: BOPGSTB has 414 months (1992-01 … 2026-06), each with
at most a few dozen values over its life.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pyarrow as pa
import pyarrow.compute as pc

from tradewh.settings import Settings
from tradewh.sources import OBSERVATION_SCHEMA, Parsed, ParseError, Request
from tradewh.sources.alfred.constants import (
    API_URL,
    COMMODITY_CLASS,
    COMMODITY_CODE,
    MISSING,
    OUTPUT_TYPE,
    PAGE_LIMIT,
    PARTNER_CODE,
    PARTNER_NAME,
    REALTIME_END,
    REALTIME_START,
    ROW_KIND,
    SAMPLE_GLOB,
    SERIES,
    Series,
)
from tradewh.sources.spec import Calendar, Source

NAME = "alfred"
DATASET = "alfred"
STAGING = "observations"
SUFFIX = ".json"

_OBSERVATION_FIELDS = ("realtime_start", "realtime_end", "date", "value")


class SourceConfigError(RuntimeError):
    """The source cannot run with the current settings; the message says what to set."""


def requests(settings: Settings, newest_period: date | None = None) -> list[Request]:
    # The whole history every time: any release may revise months years back, so there is no
    # increment to ask for and newest_period does not apply.
    if settings.profile == "live":
        key = _api_key(settings)
        return [Request(API_URL, _params(series_id, key)) for series_id in settings.fred_series]
    archived = {path.stem: path for path in settings.sample_dir.glob(SAMPLE_GLOB)}
    return [
        Request(archived[series_id].resolve().as_uri())
        for series_id in settings.fred_series
        if series_id in archived
    ]


def _api_key(settings: Settings) -> str:
    key = settings.fred_api_key.get_secret_value().strip() if settings.fred_api_key else ""
    if not key:
        raise SourceConfigError(
            "the live profile needs a FRED API key: set FRED_API_KEY "
            "(free at https://fred.stlouisfed.org/docs/api/api_key.html)"
        )
    return key


def _params(series_id: str, api_key: str) -> dict[str, str]:
    return {
        "series_id": series_id,
        "realtime_start": REALTIME_START,
        "realtime_end": REALTIME_END,
        "output_type": str(OUTPUT_TYPE),
        "limit": str(PAGE_LIMIT),
        "file_type": "json",
        "api_key": api_key,
    }


def parse(payload: bytes, url: str | None = None) -> Parsed:
    """Rows of a FRED observations answer; `url` is the address it was fetched from, which
    names its series (see the module doc)."""
    observations = [o for o in _observations(payload) if o["value"] != MISSING]
    series_id = _series_from_url(url) if url else None
    if observations and series_id is None:
        given = "no URL" if url is None else "a URL without series_id"
        raise ParseError(
            "cannot tell which series this FRED answer is for: FRED does not name it in the "
            f"answer and parse was given {given}"
        )
    table = _table(series_id, observations)
    return Parsed(
        table=table,
        period_start=pc.min(table["period"]).as_py(),
        period_end=pc.max(table["period"]).as_py(),
    )


def _observations(payload: bytes) -> list[dict[str, str]]:
    try:
        document = json.loads(payload)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
        raise ParseError(f"not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ParseError("not a FRED answer: the JSON is not an object")
    if "error_code" in document:
        message = document.get("error_message") or "no message"
        raise ParseError(f"FRED answered error {document['error_code']}: {message}")
    observations = document.get("observations")
    if not isinstance(observations, list) or not all(map(_is_observation, observations)):
        raise ParseError(
            "not a FRED observations answer: 'observations' must be a list of objects with "
            "string realtime_start, realtime_end, date and value"
        )
    return observations


def _is_observation(item: Any) -> bool:
    return isinstance(item, dict) and all(isinstance(item.get(f), str) for f in _OBSERVATION_FIELDS)


def _series_from_url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return PurePosixPath(unquote(parts.path)).stem or None
    ids = parse_qs(parts.query).get("series_id")
    return ids[0] if ids else None


def _day(observation: dict[str, str], field: str) -> date:
    try:
        return date.fromisoformat(observation[field])
    except ValueError as exc:
        raise ParseError(f"observation {observation}: {field} is not a date") from exc


def _table(series_id: str | None, observations: list[dict[str, str]]) -> pa.Table:
    described = SERIES.get(series_id) if series_id else None
    same_for_all: dict[str, Any] = {
        **(described._asdict() if described else dict.fromkeys(Series._fields)),
        "partner_code": PARTNER_CODE,
        "partner_name": PARTNER_NAME,
        "partner_is_aggregate": True,
        "commodity_class": COMMODITY_CLASS,
        "commodity_code": COMMODITY_CODE,
        "series_id": series_id,
        "row_kind": ROW_KIND,
        "revised": None,  # FRED does not mark revisions; vintage_start/vintage_end show them
    }
    columns = {name: [value] * len(observations) for name, value in same_for_all.items()}
    columns["period"] = [_day(o, "date") for o in observations]
    columns["value_text"] = [o["value"] for o in observations]
    columns["vintage_start"] = [_day(o, "realtime_start") for o in observations]
    columns["vintage_end"] = [_day(o, "realtime_end") for o in observations]
    return pa.table(columns, schema=OBSERVATION_SCHEMA)


SOURCE = Source(
    name=NAME,
    dataset=DATASET,
    staging=STAGING,
    suffix=SUFFIX,
    precedence=4,  # a copy of the release's headline
    calendar=Calendar(
        lag_days=38,
        note="FRED updates BOPGSTB on FT-900 release day; a day of slack for its processing",
    ),
    requests=requests,
    parse=parse,
)
