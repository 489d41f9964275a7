"""A large answer read by DuckDB's JSON reader, used only where it provably reads exactly what
json.loads would (its byte checks run in blocks over the landed file); anything else returns
None and goes the reference way."""

from __future__ import annotations

import codecs
import functools
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from tradewh.sources import Parsed, ParseError
from tradewh.sources.census_api.answer import (
    _commodity,
    _Layout,
    _layout,
    _month,
    _partner,
    _table,
    _value,
)
from tradewh.sources.census_api.constants import (
    TOTAL_COMMODITY,
)

# Bytes read at a time when a landed file is checked where it lies.
_SCAN_BLOCK = 8 << 20


# Bytes whose presence sends a payload the reference way: a backslash (an escape), an object,
# and vertical tab and form feed (DuckDB skips them between rows; json.loads refuses them).
_NOT_FAST = (b"\\", b"{", b"\x0b", b"\x0c")


_BOM = b"\xef\xbb\xbf"


def parse_fast(payload: bytes) -> Parsed | None:
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


def parse_fast_path(path: Path) -> Parsed | None:
    """parse_fast of a landed file, read where it lies: the counts in blocks, the rows by
    DuckDB from the file itself (the body is never held in memory)."""
    facts = _Facts.of_file(path)
    return _read_fast(str(path), facts) if facts.may_be_fast else None


@dataclass(frozen=True)
class _Facts:
    """What parse_fast checks on the raw bytes of a payload."""

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
