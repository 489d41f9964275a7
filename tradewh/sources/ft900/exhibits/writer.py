"""Writing an exhibit sheet back from its cells (the sample archive, tests' corrupted copies).

Cell for cell: text stays text, numbers stay numbers, in the sheet name as published; nothing
else of the original file (styles, metadata) is carried over.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import xlsxwriter

from tradewh.sources.ft900.exhibits.cells import Grid

# A fixed creation date: the same figures give the same bytes, so the same vintage.
FIXED_CREATED = datetime(2000, 1, 1)


def write_sheet(path: Path, sheet_name: str, cells: Grid) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": FIXED_CREATED})
    sheet = book.add_worksheet(sheet_name)
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            if cell is None or cell == "":
                continue
            if isinstance(cell, bool):
                sheet.write_boolean(r, c, cell)
            elif isinstance(cell, int | float):
                sheet.write_number(r, c, cell)
            else:
                sheet.write_string(r, c, str(cell))
    book.close()
