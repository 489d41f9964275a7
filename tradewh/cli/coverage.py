"""What the warehouse holds, in a line: said under an empty result in the sample profile, where
a query for a year the archive skips is empty for that reason alone."""

from __future__ import annotations

import duckdb

from tradewh.cli.adhoc import Result
from tradewh.settings import Settings

_YEARS = """
SELECT source, list(DISTINCT year(period) ORDER BY year(period))
FROM core.observations_ranked  -- published vintages only
GROUP BY source
ORDER BY source
"""


def spans(years: list[int]) -> str:
    """[1992, 1993, 1994, 2017, 2018] -> "1992-1994, 2017-2018"."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def describe(con: duckdb.DuckDBPyConnection) -> str:
    """e.g. "census_country 1992-1996, 2017-2020; ft900 1994, 2020-2026" (years with data)."""
    rows = con.execute(_YEARS).fetchall()
    if not rows:
        return "no data yet"
    return "; ".join(f"{source} {spans(years)}" for source, years in rows)


def empty_note(result: Result, settings: Settings, con: duckdb.DuckDBPyConnection) -> str:
    """The line under an empty result in the sample profile (a query for 2005 is empty there
    because the archive skips those years, not because nothing was traded); else nothing."""
    if not result.columns or result.total_rows or settings.profile != "sample":
        return ""
    return f"the sample warehouse holds only: {describe(con)}\n"
