"""Reading and writing the country.xlsx layout (one sheet, a header, a row per year x partner)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from python_calamine import CalamineWorkbook

from tradewh.sources.census_country.constants import COLUMNS, HEADER_SEARCH_ROWS, SHEET

FIXED_CREATED = datetime(2000, 1, 1)


class LayoutError(ValueError):
    """The workbook is not in the published country.xlsx layout."""


def read_rows(payload: bytes) -> tuple[list[str], list[list[Any]]]:
    """The header (as published) and the data rows of the `country` sheet."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(payload))
    except Exception as exc:  # calamine raises several types for non-workbooks
        raise LayoutError(f"not a readable Excel workbook: {exc}") from exc
    if SHEET not in book.sheet_names:
        raise LayoutError(f"no sheet named {SHEET!r} (sheets: {book.sheet_names})")
    rows = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [str(cell).strip() for cell in row]
        if "CTY_CODE" in names:
            return names, rows[index + 1 :]
    raise LayoutError(f"no header row with CTY_CODE in the first {HEADER_SEARCH_ROWS} rows")


def write_workbook(
    path: Path, rows: Sequence[Sequence[Any]], header: Sequence[str] = COLUMNS
) -> None:
    """Write rows in the published layout: codes and years as text, values as numbers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    # A fixed creation date makes the same rows give the same bytes, so the same vintage.
    book.set_properties({"created": FIXED_CREATED})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, list(header))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value)
    book.close()
