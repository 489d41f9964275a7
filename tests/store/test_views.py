"""The core views and marts on a fixture warehouse built from SQL text (tests/fixtures/
warehouse.sql, which says what it holds), against answers computed by hand."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from tests.paths import FIXTURES
from tradewh import warehouse
from tradewh.settings import Settings

D = Decimal
JAPAN = "partner_code = '5880'"
CANADA = "partner_code = '1220'"
HEADLINE = "partner_code = '-' AND product = 'goods_and_services'"


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("views"))
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        con.execute((FIXTURES / "warehouse.sql").read_text())
        warehouse.rebuild_views(con, settings.sql_dir)
        yield con


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


CASES = {
    "monthly": (
        f"SELECT period::VARCHAR, exports_musd, imports_musd, balance_musd "
        f"FROM marts.balance_monthly WHERE {JAPAN} ORDER BY period",
        [
            ("1994-01-01", D("40"), D("50"), D("-10")),
            ("1994-02-01", D("45.5"), D("61.5"), D("-16")),
            ("1994-03-01", D("42.25"), D("55"), D("-12.75")),
        ],
    ),
    "monthly-names-basis-and-adjustment": (
        "SELECT partner_code, is_aggregate, product, basis, adjustment FROM marts.balance_monthly "
        "WHERE period = DATE '1994-01-01' ORDER BY 1",
        [
            ("0015", True, "goods", "census", "nsa"),
            ("1220", False, "goods", "census", "nsa"),
            ("5880", False, "goods", "census", "nsa"),
        ],
    ),
    "headline-published-balance-wins": (
        "SELECT product, exports_musd, imports_musd, balance_musd, source "
        "FROM marts.balance_monthly WHERE partner_code = '-' ORDER BY product",
        [
            ("goods", D("42170"), D("54210"), D("-12040"), "ft900"),
            ("goods_and_services", None, None, D("-6466"), "alfred"),
            ("services", None, None, D("4580"), "ft900"),
        ],
    ),
    "annual-partial-year": (
        f"SELECT year, exports_musd, imports_musd, balance_musd, months, is_complete, "
        f"last_period::VARCHAR FROM marts.balance_annual WHERE {JAPAN}",
        [(1994, D("127.75"), D("166.5"), D("-38.75"), 3, False, "1994-03-01")],
    ),
    "annual-complete-year": (
        f"SELECT year, balance_musd, months, is_complete FROM marts.balance_annual "
        f"WHERE {CANADA} ORDER BY year",
        [(1993, D("-78"), 12, True), (1994, D("-13"), 1, False)],
    ),
    "mom-and-yoy": (
        "SELECT period::VARCHAR, balance_mom_musd, balance_mom_pct, balance_yoy_musd, "
        f"balance_yoy_pct, imports_yoy_pct FROM marts.balance_changes WHERE {CANADA} "
        "AND period IN ('1993-01-01', '1993-02-01', '1994-01-01') ORDER BY period",
        [
            ("1993-01-01", None, None, None, None, None),
            ("1993-02-01", D("-1"), D("-100.00"), None, None, None),
            ("1994-01-01", D("-1"), D("-8.33"), D("-12"), D("-1200.00"), D("109.09")),
        ],
    ),
    "mom-skips-no-month": (
        f"SELECT period::VARCHAR, balance_mom_musd FROM marts.balance_changes WHERE {JAPAN} "
        "ORDER BY period",
        [("1994-01-01", None), ("1994-02-01", D("-6")), ("1994-03-01", D("3.25"))],
    ),
    "ytd-and-rolling": (
        "SELECT period::VARCHAR, ytd_balance_musd, ytd_months, ytd_balance_prior_year_musd, "
        "ytd_change_musd, rolling_12m_balance_musd FROM marts.balance_cumulative "
        f"WHERE {CANADA} AND period IN ('1993-03-01', '1993-11-01', '1993-12-01', '1994-01-01') "
        "ORDER BY period",
        [
            ("1993-03-01", D("-6"), 3, None, None, None),
            ("1993-11-01", D("-66"), 11, None, None, None),
            ("1993-12-01", D("-78"), 12, None, None, D("-78")),
            ("1994-01-01", D("-13"), 1, D("-1"), D("-12"), D("-90")),
        ],
    ),
    "shares-and-ranks-by-month": (
        "SELECT partner_code, balance_musd, total_balance_musd, share_of_total_pct, "
        "deficit_rank FROM marts.deficit_shares WHERE frequency = 'M' "
        "AND period = DATE '1994-01-01' ORDER BY deficit_rank",
        [
            ("1220", D("-13"), D("-23"), D("56.52"), 1),
            ("5880", D("-10"), D("-23"), D("43.48"), 2),
        ],
    ),
    "shares-and-ranks-by-year": (
        "SELECT partner_code, balance_musd, share_of_total_pct, deficit_rank, months "
        "FROM marts.deficit_shares WHERE frequency = 'A' AND period = DATE '1994-01-01' "
        "ORDER BY deficit_rank",
        [("5880", D("-38.75"), D("74.88"), 1, 3), ("1220", D("-13"), D("25.12"), 2, 1)],
    ),
    "records": (
        "SELECT period::VARCHAR, is_record_deficit, deficit_rank_to_date, deficit_rank_all_time "
        f"FROM marts.deficit_records WHERE {JAPAN} ORDER BY period",
        [
            ("1994-01-01", True, 1, 3),
            ("1994-02-01", True, 1, 1),
            ("1994-03-01", False, 2, 2),
        ],
    ),
    "records-every-month-deeper": (
        "SELECT count(*), count(*) FILTER (WHERE is_record_deficit), max(deficit_rank_all_time) "
        f"FROM marts.deficit_records WHERE {CANADA}",
        [(13, 13, 13)],
    ),
    "enduse-share-of-balance": (
        "SELECT frequency, enduse_code, exports_musd, imports_musd, balance_musd, "
        "total_balance_musd, share_of_balance_pct, share_of_imports_pct, share_of_exports_pct, "
        f"months_match FROM marts.enduse_composition WHERE {JAPAN} ORDER BY frequency DESC",
        [
            ("M", "3", D("1"), D("8"), D("-7"), D("-10"), D("70.00"), D("16.00"), D("2.50"), True),
            (
                "A",
                "3",
                D("1"),
                D("8"),
                D("-7"),
                D("-38.75"),
                D("18.06"),
                D("4.80"),
                D("0.78"),
                False,
            ),
        ],
    ),
    "revision-derived-balance": (
        "SELECT period::VARCHAR, measure, first_value_musd, latest_value_musd, revision_musd, "
        "first_release_id, latest_release_id, vintages_seen, distinct_values "
        f"FROM marts.revisions WHERE {JAPAN} AND revision_musd <> 0 ORDER BY measure",
        [
            ("1994-02-01", "balance", D("-14.5"), D("-16"), D("-1.5"), 1, 2, 2, 2),
            ("1994-02-01", "imports", D("60"), D("61.5"), D("1.5"), 1, 2, 2, 2),
        ],
    ),
    "revision-headline-march-1994": (
        "SELECT first_value_musd, latest_value_musd, revision_musd, first_source, "
        "latest_source, strftime(first_published_at AT TIME ZONE 'UTC', '%Y-%m-%d'), "
        f"vintages_seen FROM marts.revisions WHERE {HEADLINE} AND measure = 'balance' "
        "AND period = DATE '1994-03-01'",
        [(D("-7460"), D("-6466"), D("994"), "ft900", "alfred", "1994-05-19", 2)],
    ),
    "first-print": (
        "SELECT value_musd, release_id FROM core.first_print "
        f"WHERE {JAPAN} AND flow = 'imports' AND period = DATE '1994-02-01'",
        [(D("60"), 1)],
    ),
    "as-of-then-first-print": (
        f"SELECT value_musd, source FROM core.as_of(DATE '1994-06-01') WHERE {HEADLINE} "
        "AND flow = 'balance' AND period = DATE '1994-03-01'",
        [(D("-7460"), "ft900")],
    ),
    "as-of-today-latest": (
        f"SELECT value_musd, source FROM core.as_of(current_date) WHERE {HEADLINE} "
        "AND flow = 'balance' AND period = DATE '1994-03-01'",
        [(D("-6466"), "alfred")],
    ),
    "as-of-before-a-revision": (
        f"SELECT period::VARCHAR, value_musd FROM core.as_of(DATE '1994-04-30') WHERE {JAPAN} "
        "AND flow = 'imports' ORDER BY period",
        [("1994-01-01", D("50")), ("1994-02-01", D("60"))],
    ),
    "as-of-the-release-day-includes-it": (
        f"SELECT count(*) FROM core.as_of(DATE '1994-05-19') WHERE {HEADLINE}",
        [(1,)],
    ),
    "vintage-order": (
        "SELECT release_id, vintage_seq FROM core.vintages WHERE source = 'census_country' "
        "ORDER BY release_id",
        [(1, 1), (2, 2)],
    ),
}


@pytest.mark.parametrize(("sql", "expected"), CASES.values(), ids=CASES.keys())
def test_view_answers(con: duckdb.DuckDBPyConnection, sql: str, expected: list[tuple]) -> None:
    assert rows(con, sql) == expected


def test_unpublished_vintage_never_shows(con: duckdb.DuckDBPyConnection) -> None:
    for view in ("core.observations_ranked", "core.latest", "core.first_print"):
        assert rows(con, f"SELECT count(*) FROM {view} WHERE release_id = 3") == [(0,)]
    assert rows(con, "SELECT count(*) FROM marts.revisions WHERE latest_release_id = 3") == [(0,)]
    imports = rows(con, "SELECT imports_musd FROM marts.balance_monthly")
    assert D("999") not in {value for (value,) in imports}


def test_money_columns_are_decimal_everywhere(con: duckdb.DuckDBPyConnection) -> None:
    types = rows(
        con,
        "SELECT schema_name || '.' || table_name || '.' || column_name, data_type "
        "FROM duckdb_columns() WHERE column_name LIKE '%musd' OR column_name LIKE '%pct'",
    )
    assert len(types) > 30
    assert {name: t for name, t in types if not t.startswith("DECIMAL")} == {}


def test_every_object_and_column_is_documented(con: duckdb.DuckDBPyConnection) -> None:
    missing = rows(
        con,
        """
        -- Comments DuckLake cannot keep (a view's columns, macros) are in ops.docs.
        WITH docs AS (SELECT * FROM ops.docs)
        SELECT objects.schema_name || '.' || objects.table_name
            || coalesce('.' || objects.column_name, '')
        FROM (
            SELECT schema_name, table_name, NULL AS column_name, comment FROM duckdb_tables()
            UNION ALL SELECT schema_name, view_name, NULL, comment FROM duckdb_views()
                WHERE NOT internal
            UNION ALL SELECT schema_name, table_name, column_name, comment FROM duckdb_columns()
        ) AS objects
        LEFT JOIN docs ON docs.schema_name = objects.schema_name
            AND docs.object_name = objects.table_name
            AND docs.column_name IS NOT DISTINCT FROM objects.column_name
        WHERE objects.schema_name IN ('ops', 'staging', 'core', 'marts')
            AND coalesce(objects.comment, docs.comment) IS NULL
        UNION ALL
        SELECT f.schema_name || '.' || function_name FROM duckdb_functions() AS f
        LEFT JOIN docs ON docs.schema_name = f.schema_name AND docs.object_name = function_name
            AND docs.column_name IS NULL
        WHERE f.schema_name IN ('ops', 'staging', 'core', 'marts')
            AND coalesce(f.comment, docs.comment) IS NULL
        ORDER BY 1
        """,
    )
    assert missing == []


def test_marts_are_rebuilt_only_when_what_they_read_changes(fixture_warehouse: Settings) -> None:
    settings = fixture_warehouse

    def last_build(con: duckdb.DuckDBPyConnection) -> tuple:
        return con.execute("SELECT fingerprint, built_at FROM ops.view_builds").fetchone()

    with warehouse.writer(settings) as con:
        before = last_build(con)
        assert warehouse.rebuild_views(con, settings.sql_dir, force=False) == []
        assert last_build(con) == before  # nothing new: skipped

        con.execute(
            "INSERT INTO ops.loads (load_id, release_id, source, dataset, rows_published, "
            "loaded_at) VALUES (999, 999, 'ft900', 'ft900', 0, now())"
        )
        warehouse.rebuild_views(con, settings.sql_dir, force=False)
        after_load = last_build(con)
        assert after_load[0] != before[0] and after_load[1] > before[1]

        warehouse.rebuild_views(con, settings.sql_dir)  # forced: always
        assert last_build(con)[1] > after_load[1]
        assert con.execute("SELECT count(*) FROM ops.view_builds").fetchone() == (1,)
        # Materialized marts are tables; the rest stay views.
        kinds = dict(
            con.execute(
                "SELECT table_name, 'table' FROM duckdb_tables() WHERE schema_name = 'marts' "
                "UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE schema_name = 'marts'"
            ).fetchall()
        )
    assert kinds["balance_monthly"] == "table" and kinds["freshness"] == "view"
