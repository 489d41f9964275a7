"""Exhibits 7 and 8: exports / imports of goods by end-use category and commodity (SA).

Rows: the BOP and Census totals, then each principal end-use category followed by its
commodity lines (ranked by monthly change, so their order means nothing). Columns: the current
month, the previous month ("2021 (R)" when revised), the monthly change, year to date this year
and last year, and its change. Changes are differences of the figures beside them: not kept.

End-use categories are coded 0-5 as in the end-use classification; the exhibit gives no code
for a commodity line, so its code is its category digit and its published name:
"3.passenger_cars_new_and_used".
"""

from __future__ import annotations

import re
from typing import Any

from tradewh.sources.ft900.exhibits.cells import (
    REVISED,
    LayoutError,
    Sheet,
    find_row,
    label,
    text,
    value_text,
)
from tradewh.sources.ft900.exhibits.periods import Period, column_period
from tradewh.sources.ft900.exhibits.records import Series, observation

CATEGORIES = {
    "Foods, feeds, and beverages": "0",
    "Industrial supplies and materials": "1",
    "Capital goods, except automotive": "2",
    "Automotive vehicles, parts, and engines": "3",
    "Consumer goods": "4",
    "Other goods": "5",
}
TOTALS = {"Total, Balance of Payments Basis": "bop", "Total, Census Basis": "census"}
SKIPPED = frozenset({"Net Adjustments"})
WIDTH = 7


def line_code(category: str, name: str) -> str:
    return f"{category}.{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}"


def _columns(sheet: Sheet, header: int) -> list[tuple[Period, bool] | None]:
    top = sheet.row(header, WIDTH)[1:]
    bottom = sheet.row(header + 1, WIDTH)[1:]
    named = [f"{text(a)} {text(b)}".strip() for a, b in zip(top, bottom, strict=True)]
    current = column_period(named[0], None)
    if current is None or current.frequency != "M":
        raise LayoutError(f"sheet {sheet.name!r}: first column {named[0]!r} is not a month")
    columns: list[tuple[Period, bool] | None] = []
    for name in named:
        period = column_period(REVISED.sub("", name).strip(), current.period.month)
        columns.append(None if period is None else (period, REVISED.search(name) is not None))
    kept = [column for column in columns if column]
    if len(kept) != 4:
        raise LayoutError(f"sheet {sheet.name!r}: columns {named} are not month, month, YTD x2")
    return columns


def read(sheet: Sheet, flow: str) -> list[dict[str, Any]]:
    header = find_row(sheet, "Item")
    columns = _columns(sheet, header)
    records: list[dict[str, Any]] = []
    category: str | None = None
    for index in range(header + 2, len(sheet.cells)):
        row = sheet.row(index, WIDTH)
        name, cells = label(row[0]), row[1:]
        where = f"sheet {sheet.name!r} row {index + 1}"
        if not any(value_text(cell, where) for cell in cells):
            continue  # footnotes and notes
        if name in SKIPPED:
            continue
        if name in TOTALS:
            series = Series(flow, TOTALS[name], "sa")
        elif name in CATEGORIES:
            category = CATEGORIES[name]
            series = Series(flow, "census", "sa", commodity=("enduse", category))
        elif category is not None and name:
            series = Series(flow, "census", "sa", commodity=("enduse", line_code(category, name)))
        else:
            raise LayoutError(f"{where}: {name!r} is not under an end-use category")
        for column, cell in zip(columns, cells, strict=True):
            value = value_text(cell, where)
            if column is None or value is None:
                continue
            period, revised = column
            records.append(observation(series, period, value, revised=revised))
    return records
