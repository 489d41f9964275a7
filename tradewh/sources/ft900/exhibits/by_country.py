"""Exhibits by country: 14/14a (NSA, Census basis, areas and their countries), 19 (SA, Census
basis), 20/20a/20b (SA, BOP basis: goods and services, goods, services; quarters and years),
18 (motor vehicles and parts, NSA) and the supplemental country table 4s/4as (every country).

Header trap (14, 19): a period header may span two cells, the first holding only the "(R)"
revised mark (or nothing) and the value in the next, unlabeled cell. A labeled column whose
cells are all marks or blank, followed by an unlabeled one, is such a pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tradewh.sources.ft900.exhibits.cells import (
    LayoutError,
    Sheet,
    find_row,
    is_flag,
    label,
    text,
    title,
    value_text,
)
from tradewh.sources.ft900.exhibits.partners import Partner, partner
from tradewh.sources.ft900.exhibits.periods import MONTHS, Period, column_period, month
from tradewh.sources.ft900.exhibits.records import Series, observation

FLOWS = {"Balance": "balance", "Exports": "exports", "Imports": "imports"}


@dataclass(frozen=True)
class Column:
    index: int  # cell holding the value
    period: Period
    group: str  # the flow (or commodity group) heading above it
    flag: int | None  # cell holding its "(R)" mark, if any


def _width(sheet: Sheet, header: int) -> int:
    return max(len(row) for row in sheet.cells[header : header + 3])


def _columns(
    sheet: Sheet, groups: list[str], periods: list[str], data: range, header_row: int
) -> list[Column]:
    """Columns from a group row (carried right) and a period row, with (R) flag pairs."""
    firsts = [column_period(name, None) for name in periods]
    current = next((p for p in firsts if p is not None and p.frequency == "M"), None)
    through = current.period.month if current else None
    columns: list[Column] = []
    group = ""
    claimed: set[int] = set()
    for index, name in enumerate(periods):
        group = groups[index] or group
        if not name or index in claimed:
            continue
        period = column_period(name, through)
        if period is None:
            continue  # change and rank columns
        paired = (
            index + 1 < len(periods)
            and not periods[index + 1]
            and all(is_flag(sheet.row(r, index + 1)[index]) for r in data)
        )
        if paired:
            claimed.add(index + 1)
            columns.append(Column(index + 1, period, group, index))
        else:
            columns.append(Column(index, period, group, None))
    if not columns:
        raise LayoutError(f"sheet {sheet.name!r} row {header_row + 1}: no period columns")
    return columns


def _revised(row: list[Any], column: Column) -> bool | None:
    if column.flag is None:
        return None
    return text(row[column.flag]) == "(R)"


# --- 14 / 14a: areas and countries, flows in column groups -----------------------------------


def read_areas(sheet: Sheet) -> list[dict[str, Any]]:
    header = find_row(sheet, "Item")
    width = _width(sheet, header)
    groups = [text(c) for c in sheet.row(header, width)]
    periods = [text(c) for c in sheet.row(header + 1, width)]
    data = range(header + 2, len(sheet.cells))
    columns = _columns(sheet, groups, periods, data, header)
    records: list[dict[str, Any]] = []
    area: Partner | None = None
    for index in data:
        row = sheet.row(index, width)
        name = label(row[0])
        where = f"sheet {sheet.name!r} row {index + 1}"
        if name == "Net Adjustments" or not name:
            continue
        if not any(value_text(row[c.index], where) is not None for c in columns):
            continue  # notes
        basis = "bop" if "balance of payments" in name.lower() else "census"
        who = partner(name, area.name if area else None) or _unknown(name)
        if who.is_aggregate and not who.code.startswith("other") and who.code != "-":
            area = who
        for column in columns:
            value = value_text(row[column.index], where)
            if value is None:
                continue
            series = Series(FLOWS[column.group], basis, "nsa")
            records.append(
                observation(
                    series, column.period, value, partner=who, revised=_revised(row, column)
                )
            )
    return records


def _unknown(name: str) -> Partner:
    # A country the code list does not know yet: kept under its name, as a country.
    return Partner(f"name:{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}", name, False)


# --- 19 / 20 / 20a / 20b: flows in row blocks --------------------------------------------------


def read_blocks(sheet: Sheet, series: Callable[[str], Series]) -> list[dict[str, Any]]:
    header = find_row(sheet, "Country and Area")
    width = _width(sheet, header)
    periods = [text(c) for c in sheet.row(header, width)]
    data = range(header + 1, len(sheet.cells))
    columns = _columns(sheet, [""] * width, periods, data, header)
    records: list[dict[str, Any]] = []
    flow: str | None = None
    for index in data:
        row = sheet.row(index, width)
        name = label(row[0])
        where = f"sheet {sheet.name!r} row {index + 1}"
        if name in FLOWS and not any(text(cell) for cell in row[1:]):
            flow = FLOWS[name]
            continue
        if not name or not any(value_text(row[c.index], where) is not None for c in columns):
            continue
        if flow is None:
            raise LayoutError(f"{where}: {name!r} before a Balance/Exports/Imports line")
        who = partner(name) or _unknown(name)
        for column in columns:
            value = value_text(row[column.index], where)
            if value is not None:
                records.append(
                    observation(
                        series(flow),
                        column.period,
                        value,
                        partner=who,
                        revised=_revised(row, column),
                    )
                )
    return records


# --- 18: motor vehicles and parts ---------------------------------------------------------------

AUTO_GROUPS = {
    "Total": "-",
    "Passenger Cars": "passenger_cars",
    "Trucks, Buses, Special Purpose Vehicles": "trucks_buses",
    "Parts": "parts",
}


def read_autos(sheet: Sheet) -> list[dict[str, Any]]:
    header = find_row(sheet, "Country")
    width = _width(sheet, header)
    groups = [text(c) for c in sheet.row(header, width)]
    periods = [text(c) for c in sheet.row(header + 1, width)]
    data = range(header + 2, len(sheet.cells))
    columns = _columns(sheet, groups, periods, data, header)
    for column in columns:
        if column.group not in AUTO_GROUPS:
            raise LayoutError(f"sheet {sheet.name!r}: column group {column.group!r} unknown")
    records: list[dict[str, Any]] = []
    flow: str | None = None
    for index in data:
        row = sheet.row(index, width)
        name = label(row[0])
        where = f"sheet {sheet.name!r} row {index + 1}"
        if not name and text(row[1]) in FLOWS and not any(text(c) for c in row[2:]):
            flow = FLOWS[text(row[1])]
            continue
        if not name or not any(value_text(row[c.index], where) is not None for c in columns):
            continue
        if flow is None:
            raise LayoutError(f"{where}: {name!r} before an Exports/Imports line")
        who = partner(name) or _unknown(name)
        for column in columns:
            value = value_text(row[column.index], where)
            if value is None:
                continue
            # Not the end-use category 3: the exhibit's own definition of motor vehicles and
            # parts (NSA, Census basis), so its own commodity class.
            series = Series(
                flow, "census", "nsa", commodity=("motor_vehicles", AUTO_GROUPS[column.group])
            )
            records.append(observation(series, column.period, value, partner=who))
    return records


# --- 4s / 4as: every country, six decimals ------------------------------------------------------

SUPPLEMENTAL_TITLE = re.compile(r"Not Seasonally Adjusted: (\d{4})$")
# (group heading, basis heading) -> flow; C.I.F. imports are another valuation: not kept.
SUPPLEMENTAL_GROUPS = {
    ("Balance", "(Customs imports)"): "balance",
    ("Exports", "Domestic & Foreign, F.A.S. basis"): "exports",
    ("Imports", "Customs basis"): "imports",
}
LAST_COUNTRY = "Timing adjustment"


def read_supplemental(sheet: Sheet) -> list[dict[str, Any]]:
    match = SUPPLEMENTAL_TITLE.search(title(sheet))
    if not match:
        raise LayoutError(f"sheet {sheet.name!r}: title does not end 'Not Seasonally ...: YYYY'")
    header = find_row(sheet, "Country")
    width = _width(sheet, header)
    columns = _supplemental_columns(sheet, header, width, int(match.group(1)))
    records: list[dict[str, Any]] = []
    areas = False
    for index in range(header + 3, len(sheet.cells)):
        row = sheet.row(index, width)
        name = label(row[0])
        where = f"sheet {sheet.name!r} row {index + 1}"
        if not name or not any(value_text(row[c], where) is not None for c, _, _ in columns):
            continue
        who = partner(name) or _unknown(name)
        if areas and not who.is_aggregate:
            who = Partner(f"area:{who.code}", who.name, True)
        for column, flow, period in columns:
            value = value_text(row[column], where)
            if value is not None:
                series = Series(flow, "census", "nsa")
                records.append(observation(series, period, value, partner=who))
        # Below the last country line the table lists areas and groups.
        areas = areas or name == LAST_COUNTRY
    return records


def _supplemental_columns(
    sheet: Sheet, header: int, width: int, year: int
) -> list[tuple[int, str, Period]]:
    """(column, flow, period) of the six value columns: three flows, the month and the year to
    date, under a three-row header (flow, basis, period) whose group cells span columns."""
    top = [text(c) for c in sheet.row(header, width)]
    basis = [text(c) for c in sheet.row(header + 1, width)]
    periods = [text(c) for c in sheet.row(header + 2, width)]
    current = next((MONTHS.index(p) + 1 for p in periods if p in MONTHS), None)
    if current is None:
        raise LayoutError(f"sheet {sheet.name!r}: no month column in {periods}")
    when = {
        **{name: month(year, current) for name in MONTHS},
        "Year-to-Date": column_period(f"Year-to-Date {year}", current),
    }
    columns: list[tuple[int, str, Period]] = []
    group = basis_group = ""
    for index in range(1, width):
        group, basis_group = top[index] or group, basis[index] or basis_group
        flow = SUPPLEMENTAL_GROUPS.get((group, basis_group))
        if flow is not None and periods[index] in when:
            columns.append((index, flow, when[periods[index]]))  # type: ignore[arg-type]
    if len(columns) != 6:
        raise LayoutError(f"sheet {sheet.name!r}: expected 6 value columns, found {len(columns)}")
    return columns
