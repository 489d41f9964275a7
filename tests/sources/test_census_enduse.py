"""The Census annual imports by country x 5-digit end-use workbook on the real vintage in
../shared/reference/census_enduse_country_annual (spot values in its README), its sample extract,
and the saved query summing it to the six categories."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.ingest.test_pipeline import migrated
from tests.paths import QUERIES
from tradewh import pipeline, warehouse
from tradewh.cli import queries
from tradewh.sample import build_census_enduse
from tradewh.settings import Settings
from tradewh.sources import ParseError, census_enduse
from tradewh.sources.census_enduse.workbook import read_table

REFERENCE_FILE = build_census_enduse.VINTAGES["2026-02"][0]


@pytest.fixture(scope="module")
def real_rows(reference_dir: Path) -> list[dict]:
    return census_enduse.parse((reference_dir / REFERENCE_FILE).read_bytes()).table.to_pylist()


def values(rows: list[dict], partner: str, year: int, prefix: str = "") -> list[str]:
    return [
        r["value_text"]
        for r in rows
        if r["partner_code"] == partner
        and r["period"].year == year
        and r["commodity_code"].startswith(prefix)
    ]


def test_spot_values(real_rows: list[dict]) -> None:
    # 30000 "Passenger cars, new and used" from Japan, whole dollars.
    assert values(real_rows, "5880", 2024, "30000") == ["40271082726"]
    assert values(real_rows, "5880", 2025, "30000") == ["36242815491"]
    assert values(real_rows, "5880", 2022, "30000") == ["32820688802"]
    assert values(real_rows, "5880", 2025, "30230") == ["9379306200"]
    # Japan's 5-digit rows add up to its total imports in the country file of 2026-03.
    assert sum(map(int, values(real_rows, "5880", 2024))) == 148_370_517_793
    assert sum(map(int, values(real_rows, "5880", 2025))) == 145_950_309_794
    # Category 3 (automotive vehicles, parts and engines) = codes 30000 ... 30230.
    assert round(sum(map(int, values(real_rows, "5880", 2024, "3"))) / 1e6, 1) == 55816.2
    assert round(sum(map(int, values(real_rows, "5880", 2019, "3"))) / 1e6, 1) == 53623.9


def test_shape(real_rows: list[dict]) -> None:
    assert {r["frequency"] for r in real_rows} == {"A"}
    assert {len(r["commodity_code"]) for r in real_rows} == {5}
    assert {r["period"].year for r in real_rows} == set(range(2016, 2026))
    world = [r for r in real_rows if r["partner_code"] == "-"]
    assert world and all(r["partner_is_aggregate"] for r in world)
    # 235 partners incl. the world total; codes keep their leading zeros as text.
    assert len({r["partner_code"] for r in real_rows}) == 235


def test_not_this_workbook_is_a_parse_error(reference_dir: Path) -> None:
    country = reference_dir / "census_country" / "country_vintage2026-03.xlsx"
    with pytest.raises(ParseError, match="no sheet named 'EnduseImp'"):
        census_enduse.parse(country.read_bytes())


def test_sample_is_the_reference_trimmed(reference_dir: Path, tmp_path: Path) -> None:
    [written] = build_census_enduse.build(reference_dir, tmp_path)
    bundled = build_census_enduse.SAMPLE_DIR / "census_enduse" / written.name
    assert bundled.read_bytes() == written.read_bytes(), "make sample"
    ours = read_table(written.read_bytes())
    real = read_table((reference_dir / REFERENCE_FILE).read_bytes())
    assert ours.rows == tuple(r for r in real.rows if r.code in build_census_enduse.PARTNERS)


def test_sample_publishes_and_sums_to_categories(settings: Settings) -> None:
    migrated(settings)
    [item] = pipeline.fetch(settings, "census_enduse")
    outcome = pipeline.ingest(settings, "census_enduse", item)
    assert outcome.status == "published" and outcome.checks_failed == 0
    with warehouse.writer(settings) as con:
        warehouse.rebuild_views(con, settings.sql_dir)
    saved = queries.catalogue(QUERIES)["enduse_imports_annual"]
    params = queries.bind(saved, {"partner_code": "5880", "year": "2024"})
    con = warehouse.reader(settings)
    try:
        result = con.execute(saved.sql, params).fetchall()
    finally:
        con.close()
    rows = {code: (imports, share) for code, _, imports, share in result}
    assert rows["3"][0] == Decimal("55816.2")
    assert sum(imports for imports, _ in rows.values()) == Decimal("148370.5")
