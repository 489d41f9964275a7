"""Exhibits laid out as year blocks of period rows: 6, 9, 12, 13 (end-use categories, petroleum,
BOP vs Census totals) and 17 (energy-related petroleum products, thousands of dollars).

Below a header, each year has a heading line, then "Jan. - Dec." (annual), "Jan. - Aug."
(year to date) and the months ("July (R)" = revised in this release; unpublished months are
empty). Exhibits 6, 13 and 17 repeat the blocks under an "Exports" and an "Imports" line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
from tradewh.sources.ft900.exhibits.periods import YEAR_ROW, Period, row_period
from tradewh.sources.ft900.exhibits.records import Series, observation

BLOCKS = ("Exports", "Imports")


@dataclass(frozen=True)
class Layout:
    """How to read one exhibit: its sub-header as published, and what each column measures.

    columns: one entry per column right of "Period", a Series, a function of the block
    ("Exports"/"Imports") giving one, or None for a column that is not kept (net adjustments,
    quantities, prices)."""

    subheader: tuple[str, ...]
    columns: Sequence[Any]
    blocks: bool
    thousands: bool = False  # values in thousands of dollars (Exhibit 17)


def read(sheet: Sheet, layout: Layout) -> list[dict[str, Any]]:
    header = find_row(sheet, "Period")
    width = 1 + len(layout.columns)
    found = tuple(text(cell) for cell in sheet.row(header + 1, width)[1:])
    if found != layout.subheader:
        raise LayoutError(
            f"sheet {sheet.name!r} row {header + 2}: columns {found} are not {layout.subheader}"
        )
    records: list[dict[str, Any]] = []
    block = None if layout.blocks else ""
    year: int | None = None
    for index in range(header + 2, len(sheet.cells)):
        row = sheet.row(index, width)
        first, rest = label(row[0]), row[1:]
        if not first and text(rest[0]) in BLOCKS and not any(text(c) for c in rest[1:]):
            block, year = text(rest[0]), None
            continue
        if match := YEAR_ROW.match(first):
            year = int(match.group(1))
            continue
        period = row_period(first, year) if year is not None else None
        if period is None:
            if any(value_text(cell, f"row {index + 1}") for cell in rest) and first:
                raise LayoutError(f"sheet {sheet.name!r} row {index + 1}: {first!r} has figures")
            continue  # footnotes, notes, blank lines
        if block is None:
            raise LayoutError(f"sheet {sheet.name!r} row {index + 1}: figures before 'Exports'")
        records += _row_records(sheet, layout, block, period, first, rest, index)
    return records


def _row_records(
    sheet: Sheet,
    layout: Layout,
    block: str,
    period: Period,
    first: str,
    rest: list[Any],
    index: int,
) -> list[dict[str, Any]]:
    """The observations of one period row, a column each."""
    revised = REVISED.search(first) is not None
    records = []
    for column, cell in zip(layout.columns, rest, strict=True):
        series = column(block) if callable(column) else column
        value = value_text(cell, f"sheet {sheet.name!r} row {index + 1}")
        if series is None or value is None:
            continue
        if layout.thousands:
            value = _thousands_to_dollars(value, index)
        records.append(observation(series, period, value, revised=revised))
    return records


def _thousands_to_dollars(value: str, index: int) -> str:
    if not value.lstrip("-").isdigit():
        raise LayoutError(f"row {index + 1}: {value!r} thousand dollars is not a whole number")
    return str(int(value) * 1000)


# --- the exhibits ------------------------------------------------------------------------------


def _flow(block: str) -> str:
    return block.lower()


def _enduse_columns(adjustment: str) -> list[Any]:
    def total(basis: str) -> Any:
        return lambda block: Series(_flow(block), basis, adjustment)

    def category(code: str) -> Any:
        return lambda block: Series(_flow(block), "census", adjustment, commodity=("enduse", code))

    return [
        total("bop"),
        None,  # net adjustments: the difference of the two totals
        total("census"),
        *(category(code) for code in "012345"),
    ]


ENDUSE_SUBHEADER = (
    "",
    "",
    "",
    "Foods, Feeds, & Beverages",
    "Industrial Supplies (2)",
    "Capital Goods",
    "Automotive Vehicles, etc.",
    "Consumer Goods",
    "Other Goods",
)

EXHIBIT_6 = Layout(ENDUSE_SUBHEADER, _enduse_columns("sa"), blocks=True)
EXHIBIT_13 = Layout(ENDUSE_SUBHEADER, _enduse_columns("nsa"), blocks=True)


def _petroleum(flow: str) -> list[Any]:
    return [
        Series(flow, "bop", "sa"),
        None,
        Series(flow, "census", "sa", commodity=("enduse", "petroleum")),
        Series(flow, "census", "sa", commodity=("enduse", "non_petroleum")),
    ]


EXHIBIT_9 = Layout(
    ("Total", "Net Adjust- ments", "Petroleum (1)", "Non-petroleum") * 3,
    [*_petroleum("balance"), *_petroleum("exports"), *_petroleum("imports")],
    blocks=False,
)

EXHIBIT_12 = Layout(
    (
        "Total Balance of Payments Basis",
        "Total Census Basis",
        "Total Balance of Payments Basis",
        "Net Adjustments",
        "Total Census Basis",
        "Total Balance of Payments Basis",
        "Net Adjustments",
        "Total Census Basis",
    ),
    [
        Series("balance", "bop", "nsa"),
        Series("balance", "census", "nsa"),
        Series("exports", "bop", "nsa"),
        None,
        Series("exports", "census", "nsa"),
        Series("imports", "bop", "nsa"),
        None,
        Series("imports", "census", "nsa"),
    ],
    blocks=False,
)


def _energy(code: str) -> Any:
    return lambda block: Series(
        _flow(block), "census", "nsa", commodity=("petroleum", code), unit="usd"
    )


EXHIBIT_17 = Layout(
    (
        "Quantity (thousands of barrels)",
        "Value (thousands of dollars)",
        "Quantity (thousands of barrels)",
        "Thousands of barrels per day (average)",
        "Value (thousands of dollars)",
        "Unit Price (dollars)",
    ),
    [None, _energy("energy_related"), None, None, _energy("crude_oil"), None],
    blocks=True,
    thousands=True,
)
