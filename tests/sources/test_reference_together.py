"""Every real workbook of the reference that tradewh reads, loaded together into one warehouse
through the pipeline: the four vintages of the Census country file (the 2026 one carries six
decimals, and a percent change against a year-ago value of a few dollars once overflowed
marts.balance_changes, so no mart was built), every FT-900 workbook (Exhibit 1 of five releases,
Exhibit 12 of three, the whole August 2021 release) and the annual imports by country x end-use.
Every payload publishes, every view and mart builds to its last row, the report renders, and
the partner first prints of one source meet the revisions of another."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.ingest.test_pipeline import query
from tradewh import pipeline, warehouse
from tradewh.settings import Settings
from tradewh.sources.ft900.constants import EXHIBIT_FILES

COUNTRY_VINTAGES = ("2020-10", "2022-05", "2024-11", "2026-03")
FT900_RELEASE = "ft900/release_2021-08_all_exhibits"
# Exhibit workbooks of other releases: (exhibit, data month, origin in the reference file name).
FT900_OTHERS = (
    ("1", "2021-09", "meschef-d44adcc"),
    ("1", "2021-12", "meschef-abe9862"),
    ("1", "2022-02", "meschef-c47c3e4"),
    ("1", "2025-12", "ericayork-0aafba3"),
    ("1", "2026-01", "ericayork-fbd0522"),
    ("12", "2025-11", "ericayork-66e6dd3"),
    ("12", "2025-12", "ericayork-0aafba3"),
    ("12", "2026-01", "ericayork-fbd0522"),
)
ENDUSE = "census_enduse_country_annual/enduse_imports_2016-2025_vintage2026-02_iriswang.xlsx"
SOURCES = ("census_country", "ft900", "census_enduse")


def reference_files(reference: Path) -> dict[str, Path]:
    """Sample-archive name -> the reference file it is read from."""
    files = {
        f"census_country/country_{label}.xlsx": reference
        / "census_country"
        / f"country_vintage{label}.xlsx"
        for label in COUNTRY_VINTAGES
    }
    files |= {
        f"ft900/exh{n}_{label}.xlsx": reference / "ft900" / f"exh{n}_release-{label}data_{at}.xlsx"
        for n, label, at in FT900_OTHERS
    }
    files |= {
        f"ft900/{name}_2021-08.xlsx": reference / FT900_RELEASE / f"{name}_ft900_2021-08data.xlsx"
        for name in EXHIBIT_FILES
    }
    files["census_enduse/enduse_imports_2025.xlsx"] = reference / ENDUSE
    return files


@pytest.fixture(scope="module")
def everything(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("reference")
    for target, source in reference_files(reference_dir).items():
        (root / "sample" / target).parent.mkdir(parents=True, exist_ok=True)
        (root / "sample" / target).symlink_to(source)  # read in place: nothing copied
    settings = Settings(
        data_dir=root / "data",
        landing_dir=root / "landing",
        sample_dir=root / "sample",
        profile="sample",
        sources=list(SOURCES),
    )
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
    outcomes = []
    for source in SOURCES:
        for item in pipeline.fetch(settings, source):
            assert not isinstance(item, pipeline.NotModified)
            outcomes.append(pipeline.ingest(settings, source, item))
    assert [o.status for o in outcomes] == ["published"] * len(outcomes), [
        (o.url, o.message) for o in outcomes if o.status != "published"
    ]
    assert len(outcomes) == len(reference_files(reference_dir))
    with warehouse.writer(settings) as con:
        warehouse.rebuild_views(con, settings.sql_dir)
    return settings


def test_every_view_and_mart_builds_on_every_workbook(everything: Settings) -> None:
    built = query(
        everything,
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name IN ('marts', 'core') "
        "UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() "
        "WHERE database_name = current_database() AND schema_name IN ('marts', 'core')",
    )
    names = {name for (name,) in built}
    assert {"marts.autos_by_partner", "marts.petroleum_balance", "marts.revisions"} <= names
    assert {"marts.balance_changes", "marts.enduse_composition"} <= names
    for name in sorted(names):
        # Every column of every row computed: a cast that overflows fails here.
        assert query(everything, f"SELECT count(*) >= 0, max(hash(t)) FROM {name} AS t")[0][0]
    [(enduse,)] = query(everything, "SELECT count(*) FROM marts.enduse_composition")
    assert enduse > 0


def test_a_change_against_a_value_that_rounds_to_zero_is_null_with_a_reason(
    everything: Settings,
) -> None:
    # exports_musd - exports_yoy_musd is the year-ago value.
    rows = query(
        everything,
        "SELECT exports_yoy_pct, pct_null_reason FROM marts.balance_changes "
        "WHERE abs(exports_musd - exports_yoy_musd) < 0.05",
    )
    assert rows, "the real files hold year-ago values that round to zero"
    for exports_pct, reason in rows:
        assert exports_pct is None
        assert "a year-ago value rounds to zero (under 0.05 $M)" in reason
    [(largest,)] = query(everything, "SELECT max(abs(balance_yoy_pct)) FROM marts.balance_changes")
    assert largest < Decimal("10000000000")


def test_japan_august_2021_first_print_and_latest_from_two_sources(everything: Settings) -> None:
    # First printed by Exhibit 14 of the August 2021 release (2021-10-05); the 2026 country file
    # revises it. Exhibit 18's autos share is of the same release's goods balance.
    [(first, latest)] = query(
        everything,
        "SELECT first_value_musd, latest_value_musd FROM marts.revisions "
        "WHERE partner_code = '5880' AND basis = 'census' AND adjustment = 'nsa' "
        "AND measure = 'balance' AND frequency = 'M' AND period = DATE '2021-08-01' "
        "AND product = 'goods' AND commodity_class = 'total'",
    )
    assert first == Decimal("-6266")
    assert latest != first and abs(latest - first) < 500
    [(share, ytd_share)] = query(
        everything,
        "SELECT max(share_of_goods_balance_pct) FILTER (WHERE frequency = 'M'), "
        "max(share_of_goods_balance_pct) FILTER (WHERE frequency = 'YTD') "
        "FROM marts.autos_by_partner WHERE partner_code = '5880' AND period = DATE '2021-08-01'",
    )
    assert (share, ytd_share) == (Decimal("66.60"), Decimal("74.25"))


def test_the_report_renders_on_every_workbook(everything: Settings) -> None:
    from tradewh.report import write_report

    path = Path(write_report(everything, everything.data_dir / "report.html"))
    text = path.read_text()
    assert "<svg" in text and "Japan" in text
