"""Census International Trade API: U.S. goods exports and general imports by partner, monthly,
Census basis, not seasonally adjusted, whole dollars; all commodities and by end-use (and by HS
code when asked for: constants.HS_LEVEL).

One payload per flow and span of months: a JSON array of arrays, header row first, every cell a
string, the predicates (`time`, `COMM_LVL`) appended as columns, one row per line. An empty body
is the API's 204 "no data for these months" (before 2010, or not released yet).

Reading: json.loads and a loop per row, the reference; a large payload (HS10 detail is millions
of rows) is first read by DuckDB's JSON reader, which is used only where it provably read
exactly what json.loads would have (see _parse_fast); anything else goes the reference way.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tradewh.settings import Settings
from tradewh.sources import OBSERVATION_SCHEMA, Parsed, ParseError, Request
from tradewh.sources.census_api.constants import (
    ALL_COUNTRIES,
    ANNUAL_REVISION_MONTH,
    ANNUAL_REVISION_YEARS,
    BASE_URL,
    COMM_LVL,
    COMMODITY_VARIABLES,
    ENDPOINTS,
    FIRST_MONTH,
    FLOW_OF_VALUE,
    GROUP_CODE,
    HS_ENDPOINTS,
    HS_LEVEL,
    HS_LEVELS,
    MISSING_VALUES,
    PARTNER_CODE,
    PARTNER_NAME,
    RELEASE_LAG_DAYS,
    TIME,
    TOTAL_COMMODITY,
    TOTAL_COMMODITY_CODES,
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
# Payloads from this size are read by DuckDB first (_parse_fast); below it json.loads is as quick.
FAST_PARSE_MIN_BYTES = 1 << 20


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


# --------------------------------------------------------------------------------------------
# How to read it


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


def parse_path(path: Path, url: str | None = None) -> Parsed:
    """parse of a landed file: a large one read by DuckDB where it lies, without holding its
    body (tests/test_census_api.py: the same table as parse of its bytes)."""
    if path.stat().st_size >= FAST_PARSE_MIN_BYTES:
        parsed = _parse_fast_path(path)
        if parsed is not None:
            return parsed
    return parse(path.read_bytes(), url=url)


def parse(payload: bytes, url: str | None = None) -> Parsed:
    """Rows of OBSERVATION_SCHEMA; raises ParseError for anything but the API's JSON or 204."""
    if len(payload) >= FAST_PARSE_MIN_BYTES:
        parsed = _parse_fast(payload)
        if parsed is not None:
            return parsed
    return _parse_reference(payload)


def _parse_reference(payload: bytes) -> Parsed:
    """json.loads and a loop over the rows: the reading that defines what a payload means."""
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
        code, name, time, value, commodity = _cells(row, layout, number)
        period = _month(time)
        if period is None:
            raise ParseError(f"data row {number}: time {time!r:.40} is not a YYYY-MM month")
        partner_code, is_aggregate = _partner(code)
        commodity_class, commodity_code = _commodity(commodity, layout.commodity_class)
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


# --------------------------------------------------------------------------------------------
# The fast reading of a large payload


# Bytes read at a time when a landed file is checked where it lies.
_SCAN_BLOCK = 8 << 20
# Bytes whose presence sends a payload the reference way: a backslash (an escape), an object,
# and vertical tab and form feed (DuckDB skips them between rows; json.loads refuses them).
_NOT_FAST = (b"\\", b"{", b"\x0b", b"\x0c")
_BOM = b"\xef\xbb\xbf"


def _parse_fast(payload: bytes) -> Parsed | None:
    """The payload read by DuckDB's JSON reader (in C++, in parallel, no Python object per
    cell), or None where that reading cannot be shown to equal json.loads': the reference
    reading then decides, errors included. Never raises for a bad payload.

    DuckDB's reader is more lenient than json.loads: it turns cells that are not strings
    (numbers, true, NaN, nested arrays, objects) into text, accepts a trailing comma inside a
    row, and skips vertical tab and form feed between rows. All ruled out with a few counts
    on the raw bytes. With none of _NOT_FAST, there is no escape (a string's raw bytes are its
    value and hold no quote) and no object; with exactly one `[` per row and one for the
    whole, no nested array. So the payload's quotes are those of the cells that are strings,
    and two per non-null cell means every non-null cell is one. The payload's length is then
    what a compact array of arrays of these cells takes, plus its newlines (which cannot be
    inside a string), plus trailing commas and other whitespace between the cells: equal means
    there is neither (the API writes none; a payload that has some goes the reference way).
    Each distinct month, partner code and commodity code is then mapped by the functions of
    the reference reading; values that are plain digits (nearly all) stay as they are, which
    is what _value does with them, and the others go through _value.
    """
    facts = _Facts.of(payload)
    if not facts.may_be_fast:
        return None
    with tempfile.NamedTemporaryFile(suffix=".json") as file:
        file.write(payload)
        file.flush()
        return _read_fast(file.name, facts)


def _parse_fast_path(path: Path) -> Parsed | None:
    """_parse_fast of a landed file, read where it lies: the counts in blocks, the rows by
    DuckDB from the file itself (the body is never held in memory)."""
    facts = _Facts.of_file(path)
    return _read_fast(str(path), facts) if facts.may_be_fast else None


@dataclass(frozen=True)
class _Facts:
    """What _parse_fast checks on the raw bytes of a payload."""

    size: int
    brackets: int  # b"["
    quotes: int  # b'"'
    newlines: int
    bom: bool
    may_be_fast: bool  # starts with "[", holds none of _NOT_FAST, is UTF-8

    @classmethod
    def of(cls, payload: bytes) -> _Facts:
        head = payload[:256].lstrip(_BOM + b" \t\r\n")
        fast = head.startswith(b"[") and not any(bad in payload for bad in _NOT_FAST)
        if fast and not payload.isascii():
            try:
                payload.decode("utf-8")
            except UnicodeDecodeError:
                fast = False
        return cls(
            len(payload),
            payload.count(b"["),
            payload.count(b'"'),
            payload.count(b"\n"),
            payload.startswith(_BOM),
            fast,
        )

    @classmethod
    def of_file(cls, path: Path) -> _Facts:
        """The same counts, block by block (every pattern of _NOT_FAST is one byte, and the
        incremental decoder keeps a character cut between two blocks)."""
        brackets = quotes = newlines = size = 0
        bad = False
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8 = True
        with path.open("rb") as file:
            first = file.read(_SCAN_BLOCK)
            head, block = first[:256], first
            while block:
                size += len(block)
                brackets += block.count(b"[")
                quotes += block.count(b'"')
                newlines += block.count(b"\n")
                bad = bad or any(pattern in block for pattern in _NOT_FAST)
                # An ASCII block needs decoding only to finish a character the last one cut.
                if utf8 and (not block.isascii() or decoder.getstate()[0]):
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError:
                        utf8 = False
                block = file.read(_SCAN_BLOCK)
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
        opening = head.lstrip(_BOM + b" \t\r\n").startswith(b"[")
        return cls(
            size, brackets, quotes, newlines, head.startswith(_BOM), opening and not bad and utf8
        )


def _read_fast(path: str, facts: _Facts) -> Parsed | None:
    try:
        read = _read_rows(path)
    except duckdb.Error:
        return None
    if read is None:
        return None
    layout, cells, width, filled, cell_bytes = read
    rows = len(width)
    widths = pc.min_max(width).as_py()
    if rows < 2 or width.null_count or widths != {"min": layout.width, "max": layout.width}:
        return None
    strings = pc.sum(filled).as_py() or 0
    compact = (
        1
        + rows * (2 + layout.width)
        + 2 * strings
        + 4 * (rows * layout.width - strings)
        + cell_bytes
        + facts.newlines
        + (len(_BOM) if facts.bom else 0)
    )
    if facts.brackets != rows + 1 or facts.quotes != 2 * strings or facts.size != compact:
        return None
    code, name, time, value, commodity = (
        None if i is None else cells[i].slice(1) for i in layout.columns
    )

    periods, period_index = _distinct(time, _month)
    if None in periods:
        return None  # the reference reading names the row
    partners, partner_index = _distinct(code, _partner)
    if commodity is None:
        commodities = [("total", TOTAL_COMMODITY)]
        commodity_index = pa.nulls(rows - 1, pa.int32()).fill_null(0)
    else:
        commodities, commodity_index = _distinct(
            commodity, functools.partial(_commodity, commodity_class=layout.commodity_class)
        )
    varying = {
        "period": _take(periods, pa.date32(), period_index),
        "partner_code": _take([p[0] for p in partners], pa.string(), partner_index),
        "partner_name": name.cast(pa.string()),
        "partner_is_aggregate": _take([p[1] for p in partners], pa.bool_(), partner_index),
        "commodity_class": _take([c[0] for c in commodities], pa.string(), commodity_index),
        "commodity_code": _take([c[1] for c in commodities], pa.string(), commodity_index),
        "value_text": _values(value),
    }
    return Parsed(_table(varying, layout.flow), min(periods), max(periods))


def _read_rows(
    path: str,
) -> tuple[_Layout, dict[int, pa.Array], pa.Array, pa.Array, int] | None:
    """As DuckDB's JSON reader reads the payload, in order: the layout its header row gives;
    the cells of the columns read (by position; header row included); each row's width and
    count of non-null cells; and the bytes of all cells. None when the first row is not a
    header row."""
    source = (
        f"read_json('{path.replace(chr(39), chr(39) * 2)}', format = 'array', "
        "records = 'false', columns = {'r': 'VARCHAR[]'})"
    )
    with duckdb.connect() as con:
        con.execute("SET preserve_insertion_order = true")
        first = con.sql(f"SELECT r FROM {source} LIMIT 1").fetchall()
        if not first or not isinstance(first[0][0], list):
            return None
        header = first[0][0]
        try:
            layout = _layout(header)
        except ParseError:
            return None
        wanted = [i for i in layout.columns if i is not None]
        # The other cells only for their length.
        selected = [
            f"r[{i + 1}] AS c{i}" if i in wanted else f"strlen(r[{i + 1}]) AS c{i}"
            for i in range(len(header))
        ]
        table = con.sql(
            f"SELECT len(r) AS width, list_count(r) AS filled, {', '.join(selected)} FROM {source}"
        ).to_arrow_table()
    columns = {i: table.column(f"c{i}").combine_chunks() for i in wanted}
    if [columns[i][0].as_py() for i in wanted] != [header[i] for i in wanted]:
        return None
    cell_bytes = sum(
        pc.sum(pc.binary_length(columns[i]) if i in wanted else table.column(f"c{i}")).as_py() or 0
        for i in range(len(header))
    )
    return (
        layout,
        columns,
        table.column("width").combine_chunks(),
        table.column("filled").combine_chunks(),
        cell_bytes,
    )


def _distinct(
    column: pa.Array, function: Callable[[str | None], Any]
) -> tuple[list[Any], pa.Array]:
    """The function's result for each distinct value of the column (null included), and each
    row's index into those results."""
    encoded = pc.dictionary_encode(column, null_encoding="encode")
    return [function(value) for value in encoded.dictionary.to_pylist()], encoded.indices


def _take(results: Sequence[Any], type_: pa.DataType, index: pa.Array) -> pa.Array:
    return pa.array(results, type_).take(index)


def _values(column: pa.Array) -> pa.Array:
    """value_text: _value of each cell; digits only (nearly all) stay as they are."""
    digits = pc.fill_null(pc.utf8_is_digit(column), False)
    if pc.all(digits).as_py():
        return column.cast(pa.string())
    others = pc.unique(column.filter(pc.invert(digits)))
    mapped = pa.array([_value(value) for value in others.to_pylist()], pa.string())
    replaced = mapped.take(pc.index_in(column, value_set=others))
    return pc.if_else(digits, column, replaced).cast(pa.string())
