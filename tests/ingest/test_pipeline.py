"""Write-audit-publish on the sample archive, without Prefect: publish, no-op, quarantine."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.paths import SAMPLE
from tests.warehouses import from_template
from tradewh import pipeline, warehouse
from tradewh.settings import Settings
from tradewh.sources.census_country.workbook import read_rows, write_workbook
from tradewh.store import lake

NEWEST = SAMPLE / "census_country" / "country_2024-11.xlsx"


def _migrate(settings: Settings) -> Settings:
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        warehouse.rebuild_views(con, settings.sql_dir)
    return settings


def migrated(settings: Settings) -> Settings:
    """An empty warehouse with its views: a copy of one migrated once per session."""
    if lake.catalog_exists(settings):
        return _migrate(settings)
    return from_template("migrated", _migrate, settings)


def run_source(settings: Settings) -> list[pipeline.ReleaseOutcome]:
    outcomes = []
    for item in pipeline.fetch(settings, "census_country"):
        if isinstance(item, pipeline.NotModified):
            outcomes.append(pipeline.ReleaseOutcome("census_country", item.url, "not_modified"))
            continue
        outcomes.append(pipeline.ingest(settings, "census_country", item))
    return outcomes


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = warehouse.reader(settings)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_sample_vintages_publish_then_nothing_new(settings: Settings) -> None:
    migrated(settings)
    first = run_source(settings)
    assert [o.status for o in first] == ["published"] * 4
    assert all(o.checks_failed == 0 and o.checks_evaluated == 16 for o in first)
    loads = query(settings, "SELECT count(*), sum(rows_published) FROM ops.loads")[0]
    assert loads[0] == 4
    assert loads[1] == query(settings, "SELECT count(*) FROM core.observations")[0][0]
    assert query(settings, "SELECT count(*) FROM staging.census_country") == [(0,)]

    # The file:// transport answers a conditional GET with 304: no payload, no new vintage.
    second = run_source(settings)
    assert [o.status for o in second] == ["not_modified"] * 4


def test_same_payload_without_conditional_get_is_unchanged(settings: Settings) -> None:
    migrated(settings)
    run_source(settings)
    before = query(settings, "SELECT count(*) FROM core.observations")
    # A server that ignores If-None-Match sends the same bytes again: same sha256, no-op.
    with warehouse.writer(settings) as con:
        con.execute("UPDATE ops.fetches SET etag = NULL, last_modified = NULL")
    again = run_source(settings)
    assert [o.status for o in again] == ["unchanged"] * 4
    assert query(settings, "SELECT count(*) FROM core.observations") == before
    assert query(settings, "SELECT count(*) FROM ops.loads") == [(4,)]


def test_every_payload_is_landed_by_sha256(settings: Settings) -> None:
    migrated(settings)
    run_source(settings)
    for sha, path, size in query(settings, "SELECT sha256, landed_path, bytes FROM ops.fetches"):
        content = (settings.landing_dir / path).read_bytes()
        assert hashlib.sha256(content).hexdigest() == sha
        assert len(content) == size
        assert sha in path


def test_published_at_comes_from_the_recorded_last_modified(settings: Settings) -> None:
    migrated(settings)
    run_source(settings)
    rows = query(
        settings,
        "SELECT strftime(published_at AT TIME ZONE 'UTC', '%Y-%m-%d'), period_end "
        "FROM ops.releases ORDER BY published_at",
    )
    assert [(day, str(end)) for day, end in rows] == [
        ("2020-10-25", "2020-08-01"),
        ("2022-05-11", "2020-12-01"),
        ("2024-11-01", "2020-12-01"),
        ("2026-04-14", "2021-12-01"),
    ]


def corrupt_sample(tmp_path: Path, change) -> Path:
    """A sample archive holding one vintage: the newest sample workbook with `change` applied."""
    header, rows = read_rows(NEWEST.read_bytes())
    rows = [list(r) for r in rows]
    change(header, rows)
    out = tmp_path / "sample"
    target = out / "census_country" / "country_9999-01.xlsx"
    write_workbook(target, rows, header)
    return out


def japan_1994(header: list[str], rows: list[list]) -> list:
    return next(r for r in rows if r[1] == "5880" and str(r[0]) == "1994")


def negative_value(header, rows) -> None:
    row = japan_1994(header, rows)
    i = header.index("IMAR")
    row[header.index("IYR")] -= row[i] + 5.0
    row[i] = -5.0


def duplicated_key(header, rows) -> None:
    rows.append(list(japan_1994(header, rows)))


def annual_mismatch(header, rows) -> None:
    japan_1994(header, rows)[header.index("EYR")] += 100.0


@pytest.mark.parametrize(
    ("change", "expectations"),
    [
        (negative_value, ["expect_column_values_to_be_between on value_musd"]),
        (duplicated_key, ["expect_compound_columns_to_be_unique on period,partner_code,flow"]),
        (annual_mismatch, ["expect_column_values_to_be_between on annual_diff_musd"]),
    ],
    ids=["negative-value", "duplicated-key", "annual-total-mismatch"],
)
def test_corrupted_vintage_is_quarantined(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, expectations
) -> None:
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(corrupt_sample(tmp_path, change)))
    settings = migrated(Settings())
    [outcome] = run_source(settings)

    assert outcome.status == "quarantined"
    for name in expectations:
        assert name in outcome.message
    assert "5880" in outcome.message  # sample bad rows name the partner
    assert query(settings, "SELECT count(*) FROM core.observations") == [(0,)]
    assert query(settings, "SELECT count(*) FROM ops.loads") == [(0,)]
    [(status,)] = query(settings, "SELECT status FROM ops.releases")
    assert status == "quarantined"
    [(reason, failures, landed, release_id)] = query(
        settings, "SELECT reason, failures, landed_path, release_id FROM ops.quarantine"
    )
    assert reason == outcome.message
    failed = json.loads(failures)
    # A changed Japan row also breaks the world total: a warning beside the critical failure.
    assert "critical" in {f["severity"] for f in failed}
    assert all(f["samples"] for f in failed if f["unexpected_count"])
    assert (settings.landing_dir / landed).is_file()
    staged = query(
        settings, "SELECT count(*) FROM staging.census_country WHERE release_id = ?", [release_id]
    )
    assert staged[0][0] > 10_000


def test_payload_that_is_not_a_workbook_is_quarantined(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "sample" / "census_country"
    out.mkdir(parents=True)
    (out / "country_9999-01.xlsx").write_bytes(b"<html>Access Denied</html>")
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(tmp_path / "sample"))
    settings = migrated(Settings())
    [outcome] = run_source(settings)
    assert outcome.status == "quarantined"
    assert "not a readable Excel workbook" in outcome.message
    assert query(settings, "SELECT status FROM ops.releases") == [("quarantined",)]
    assert query(settings, "SELECT count(*) FROM core.observations") == [(0,)]


def test_quarantined_vintage_is_not_retried_as_new(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(corrupt_sample(tmp_path, negative_value)))
    settings = migrated(Settings())
    run_source(settings)
    with warehouse.writer(settings) as con:
        con.execute("UPDATE ops.fetches SET etag = NULL, last_modified = NULL")
    [again] = run_source(settings)
    assert again.status == "unchanged"
    assert "already quarantined" in again.message
    assert query(settings, "SELECT count(*) FROM ops.quarantine") == [(1,)]


def test_good_vintage_publishes_after_a_quarantined_one(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = corrupt_sample(tmp_path, duplicated_key)
    shutil.copy(NEWEST, archive / "census_country" / "country_2024-11.xlsx")
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(archive))
    settings = migrated(Settings())
    statuses = sorted(o.status for o in run_source(settings))
    assert statuses == ["published", "quarantined"]
    assert query(settings, "SELECT count(DISTINCT release_id) FROM core.observations") == [(1,)]


def country_value_shifted(header, rows) -> None:
    """Japan's March 1994 imports up by 10 $M with the annual column to match: the file is
    consistent in itself, but the countries no longer add up to the world total."""
    row = japan_1994(header, rows)
    row[header.index("IMAR")] += 10.0
    row[header.index("IYR")] += 10.0


def test_warning_publishes_and_reports(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(corrupt_sample(tmp_path, country_value_shifted)))
    settings = migrated(Settings())
    [outcome] = run_source(settings)
    assert outcome.status == "published"
    assert outcome.checks_failed == 1
    [warning] = outcome.warnings
    assert "world_gap_musd" in warning and "1994-03-01" in warning
    assert query(settings, "SELECT success, max_severity FROM ops.validations") == [
        (True, "warning")
    ]


def test_a_vintage_without_its_ledger_row_is_refused_and_rolled_back(settings: Settings) -> None:
    from tradewh.ingest.publish import publish_release
    from tradewh.sources import get_source

    migrated(settings)
    with warehouse.writer(settings) as con:
        with pytest.raises(warehouse.WarehouseError, match="vintage 77 has no ledger row"):
            publish_release(con, settings, get_source("census_country"), 77)
    assert query(settings, "SELECT count(*) FROM ops.loads") == [(0,)]
