"""Reading an FT-900 exhibit sheet: the grid of cells, labels and published values.

Every exhibit workbook of the release is one sheet of text and numbers. What a cell means
depends on the exhibit; these helpers only say what the cell holds, as published.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineWorkbook


class LayoutError(ValueError):
    """The sheet is not in the layout its exhibit is published in."""


Grid = list[list[Any]]

# "(-)": zero or less than half a unit, a published value (0 to the unit shown).
ZERO = "(-)"
# "(X)" not applicable (the supplemental table's ranks of totals), "n.a." not available
# (Exhibit 20's CAFTA-DR): nothing is published in that cell. Any other text is an error.
NOT_PUBLISHED = frozenset({"", "(X)", "n.a."})
REVISED = re.compile(r"\(R\)")
FOOTNOTE_MARK = re.compile(r"\s*\(\d+\)\s*$")


@dataclass(frozen=True)
class Sheet:
    name: str
    cells: Grid

    def row(self, index: int, width: int) -> list[Any]:
        row = list(self.cells[index][:width]) if index < len(self.cells) else []
        return row + [None] * (width - len(row))


def read_sheet(payload: bytes) -> Sheet:
    """The first sheet of an exhibit workbook (every exhibit is published as one sheet)."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(payload))
    except Exception as exc:  # calamine raises several types for non-workbooks
        raise LayoutError(f"not a readable Excel workbook: {exc}") from exc
    if not book.sheet_names:
        raise LayoutError("workbook has no sheet")
    name = book.sheet_names[0]
    try:
        cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise LayoutError(f"sheet {name!r} is unreadable: {exc}") from exc
    return Sheet(name, cells)


def text(cell: Any) -> str:
    """A cell as text, blanks collapsed (headers break lines inside cells: "August\\n2021")."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a year typed as a number
    return " ".join(str(cell).split())


def label(cell: Any) -> str:
    """A row label without its footnote mark: "Unidentified Countries (2)" -> "...Countries"."""
    return FOOTNOTE_MARK.sub("", text(cell)).strip()


def value_text(cell: Any, where: str) -> str | None:
    """The published value of a cell as exact text, None where nothing is published.

    Raises LayoutError for text that is neither a number nor one of the published symbols."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        number = float(cell)
        if not math.isfinite(number):
            raise LayoutError(f"{where}: {cell!r} is not a finite number")
        if number.is_integer():
            return str(int(number))
        # The supplemental tables print dollars as millions with six decimals: keep them all,
        # without the binary noise of the float (22274.800000000003).
        return f"{number:.6f}".rstrip("0").rstrip(".")
    content = text(cell)
    if content == ZERO:
        return "0"
    if content in NOT_PUBLISHED:
        return None
    try:
        return value_text(float(content.replace(",", "")), where)
    except ValueError:
        raise LayoutError(f"{where}: {content!r} is not a number") from None


def is_flag(cell: Any) -> bool:
    """A cell that only holds the "(R)" revised mark, or nothing."""
    return text(cell) in ("", "(R)")


def title(sheet: Sheet, rows: int = 8) -> str:
    """The exhibit's title line: the first cell starting "Exhibit "."""
    for row in sheet.cells[:rows]:
        for cell in row[:2]:
            if text(cell).startswith("Exhibit "):
                return text(cell)
    raise LayoutError(f"sheet {sheet.name!r}: no 'Exhibit ...' title in the first {rows} rows")


def find_row(sheet: Sheet, first_cell: str, start: int = 0) -> int:
    """Index of the first row from start whose first cell reads first_cell."""
    for index in range(start, len(sheet.cells)):
        row = sheet.cells[index]
        if row and label(row[0]) == first_cell:
            return index
    raise LayoutError(f"sheet {sheet.name!r}: no row labelled {first_cell!r}")
