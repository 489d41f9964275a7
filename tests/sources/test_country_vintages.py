"""The four real vintages of the Census country file loaded together (the 2026 one carries six
decimals, and a percent change against a year-ago value of a few dollars once overflowed
marts.balance_changes, so no mart was built), and extreme but legal values: every mart builds,
the report renders, and a percent change that cannot be stated is NULL with a reason."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.ingest.test_pipeline import query
from tradewh import pipeline, warehouse
from tradewh.settings import Settings

VINTAGES = ("2020-10", "2022-05", "2024-11", "2026-03")


@pytest.fixture(scope="module")
def four_vintages(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("country")
    folder = root / "sample" / "census_country"
    folder.mkdir(parents=True)
    for label in VINTAGES:
        source = reference_dir / "census_country" / f"country_vintage{label}.xlsx"
        (folder / f"country_{label}.xlsx").symlink_to(source)  # read in place: nothing copied
    settings = Settings(
        data_dir=root / "data",
        landing_dir=root / "landing",
        sample_dir=root / "sample",
        profile="sample",
        sources=["census_country"],
    )
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
    for item in pipeline.fetch(settings, "census_country"):
        assert not isinstance(item, pipeline.NotModified)
        assert pipeline.ingest(settings, "census_country", item).status == "published"
    with warehouse.writer(settings) as con:
        warehouse.rebuild_views(con, settings.sql_dir)
    return settings


def test_every_mart_builds_on_the_four_real_vintages(four_vintages: Settings) -> None:
    marts = query(
        four_vintages,
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'marts' UNION ALL SELECT view_name FROM duckdb_views() "
        "WHERE database_name = current_database() AND schema_name = 'marts'",
    )
    assert len(marts) >= 10
    for (name,) in marts:
        # Every column of every row computed: a cast that overflows fails here.
        assert query(four_vintages, f"SELECT count(*), max(hash(t)) FROM marts.{name} AS t")
    [(vintages,)] = query(four_vintages, "SELECT count(*) FROM ops.loads")
    assert vintages == 4


def test_a_change_against_a_value_that_rounds_to_zero_is_null_with_a_reason(
    four_vintages: Settings,
) -> None:
    # exports_musd - exports_yoy_musd is the year-ago value.
    rows = query(
        four_vintages,
        "SELECT exports_yoy_pct, pct_null_reason FROM marts.balance_changes "
        "WHERE abs(exports_musd - exports_yoy_musd) < 0.05",
    )
    assert rows, "the real files hold year-ago values that round to zero"
    for exports_pct, reason in rows:
        assert exports_pct is None
        assert "a year-ago value rounds to zero (under 0.05 $M)" in reason
    [(largest,)] = query(
        four_vintages, "SELECT max(abs(balance_yoy_pct)) FROM marts.balance_changes"
    )
    assert largest < Decimal("10000000000")


def test_the_report_renders_on_the_four_real_vintages(four_vintages: Settings) -> None:
    from tradewh.report import write_report

    path = Path(write_report(four_vintages, four_vintages.data_dir / "report.html"))
    assert "<svg" in path.read_text()


EXTREMES = """
INSERT INTO ops.releases (release_id, source, sha256, url, first_seen_at, published_at,
    period_start, period_end, row_count, status) VALUES
    (90, 'census_country', 'x90', 'file:///x', now(), TIMESTAMPTZ '2026-03-05 13:30:00+00',
     DATE '2024-01-01', DATE '2025-01-01', 8, 'published');
INSERT INTO ops.loads VALUES (90, 90, 'census_country', 'census_country', 8, now());
INSERT INTO core.observations (release_id, source, basis, adjustment, flow, partner_code,
    partner_name, partner_is_aggregate, commodity_class, commodity_code, frequency, period,
    value_musd, product, vintage_at, row_kind) VALUES
    -- A partner whose year-ago trade was a few dollars, then a zero, then real trade.
    (90, 'census_country', 'census', 'nsa', 'exports', '9999', 'Tiny', false, 'total', '-',
     'M', DATE '2024-01-01', 0.000002, 'goods', TIMESTAMPTZ '2026-03-05 13:30:00+00', 'month'),
    (90, 'census_country', 'census', 'nsa', 'imports', '9999', 'Tiny', false, 'total', '-',
     'M', DATE '2024-01-01', 0.000000, 'goods', TIMESTAMPTZ '2026-03-05 13:30:00+00', 'month'),
    (90, 'census_country', 'census', 'nsa', 'exports', '9999', 'Tiny', false, 'total', '-',
     'M', DATE '2025-01-01', 44568.353, 'goods', TIMESTAMPTZ '2026-03-05 13:30:00+00', 'month'),
    (90, 'census_country', 'census', 'nsa', 'imports', '9999', 'Tiny', false, 'total', '-',
     'M', DATE '2025-01-01', 0.000001, 'goods', TIMESTAMPTZ '2026-03-05 13:30:00+00', 'month'),
    -- The largest totals published: world imports of a year at a monthly rate, and a month.
    (90, 'census_country', 'census', 'nsa', 'exports', '0015', 'World', true, 'total', '-',
     'M', DATE '2024-01-01', 180000.000001, 'goods', TIMESTAMPTZ '2026-03-05 13:30:00+00', 'month'),
    (90, 'census_country', 'census', 'nsa', 'imports', '0015', 'World', true, 'total', '-',
     'M', DATE '2024-01-01', 3300000.5, 'goods', TIMESTAMPTZ '2026-03-05 13:30:00+00', 'month'),
    (90, 'census_country', 'census', 'nsa', 'exports', '0015', 'World', true, 'total', '-',
     'M', DATE '2025-01-01', 0.06, 'goods', TIMESTAMPTZ '2026-03-05 13:30:00+00', 'month'),
    (90, 'census_country', 'census', 'nsa', 'imports', '0015', 'World', true, 'total', '-',
     'M', DATE '2025-01-01', 3400000.25, 'goods', TIMESTAMPTZ '2026-03-05 13:30:00+00', 'month');
"""


def test_extreme_but_legal_values_build_every_mart(fixture_warehouse: Settings) -> None:
    with warehouse.writer(fixture_warehouse) as con:
        con.execute(EXTREMES)
        warehouse.rebuild_views(con, fixture_warehouse.sql_dir)
    tiny = query(
        fixture_warehouse,
        "SELECT exports_yoy_pct, imports_yoy_pct, balance_yoy_pct, pct_null_reason "
        "FROM marts.balance_changes WHERE partner_code = '9999' AND period = DATE '2025-01-01'",
    )
    assert tiny == [
        (
            None,
            None,
            None,
            "previous month not published; a year-ago value rounds to zero (under 0.05 $M): "
            "no year-on-year percent",
        )
    ]
    world = query(
        fixture_warehouse,
        "SELECT imports_yoy_pct, exports_yoy_pct FROM marts.balance_changes "
        "WHERE partner_code = '0015' AND period = DATE '2025-01-01'",
    )
    # 3,300,000.5 -> 3,400,000.25: +3.03%; exports 180,000 -> 0.06: -100.00%, both stated.
    assert world == [(Decimal("3.03"), Decimal("-100.00"))]
