"""The FT-900 exhibits beyond Exhibit 1: which exhibit a workbook is, and its rows.

Each exhibit workbook of a release is its own payload and vintage. Its rows go into the one
series model; the exhibit's family names the suite that validates it (expectations/<family>.json).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tradewh.sources.ft900.exhibits import by_country, commodity_lines, period_rows
from tradewh.sources.ft900.exhibits.cells import LayoutError, Sheet, read_sheet, title
from tradewh.sources.ft900.exhibits.records import Series

TITLE = re.compile(r"^Exhibit (\d+[a-z]?)\.")


@dataclass(frozen=True)
class Exhibit:
    number: str  # as in the title and the file name: "14a"
    family: str  # the dataset and suite: expectations/<family>.json
    read: Callable[[Sheet], list[dict[str, Any]]]
    supplemental: bool = False  # the "s" tables: their titles restart at "Exhibit 1."


def _bop_sa(product: str) -> Callable[[str], Series]:
    return lambda flow: Series(flow, "bop", "sa", product=product)


EXHIBITS = {
    exhibit.number + ("s" if exhibit.supplemental else ""): exhibit
    for exhibit in (
        Exhibit("6", "ft900_enduse", lambda s: period_rows.read(s, period_rows.EXHIBIT_6)),
        Exhibit("7", "ft900_enduse", lambda s: commodity_lines.read(s, "exports")),
        Exhibit("8", "ft900_enduse", lambda s: commodity_lines.read(s, "imports")),
        Exhibit("9", "ft900_petroleum", lambda s: period_rows.read(s, period_rows.EXHIBIT_9)),
        Exhibit("12", "ft900_enduse", lambda s: period_rows.read(s, period_rows.EXHIBIT_12)),
        Exhibit("13", "ft900_enduse", lambda s: period_rows.read(s, period_rows.EXHIBIT_13)),
        Exhibit("14", "ft900_partners", by_country.read_areas),
        Exhibit("14a", "ft900_partners", by_country.read_areas),
        Exhibit("17", "ft900_petroleum", lambda s: period_rows.read(s, period_rows.EXHIBIT_17)),
        Exhibit("18", "ft900_autos", by_country.read_autos),
        Exhibit(
            "19",
            "ft900_partners",
            lambda s: by_country.read_blocks(s, lambda f: Series(f, "census", "sa")),
        ),
        Exhibit(
            "20",
            "ft900_partners",
            lambda s: by_country.read_blocks(s, _bop_sa("goods_and_services")),
        ),
        Exhibit("20a", "ft900_partners", lambda s: by_country.read_blocks(s, _bop_sa("goods"))),
        Exhibit("20b", "ft900_partners", lambda s: by_country.read_blocks(s, _bop_sa("services"))),
        Exhibit("4", "ft900_partners", by_country.read_supplemental, supplemental=True),
        Exhibit("4a", "ft900_partners", by_country.read_supplemental, supplemental=True),
    )
}


@dataclass(frozen=True)
class Read:
    exhibit: Exhibit
    records: list[dict[str, Any]]


def identify(sheet: Sheet) -> Exhibit:
    """Which exhibit a sheet is, from its title ("Exhibit 14a. ..."). The supplemental tables
    number themselves from 1 again; their sheet is named "4" / "4a" and their title says
    'by Country and Area, Not Seasonally Adjusted'."""
    heading = title(sheet)
    match = TITLE.match(heading)
    if not match:
        raise LayoutError(f"title {heading!r} does not name an exhibit")
    number = match.group(1)
    if "by Country and Area, Not Seasonally Adjusted" in heading:
        key = f"{number}s"
    else:
        key = number
    if key not in EXHIBITS:
        raise LayoutError(f"exhibit {key} ({heading!r}) is not one tradewh reads")
    return EXHIBITS[key]


def read_exhibit(payload: bytes) -> Read:
    sheet = read_sheet(payload)
    exhibit = identify(sheet)
    records = exhibit.read(sheet)
    if not records:
        raise LayoutError(f"exhibit {exhibit.number}: no published figures")
    return Read(exhibit, records)
