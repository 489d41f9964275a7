"""What both readers share: the answer's header (its layout), the API's error pages, and the
columns every row becomes."""

from __future__ import annotations

import functools
import json
import re
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa

from tradewh.sources import OBSERVATION_SCHEMA, ParseError
from tradewh.sources.census_api.constants import (
    ALL_COUNTRIES,
    COMMODITY_VARIABLES,
    FLOW_OF_VALUE,
    GROUP_CODE,
    MISSING_VALUES,
    PARTNER_CODE,
    PARTNER_NAME,
    TIME,
    TOTAL_COMMODITY,
    TOTAL_COMMODITY_CODES,
)

_MONTH = re.compile(r"(\d{4})-(\d{2})")


# Enough of an error text to say what went wrong, never a whole page.
_SNIPPET_CHARS = 300


_KEY_PAGE_PHRASES = ("Invalid Key", "Missing Key")


class _Layout(NamedTuple):
    """What the variables say the rows are, and where the variables read are in a row."""

    width: int
    flow: str
    # enduse | hs: what the commodity variable's codes are; None when there is no commodity
    # variable (every row is then the all-commodities total).
    commodity_class: str | None
    # Positions of CTY_CODE, CTY_NAME, time, the value and the commodity code (None: absent).
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
    present = [name for name in COMMODITY_VARIABLES if name in position]
    foreign = [name for name in present if COMMODITY_VARIABLES[name][0] != flow]
    if foreign:
        raise ParseError(f"{foreign[0]} does not belong with {values[0]} ({flow})")
    if len(present) > 1:
        raise ParseError(
            f"{' and '.join(present)} in one response: its commodity classification is ambiguous"
        )
    commodity = present[0] if present else None
    columns = (
        position[PARTNER_CODE],
        position[PARTNER_NAME],
        position[TIME.upper()],
        position[values[0]],
        position[commodity] if commodity else None,
    )
    commodity_class = COMMODITY_VARIABLES[commodity][1] if commodity else None
    return _Layout(len(header), flow, commodity_class, columns)


def _cells(row: Any, layout: _Layout, number: int) -> list[str | None]:
    """The cells read from a data row: partner code and name, time, value, commodity code."""
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


@functools.lru_cache(maxsize=65536)
def _commodity(code: str | None, commodity_class: str | None) -> tuple[str, str]:
    """(commodity_class, commodity_code): the all-commodities row is ("total", "-")."""
    code = (code or "").strip()
    if code in TOTAL_COMMODITY_CODES or commodity_class is None:
        return "total", TOTAL_COMMODITY
    return commodity_class, code


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


_FIXED = {
    "frequency": "M",
    "basis": "census",
    "adjustment": "nsa",
    "product": "goods",
    "unit": "usd",
    # The API names no series, marks nothing revised and keeps no real-time periods.
    "series_id": None,
    "row_kind": "month",
    "revised": None,
    "vintage_start": None,
    "vintage_end": None,
}


def _constant(value: str | None, rows: int, type_: pa.DataType) -> pa.Array:
    """`rows` times the same text (or null), built from buffers: no Python object per row."""
    if value is None:
        return pa.nulls(rows, type_)
    data = value.encode()
    offsets = np.arange(rows + 1, dtype=np.int32) * len(data)
    return pa.Array.from_buffers(
        pa.string(), rows, [None, pa.py_buffer(offsets), pa.py_buffer(data * rows)]
    )


def _table(varying: dict[str, Any], flow: str | None) -> pa.Table:
    """OBSERVATION_SCHEMA from the varying columns (lists or Arrow arrays) and the fixed ones."""
    rows = len(varying["period"])
    fixed = {**_FIXED, "flow": flow}
    columns = {
        name: varying[name]
        if name in varying
        else _constant(fixed[name], rows, OBSERVATION_SCHEMA.field(name).type)
        for name in OBSERVATION_SCHEMA.names
    }
    return pa.table(columns, schema=OBSERVATION_SCHEMA)
