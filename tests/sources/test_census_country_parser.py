"""The country.xlsx parser on the real published workbooks in ../shared/reference."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tradewh.sources import ParseError, census_country
from tradewh.sources.census_country.workbook import read_rows, write_workbook

# vintage -> (data rows in the sheet, newest published month, Japan 2019 balance as published)
VINTAGES = {
    "2020-10": (7798, date(2020, 8, 1), Decimal("-69189.1")),
    "2022-05": (8225, date(2022, 1, 1), Decimal("-69088.5")),
    "2024-11": (8725, date(2024, 6, 1), Decimal("-69111.3")),
}


def balance(batch, code: str, where: str) -> Decimal:
    value = duckdb.sql(
        f"""
        SELECT round(sum(CASE flow WHEN 'exports' THEN round(value, 6)::DECIMAL(18,6)
                                   ELSE -round(value, 6)::DECIMAL(18,6) END), 1)
        FROM batch WHERE partner_code = '{code}' AND {where}
        """
    ).fetchall()[0][0]
    return Decimal(value)


@pytest.fixture(scope="module", params=sorted(VINTAGES))
def vintage(request, reference_dir: Path):
    label = request.param
    payload = (reference_dir / "census_country" / f"country_vintage{label}.xlsx").read_bytes()
    return label, payload, census_country.parse(payload)


def test_japan_1994_in_every_vintage(vintage) -> None:
    _, _, parsed = vintage
    batch = parsed.table  # noqa: F841 (read by duckdb)
    assert balance(batch, "5880", "year(period) = 1994") == Decimal("-65668.2")
    assert balance(batch, "5880", "period = DATE '1994-03-01'") == Decimal("-5752.7")
    assert balance(batch, "5880", "period = DATE '1994-02-01'") == Decimal("-4578.2")
    assert balance(batch, "5880", "period = DATE '1994-10-01'") == Decimal("-6603.9")


def test_japan_2019_differs_by_vintage(vintage) -> None:
    label, _, parsed = vintage
    batch = parsed.table  # noqa: F841
    assert balance(batch, "5880", "year(period) = 2019") == VINTAGES[label][2]


def test_row_count_matches_the_sheet(vintage) -> None:
    label, payload, parsed = vintage
    sheet_rows, newest, _ = VINTAGES[label]
    _, rows = read_rows(payload)
    assert len(rows) == sheet_rows
    in_newest_year = sum(1 for row in rows if int(row[0]) == newest.year)
    unpublished = 12 - newest.month
    # Two flows x 12 months per row, less the months not yet published in the newest year.
    assert parsed.table.num_rows == sheet_rows * 24 - in_newest_year * 2 * unpublished
    assert parsed.period_end == newest
    assert parsed.period_start == date(1985, 1, 1)


def test_unpublished_months_are_not_loaded(vintage) -> None:
    _, _, parsed = vintage
    batch = parsed.table  # noqa: F841
    assert duckdb.sql("SELECT max(period) FROM batch").fetchall()[0][0] == parsed.period_end


def test_codes_aggregates_and_adjustment(vintage) -> None:
    _, _, parsed = vintage
    batch = parsed.table  # noqa: F841
    rows = dict(
        duckdb.sql(
            """
            SELECT partner_code, (any_value(partner_is_aggregate), any_value(adjustment))
            FROM batch WHERE partner_code IN ('0004', '0015', '5880', '1220') GROUP BY 1
            """
        ).fetchall()
    )
    assert rows == {
        "0004": (True, "sa"),
        "0015": (True, "nsa"),
        "5880": (False, "nsa"),
        "1220": (False, "nsa"),
    }
    codes = duckdb.sql("SELECT DISTINCT partner_code FROM batch").fetchall()
    assert all(len(code) == 4 and code.isdigit() for (code,) in codes)


def test_annual_column_is_kept_beside_months_not_as_a_month(vintage) -> None:
    _, _, parsed = vintage
    batch = parsed.table  # noqa: F841
    flows = duckdb.sql("SELECT DISTINCT flow FROM batch ORDER BY 1").fetchall()
    assert flows == [("exports",), ("imports",)]
    worst = duckdb.sql(
        """
        SELECT max(abs(s - a)) FROM (
            SELECT sum(value) AS s, any_value(reported_annual) AS a
            FROM batch GROUP BY partner_code, flow, year(period))
        """
    ).fetchall()[0][0]
    assert worst < 0.2


def write(tmp_path: Path, header, rows) -> bytes:
    path = tmp_path / "country.xlsx"
    write_workbook(path, rows, header)
    return path.read_bytes()


HEADER = list(census_country.constants.COLUMNS)


def row(year: str, code: str, name: str, value) -> list:
    return [
        year,
        code,
        name,
        *([value] * 12),
        value * 12 if isinstance(value, float) else None,
        *([value] * 12),
        value * 12 if isinstance(value, float) else None,
    ]


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (HEADER[:-1], [row("2020", "5880", "Japan", 1.0)[:-1]], "columns missing"),
        (HEADER, [], "no data rows"),
        (HEADER, [row("2020", "5880", "Japan", 0.0)], "no published month"),
    ],
    ids=["missing-column", "no-rows", "nothing-published"],
)
def test_layout_errors_are_parse_errors(tmp_path: Path, header, rows, message) -> None:
    with pytest.raises(ParseError, match=message):
        census_country.parse(write(tmp_path, header, rows))


def test_not_a_workbook_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not a readable Excel workbook"):
        census_country.parse(b"<html><body>Service unavailable</body></html>")


def test_numeric_codes_get_their_leading_zeros_back(tmp_path: Path) -> None:
    parsed = census_country.parse(write(tmp_path, HEADER, [row("2020", 15, "World", 2.0)]))
    assert set(parsed.table["partner_code"].to_pylist()) == {"0015"}
    assert all(parsed.table["partner_is_aggregate"].to_pylist())


def test_header_below_title_rows_is_found(tmp_path: Path) -> None:
    rows = [
        ["U.S. Trade in Goods by Country"] + [None] * 28,
        HEADER,
        row("2020", "5880", "Japan", 3.0),
    ]
    path = tmp_path / "titled.xlsx"
    write_workbook(path, rows[1:], rows[0])
    parsed = census_country.parse(path.read_bytes())
    assert parsed.table.num_rows == 24
