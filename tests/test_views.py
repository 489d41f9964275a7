"""The marts on a fixture warehouse built from SQL text, against hand-computed answers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tradewh import warehouse
from tradewh.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
D = Decimal


@pytest.fixture
def con(settings: Settings):
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        con.execute((FIXTURES / "two_vintages.sql").read_text())
        warehouse.rebuild_views(con, settings.sql_dir)
        yield con


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "SELECT period::VARCHAR, exports_musd, imports_musd, balance_musd "
            "FROM marts.balance_monthly WHERE partner_code = '5880' ORDER BY period",
            [
                ("1994-01-01", D("40"), D("50"), D("-10")),
                ("1994-02-01", D("45.5"), D("61.5"), D("-16")),
                ("1994-03-01", D("42.25"), D("55"), D("-12.75")),
            ],
        ),
        (
            "SELECT partner_code, is_aggregate, adjustment, basis FROM marts.balance_monthly "
            "WHERE period = DATE '1994-01-01' ORDER BY 1",
            [("0015", True, "nsa", "census"), ("5880", False, "nsa", "census")],
        ),
        (
            "SELECT year, exports_musd, imports_musd, balance_musd, months, is_complete, "
            "last_period::VARCHAR FROM marts.balance_annual WHERE partner_code = '5880'",
            [(1994, D("127.75"), D("166.5"), D("-38.75"), 3, False, "1994-03-01")],
        ),
        (
            "SELECT period::VARCHAR, measure, first_value_musd, latest_value_musd, revision_musd, "
            "first_release_id, latest_release_id, vintages_seen, distinct_values "
            "FROM marts.revisions WHERE partner_code = '5880' AND revision_musd <> 0 "
            "ORDER BY measure",
            [
                ("1994-02-01", "balance", D("-14.5"), D("-16"), D("-1.5"), 1, 2, 2, 2),
                ("1994-02-01", "imports", D("60"), D("61.5"), D("1.5"), 1, 2, 2, 2),
            ],
        ),
        (
            "SELECT measure, first_value_musd, vintages_seen FROM marts.revisions "
            "WHERE partner_code = '5880' AND period = DATE '1994-03-01' ORDER BY measure",
            [("balance", D("-12.75"), 1), ("exports", D("42.25"), 1), ("imports", D("55"), 1)],
        ),
        (
            "SELECT release_id, vintage_seq FROM core.vintages ORDER BY release_id",
            [(1, 1), (2, 2)],
        ),
        (
            "SELECT value_musd, release_id FROM core.observations_first "
            "WHERE partner_code = '5880' AND flow = 'imports' AND period = DATE '1994-02-01'",
            [(D("60"), 1)],
        ),
    ],
    ids=[
        "monthly",
        "aggregate-flags",
        "annual-partial-year",
        "revisions",
        "new-month",
        "vintage-order",
        "first-print",
    ],
)
def test_view_answers(con: duckdb.DuckDBPyConnection, sql: str, expected: list[tuple]) -> None:
    assert rows(con, sql) == expected


def test_unpublished_vintage_never_shows(con: duckdb.DuckDBPyConnection) -> None:
    for view in ("core.observations_latest", "core.observations_first", "marts.revisions"):
        assert rows(
            con,
            f"SELECT count(*) FROM {view} WHERE release_id = 3 "
            if "revisions" not in view
            else f"SELECT count(*) FROM {view} WHERE latest_release_id = 3",
        ) == [(0,)]
    assert D("999") not in {
        r[0] for r in rows(con, "SELECT imports_musd FROM marts.balance_monthly")
    }


def test_money_columns_are_decimal_everywhere(con: duckdb.DuckDBPyConnection) -> None:
    types = rows(
        con,
        "SELECT schema_name || '.' || table_name || '.' || column_name, data_type "
        "FROM duckdb_columns() WHERE column_name LIKE '%musd'",
    )
    assert types, "no money columns found"
    assert {name: t for name, t in types if not t.startswith("DECIMAL")} == {}


def test_every_object_and_column_is_documented(con: duckdb.DuckDBPyConnection) -> None:
    missing = rows(
        con,
        """
        SELECT schema_name || '.' || table_name || coalesce('.' || column_name, '')
        FROM (
            SELECT schema_name, table_name, NULL AS column_name, comment FROM duckdb_tables()
            UNION ALL SELECT schema_name, view_name, NULL, comment FROM duckdb_views()
                WHERE NOT internal
            UNION ALL SELECT schema_name, table_name, column_name, comment FROM duckdb_columns()
                WHERE schema_name IN ('ops', 'staging', 'core', 'marts')
        )
        WHERE schema_name IN ('ops', 'staging', 'core', 'marts') AND comment IS NULL
        ORDER BY 1
        """,
    )
    assert missing == []
