"""What period a column or row label of an exhibit stands for.

Frequencies in the one series model: M (a month), Q (a quarter, period = its first month),
A (a calendar year), YTD (January to the month named by period: "Year-to-Date 2021" in the
August release is period 2021-08-01, frequency YTD).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tradewh.sources.ft900.constants import MONTHS

ABBREVIATED = tuple(month[:3] for month in MONTHS)
QUARTERS = ("First", "Second", "Third", "Fourth")

MONTH_YEAR = re.compile(rf"^({'|'.join(MONTHS)}) (\d{{4}})(?: \(R\))?$")
QUARTER_YEAR = re.compile(rf"^({'|'.join(QUARTERS)}) Quarter (\d{{4}})(?: \(R\))?$")
YTD_YEAR = re.compile(r"^Year-to-Date (\d{4})$")
ANNUAL_YEAR = re.compile(r"^Annual (\d{4})$")
# Row labels inside a year block: "Jan. - Dec.", "Jan.- Aug.", "July (R)".
ANNUAL_ROW = re.compile(r"^Jan\.\s*-\s*Dec\.(\s*\(R\))?$")
YTD_ROW = re.compile(rf"^Jan\.\s*-\s*({'|'.join(ABBREVIATED)})\.(\s*\(R\))?$")
# The January release labels its year to date "Jan. -" (through January).
JANUARY_YTD_ROW = re.compile(r"^Jan\.\s*-(\s*\(R\))?$")
MONTH_ROW = re.compile(rf"^({'|'.join(MONTHS)})(\s*\(R\))?$")
YEAR_ROW = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    period: date
    frequency: str  # M | Q | A | YTD
    row_kind: str  # month | quarter | annual | year_to_date

    @property
    def label(self) -> str:
        return f"{self.frequency} {self.period:%Y-%m}"


def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), "M", "month")


def year_to_date(year: int, through_month: int) -> Period:
    return Period(date(year, through_month, 1), "YTD", "year_to_date")


def column_period(header: str, current_month: int | None) -> Period | None:
    """The period of a column header ("August 2021", "Second Quarter 2020", "Annual 2019",
    "Year-to-Date 2021"); None for a header that is not a period (a change column).
    current_month: the newest month of the exhibit, where its year-to-date columns end."""
    if match := MONTH_YEAR.match(header):
        return month(int(match.group(2)), MONTHS.index(match.group(1)) + 1)
    if match := QUARTER_YEAR.match(header):
        quarter = QUARTERS.index(match.group(1))
        return Period(date(int(match.group(2)), 3 * quarter + 1, 1), "Q", "quarter")
    if match := ANNUAL_YEAR.match(header):
        return Period(date(int(match.group(1)), 1, 1), "A", "annual")
    if match := YTD_YEAR.match(header):
        if current_month is None:
            return None
        return year_to_date(int(match.group(1)), current_month)
    return None


def row_period(row_label: str, year: int) -> Period | None:
    """The period of a row label inside a year block; None for other labels."""
    if ANNUAL_ROW.match(row_label):
        return Period(date(year, 1, 1), "A", "annual")
    if match := YTD_ROW.match(row_label):
        return year_to_date(year, ABBREVIATED.index(match.group(1)) + 1)
    if JANUARY_YTD_ROW.match(row_label):
        return year_to_date(year, 1)
    if match := MONTH_ROW.match(row_label):
        return month(year, MONTHS.index(match.group(1)) + 1)
    return None
