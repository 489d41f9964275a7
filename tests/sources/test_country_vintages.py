"""Extreme but legal values (a partner's tiny or zero year-ago value, the largest published
totals): every mart builds and a percent change that cannot be stated is NULL with a reason,
never an overflow. The real files loaded together: tests/sources/test_reference_together.py."""

from __future__ import annotations

from decimal import Decimal

from tests.ingest.test_pipeline import query
from tradewh import warehouse
from tradewh.settings import Settings

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
        built = warehouse.rebuild_views(con, fixture_warehouse.sql_dir)
    for name in built:
        # Every column of every row computed (views too): a cast that overflows fails here.
        source = f"{name}(DATE '9999-12-31')" if name == "core.as_of" else name
        assert query(fixture_warehouse, f"SELECT count(*) >= 0, max(hash(t)) FROM {source} AS t")
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
