"""Reading and writing the EnduseImp sheet: CTY_CODE, CTY_DESC, END_USE, COMM_DESC, value_YY..."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from python_calamine import CalamineWorkbook

from tradewh.sources.census_enduse.constants import KEY_COLUMNS, SHEET, YEAR_COLUMN

FIXED_CREATED = datetime(2000, 1, 1)


class LayoutError(ValueError):
    """The workbook is not in the published EnduseImp layout."""


@dataclass(frozen=True)
class Row:
    code: str  # CTY_CODE, four digits as text
    name: str
    enduse: str  # END_USE, five digits as text
    description: str
    values: tuple[str | None, ...]  # whole dollars as text per year; None = empty cell


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    years: tuple[int, ...]
    rows: tuple[Row, ...]


def _code(cell: Any, width: int, where: str) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a code typed as a number loses its leading zeros: put them back
    text = str(cell if cell is not None else "").strip()
    if not text.isdigit() or len(text) > width:
        raise LayoutError(f"{where}: {text!r} is not a {width}-digit code")
    return text.zfill(width)


def _dollars(cell: Any, where: str) -> str | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, str):
        try:
            cell = float(cell.replace(",", ""))
        except ValueError:
            raise LayoutError(f"{where}: {cell!r} is not a number") from None
    if isinstance(cell, bool) or not isinstance(cell, int | float) or not math.isfinite(cell):
        raise LayoutError(f"{where}: {cell!r} is not a number")
    if not float(cell).is_integer():
        raise LayoutError(f"{where}: {cell!r} is not whole dollars")
    return str(int(cell))


def read_table(payload: bytes) -> Table:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(payload))
    except Exception as exc:  # calamine raises several types for non-workbooks
        raise LayoutError(f"not a readable Excel workbook: {exc}") from exc
    if SHEET not in book.sheet_names:
        raise LayoutError(f"no sheet named {SHEET!r} (sheets: {book.sheet_names})")
    cells = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    if not cells:
        raise LayoutError(f"sheet {SHEET!r} is empty")
    header = tuple(str(cell).strip() for cell in cells[0])
    if header[: len(KEY_COLUMNS)] != KEY_COLUMNS:
        raise LayoutError(f"header {header[:4]} is not {KEY_COLUMNS}")
    years = []
    for name in header[len(KEY_COLUMNS) :]:
        match = YEAR_COLUMN.match(name)
        if not match:
            raise LayoutError(f"column {name!r} is not value_YY")
        years.append(2000 + int(match.group(1)))
    if not years:
        raise LayoutError("no value_YY columns")
    rows = []
    for number, cells_row in enumerate(cells[1:], start=2):
        cells_row = list(cells_row) + [None] * (len(header) - len(cells_row))
        if not any(cell not in (None, "") for cell in cells_row):
            continue
        where = f"row {number}"
        rows.append(
            Row(
                _code(cells_row[0], 4, where),
                str(cells_row[1]).strip(),
                _code(cells_row[2], 5, where),
                str(cells_row[3]).strip(),
                tuple(_dollars(cell, where) for cell in cells_row[len(KEY_COLUMNS) :]),
            )
        )
    return Table(header, tuple(years), tuple(rows))


def write_table(path: Path, table: Table) -> None:
    """Write in the published layout (codes as text, dollars as numbers); read_table reads it
    back equal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": FIXED_CREATED})
    sheet = book.add_worksheet(SHEET)
    for c, name in enumerate(table.header):
        sheet.write_string(0, c, name)
    for r, row in enumerate(table.rows, start=1):
        for c, text in enumerate((row.code, row.name, row.enduse, row.description)):
            sheet.write_string(r, c, text)
        for c, value in enumerate(row.values, start=len(KEY_COLUMNS)):
            if value is not None:
                sheet.write_number(r, c, int(value))
    book.close()
