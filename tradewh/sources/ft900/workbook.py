"""Reading and writing the FT-900 Exhibit 1 layout.

The sheet: title lines, a two-row header (Period | Balance, Exports, Imports x Total, Goods (1),
Services), then one block per year (a year line, the "Jan. - Dec." annual row, a year-to-date row,
the twelve months, unpublished ones empty), then "<Month> data as published last month:" with
that month's first print on the next line, and footnotes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

import xlsxwriter
from python_calamine import CalamineWorkbook

from tradewh.sources.ft900.constants import (
    ANNUAL,
    AS_PUBLISHED,
    BOP_FOOTNOTE,
    COLUMNS,
    FLOW_HEADER,
    FOOTNOTES,
    MONTH,
    MONTHS,
    PERIOD_HEADER,
    PRODUCT_HEADER,
    REVISED,
    SHEET,
    TITLE,
    TITLE_LINES,
    YEAR,
    YEAR_TO_DATE,
)

FIXED_CREATED = datetime(2000, 1, 1)
WIDTH = 1 + len(COLUMNS)

RowKind = Literal["month", "annual", "year_to_date", "as_published_last_month"]
Values = tuple[float | None, ...]


class LayoutError(ValueError):
    """The workbook is not in the published Exhibit 1 layout."""


@dataclass(frozen=True)
class Row:
    kind: RowKind
    label: str  # as published, without surrounding blanks
    # The year block; for the as-published line, the year of the month it repeats.
    year: int
    month: int | None  # 1-12 for month rows and the as-published line
    revised: bool  # "(R)" in the label
    values: Values  # the 9 COLUMNS; None where the cell is empty (not published)

    @property
    def period(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def published(self) -> bool:
        return any(value is not None for value in self.values)


@dataclass(frozen=True)
class Release:
    """The rows of one Exhibit 1, in sheet order."""

    rows: tuple[Row, ...]

    def months(self) -> list[date]:
        """The months with published figures (the as-published line not counted)."""
        return [row.period for row in self.rows if row.kind == "month" and row.published]


# --- reading ---------------------------------------------------------------------------------


class _Line(NamedTuple):
    number: int  # 1-based sheet row, for messages
    label: str
    values: Values


class _Pending(NamedTuple):
    """An as-published line: its year is known only once the newest month is."""

    label: str
    month: int
    values: Values


def read_release(payload: bytes) -> Release:
    """The rows of the Exhibit 1 sheet of a workbook; LayoutError if there is none."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(payload))
    except Exception as exc:  # calamine raises several types for non-workbooks
        raise LayoutError(f"not a readable Excel workbook: {exc}") from exc
    for name in book.sheet_names:
        try:
            cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise LayoutError(f"sheet {name!r} is unreadable: {exc}") from exc
        if _has_title(cells):
            return _read_sheet(name, cells)
    raise LayoutError(f"no sheet titled 'Exhibit 1.' (sheets: {book.sheet_names})")


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a year typed as a number
    return str(cell).strip()


def _has_title(cells: list[list[Any]]) -> bool:
    return any(TITLE.match(_text(cell)) for row in cells for cell in row)


def _read_sheet(name: str, cells: list[list[Any]]) -> Release:
    header, column = _find_header(name, cells)
    lines = list(_lines(cells, header + 1, column))
    if not any(BOP_FOOTNOTE.match(line.label) for line in lines):
        raise LayoutError(f"sheet {name!r}: no footnote saying goods are on a BOP basis")
    return _Body().read(lines)


def _find_header(name: str, cells: list[list[Any]]) -> tuple[int, int]:
    """(index of the second header row, column of "Period")."""
    for index, row in enumerate(cells):
        for column, cell in enumerate(row):
            if _text(cell) != PERIOD_HEADER:
                continue
            if _row_text(row, column + 1) != FLOW_HEADER:
                raise LayoutError(
                    f"sheet {name!r} row {index + 1}: header {_row_text(row, column + 1)} "
                    f"is not {FLOW_HEADER}"
                )
            second = _next_nonblank(cells, index + 1)
            found = _row_text(cells[second], column + 1) if second is not None else ()
            if found != PRODUCT_HEADER:
                raise LayoutError(
                    f"sheet {name!r}: second header row {found} is not {PRODUCT_HEADER}"
                )
            return second, column
    raise LayoutError(f"sheet {name!r} has no header row starting with {PERIOD_HEADER!r}")


def _row_text(row: Sequence[Any], start: int) -> tuple[str, ...]:
    cells = list(row[start : start + len(COLUMNS)])
    return tuple(_text(cell) for cell in cells + [None] * (len(COLUMNS) - len(cells)))


def _next_nonblank(cells: list[list[Any]], start: int) -> int | None:
    for index in range(start, len(cells)):
        if any(_text(cell) for cell in cells[index]):
            return index
    return None


def _lines(cells: list[list[Any]], start: int, column: int) -> Iterator[_Line]:
    """The non-blank rows below the header: label and the 9 values."""
    for index in range(start, len(cells)):
        row = list(cells[index][column : column + WIDTH])
        row += [None] * (WIDTH - len(row))
        label = _text(row[0])
        values = tuple(_number(cell, index + 1, c) for c, cell in enumerate(row[1:]))
        if label or any(value is not None for value in values):
            yield _Line(index + 1, label, values)


def _number(cell: Any, row_number: int, column: int) -> float | None:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    value: float | None = None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = float(cell)
    elif isinstance(cell, str):
        try:
            value = float(cell.replace(",", ""))
        except ValueError:
            value = None
    if value is None or not math.isfinite(value):
        flow, product = COLUMNS[column]
        raise LayoutError(f"row {row_number}: {flow} {product} is not a number: {cell!r}")
    return value


class _Body:
    """Turns the lines below the header into rows, following the year blocks."""

    def __init__(self) -> None:
        self.year: int | None = None
        # (label, month) of an as-published line whose values are on the next line.
        self.as_published: tuple[str, int] | None = None
        self.rows: list[Row | _Pending] = []

    def read(self, lines: list[_Line]) -> Release:
        for line in lines:
            self._feed(line)
        if self.as_published is not None:
            raise LayoutError("'data as published last month' line without its values")
        return self._finish()

    def _feed(self, line: _Line) -> None:
        label, values = line.label, line.values
        published = any(value is not None for value in values)
        if self.as_published is not None:
            if label:
                raise LayoutError(f"row {line.number}: expected the as-published values")
            self.rows.append(_Pending(*self.as_published, values))
            self.as_published = None
        elif match := YEAR.match(label):
            self._start_year(line, int(match.group(1)), published)
        elif match := AS_PUBLISHED.match(label):
            self.as_published = (label, MONTHS.index(match.group(1)) + 1)
        elif ANNUAL.match(label):
            self._add(line, "annual", None)
        elif YEAR_TO_DATE.match(label):
            self._add(line, "year_to_date", None)
        elif match := MONTH.match(label):
            self._add(line, "month", MONTHS.index(match.group(1)) + 1)
        elif published:
            raise LayoutError(f"row {line.number}: unrecognised label {label!r} with figures")
        # Anything else is text without figures: footnotes and notes.

    def _start_year(self, line: _Line, year: int, published: bool) -> None:
        if published or not 1900 <= year <= 2999:
            raise LayoutError(f"row {line.number}: {line.label!r} is not a year heading")
        self.year = year

    def _add(self, line: _Line, kind: RowKind, month: int | None) -> None:
        if self.year is None:
            raise LayoutError(f"row {line.number}: {line.label!r} before any year heading")
        revised = REVISED.search(line.label) is not None
        self.rows.append(Row(kind, line.label, self.year, month, revised, line.values))

    def _finish(self) -> Release:
        published = Release(tuple(row for row in self.rows if isinstance(row, Row))).months()
        if not published:
            raise LayoutError("no month with published figures")
        newest = max(published)
        # The line repeats the first print of the month before the newest one.
        previous = date(newest.year - (newest.month == 1), (newest.month - 2) % 12 + 1, 1)
        rows = tuple(_resolve(row, previous) for row in self.rows)
        _check_unique(rows)
        return Release(rows)


def _resolve(row: Row | _Pending, previous: date) -> Row:
    if isinstance(row, Row):
        return row
    if row.month != previous.month:
        raise LayoutError(
            f"{row.label!r} but the month before the newest published one is "
            f"{MONTHS[previous.month - 1]} {previous.year}"
        )
    return Row("as_published_last_month", row.label, previous.year, row.month, False, row.values)


def _check_unique(rows: tuple[Row, ...]) -> None:
    seen: set[tuple[str, int, int | None]] = set()
    for row in rows:
        key = (row.kind, row.year, row.month)
        if key in seen:
            raise LayoutError(f"{row.label!r} appears twice in {row.year}")
        seen.add(key)


# --- writing ---------------------------------------------------------------------------------


def write_release(path: Path, release: Release) -> None:
    """Write the release in the published Exhibit 1 layout; read_release reads it back equal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    # A fixed creation date makes the same figures give the same bytes, so the same vintage.
    book.set_properties({"created": FIXED_CREATED})
    sheet = book.add_worksheet(SHEET)
    sheet.set_column(0, 0, 38)
    sheet.set_column(1, len(COLUMNS), 11)
    amount = book.add_format({"num_format": "#,##0"})
    # Row 0 is blank, as published.
    for r, (label, values) in enumerate(_layout(release), start=1):
        if label:
            sheet.write_string(r, 0, label)
        for c, value in enumerate(values, start=1):
            if isinstance(value, str):
                if value:
                    sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write_number(r, c, value, amount)
    book.close()


def _layout(release: Release) -> Iterator[tuple[str, Sequence[str | float | None]]]:
    nothing: Values = (None,) * len(COLUMNS)
    for line in TITLE_LINES:
        yield line, nothing
    yield PERIOD_HEADER, FLOW_HEADER
    yield "", PRODUCT_HEADER
    year = None
    for row in release.rows:
        if row.kind == "as_published_last_month":
            yield row.label, nothing
            yield "", row.values
            continue
        if row.year != year:
            year = row.year
            yield str(year), nothing
        yield row.label, row.values
    for line in FOOTNOTES:
        yield line, nothing
