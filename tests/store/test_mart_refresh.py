"""Marts refreshed in proportion to what was published (tradewh.store.mart_refresh) hold exactly
what a full rebuild makes, whatever the sequence of publishes: revisions of old months, an old
vintage found late, a new partner, HS detail, FT-900 rows of every kind, a quarantined vintage
released later, and a refresh that dies half way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.warehouses import copy_warehouse
from tradewh import failpoints, warehouse
from tradewh.settings import Settings

Publish = Callable[[duckdb.DuckDBPyConnection], None]


def _vintage(
    con: duckdb.DuckDBPyConnection,
    where: str,
    *,
    source: str,
    vintage_at: str = "2030-01-15 13:30:00+00",
    factor: str = "1.01",
    replace: str = "",
    status: str = "published",
) -> int:
    """A new vintage of the latest values matching `where` (scaled by `factor`, columns
    replaced as given), written as publishing writes it: its ledger row, its rows in core and,
    once published, its load."""
    release_id = warehouse.next_id(con, "ops.releases", "release_id")
    con.execute(
        "INSERT INTO ops.releases VALUES (?, ?, ?, 'file:///test', ?::TIMESTAMPTZ, "
        "?::TIMESTAMPTZ, NULL, NULL, NULL, ?)",
        [release_id, source, f"test-{release_id}", vintage_at, vintage_at, status],
    )
    extra = f", {replace}" if replace else ""
    con.execute(
        f"""
        INSERT INTO core.observations BY NAME
        SELECT * EXCLUDE (source_rank) REPLACE (
            {release_id} AS release_id, '{source}' AS source,
            CAST(round(value_musd * {factor}, 1) AS DECIMAL(18, 6)) AS value_musd,
            TIMESTAMPTZ '{vintage_at}' AS vintage_at{extra})
        FROM core.latest WHERE {where}
        """
    )
    if status == "published":
        _load(con, release_id, source)
    return release_id


def _load(con: duckdb.DuckDBPyConnection, release_id: int, source: str) -> None:
    rows = con.execute(
        "SELECT count(*) FROM core.observations WHERE release_id = ?", [release_id]
    ).fetchone()[0]
    con.execute(
        "INSERT INTO ops.loads VALUES (?, ?, ?, ?, ?, now())",
        [warehouse.next_id(con, "ops.loads", "load_id"), release_id, source, source, rows],
    )


COUNTRY = "source = 'census_country' AND commodity_class = 'total' AND frequency = 'M'"


def revise_old_months(con: duckdb.DuckDBPyConnection) -> None:
    # An annual revision of the country file: two years of every partner, months long past.
    _vintage(con, f"{COUNTRY} AND year(period) IN (2018, 2019)", source="census_country")


def old_vintage_found_late(con: duckdb.DuckDBPyConnection) -> None:
    # An older vintage of 1994 loaded now: it changes first prints, not the latest values.
    _vintage(
        con,
        f"{COUNTRY} AND year(period) = 1994 AND partner_code IN ('5880', '5700', '0015')",
        source="census_country",
        vintage_at="1995-01-10 13:30:00+00",
        factor="0.97",
    )


def new_partner(con: duckdb.DuckDBPyConnection) -> None:
    _vintage(
        con,
        f"{COUNTRY} AND partner_code = '5880' AND year(period) = 2020",
        source="census_country",
        factor="0.1",
        replace="'9990' AS partner_code, 'NEW PARTNER' AS partner_name",
    )


def hs_detail(con: duckdb.DuckDBPyConnection) -> None:
    _vintage(
        con,
        f"{COUNTRY} AND partner_code IN ('5880', '1220') AND year(period) = 2020",
        source="census_api",
        factor="0.01",
        replace="'hs' AS commodity_class, '8703230190' AS commodity_code",
    )


def ft900_release(con: duckdb.DuckDBPyConnection) -> None:
    # Everything an FT-900 release holds for August 2021 (exhibits: totals, end-use, petroleum,
    # autos, partners, year to date), revised.
    _vintage(con, "source = 'ft900' AND period = DATE '2021-08-01'", source="ft900", factor="1.02")


def enduse_revision(con: duckdb.DuckDBPyConnection) -> None:
    _vintage(con, "commodity_class = 'enduse' AND year(period) = 2024", source="census_enduse")


QUARANTINED = "quarantined"


def quarantined_vintage(con: duckdb.DuckDBPyConnection) -> None:
    # A vintage held back by its checks: its rows are written, never published.
    _vintage(
        con,
        f"{COUNTRY} AND year(period) = 2017",
        source="census_country",
        factor="5",
        status=QUARANTINED,
    )


def release_quarantined(con: duckdb.DuckDBPyConnection) -> None:
    # A person releases it (tradewh quarantine release): published, and a load.
    for (release_id,) in con.execute(
        "SELECT release_id FROM ops.releases WHERE status = ?", [QUARANTINED]
    ).fetchall():
        con.execute(
            "UPDATE ops.releases SET status = 'published' WHERE release_id = ?", [release_id]
        )
        _load(con, release_id, "census_country")


PUBLISHES: list[Publish] = [
    revise_old_months,
    hs_detail,
    new_partner,
    quarantined_vintage,
    ft900_release,
    old_vintage_found_late,
    enduse_revision,
    release_quarantined,
]


@pytest.fixture
def live(sample: Settings, tmp_path: Path) -> Settings:
    """A copy of the sample warehouse (every source), its views built."""
    target = Settings(data_dir=tmp_path / "copy", landing_dir=sample.landing_dir)
    copy_warehouse(sample, target)
    return target


def marts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {k: v for k, v in warehouse.table_checksums(con).items() if k.startswith("marts.")}


def publish(con: duckdb.DuckDBPyConnection, step: Publish) -> None:
    con.execute("BEGIN TRANSACTION")
    step(con)
    con.execute("COMMIT")


@pytest.mark.parametrize(
    "order, every",
    [
        pytest.param(PUBLISHES, 1, id="refresh after each publish"),
        # The other orders cost a minute more of CI: make test-slow runs them.
        pytest.param(
            PUBLISHES[::-1][1:] + PUBLISHES[-1:], 1, id="reversed", marks=pytest.mark.slow
        ),
        pytest.param(PUBLISHES, 3, id="refresh after every third publish", marks=pytest.mark.slow),
    ],
)
def test_incremental_refresh_equals_a_full_rebuild(
    live: Settings, order: list[Publish], every: int
) -> None:
    sql_dir = live.sql_dir
    with warehouse.writer(live) as con:
        refreshed = set()
        for done, step in enumerate(order, 1):
            publish(con, step)
            if done % every == 0 or done == len(order):
                refreshed.update(warehouse.rebuild_views(con, sql_dir, force=False))
        incremental = marts(con)
        assert warehouse.rebuild_views(con, sql_dir, force=False) == []
        full = warehouse.rebuild_views(con, sql_dir, full=True)
        assert len(full) > len(refreshed)  # the views too
        assert marts(con) == incremental
    # Every materialized mart was refreshed by some publish, so each one's scope was exercised.
    tables = {k for k in incremental if not k.startswith("marts.claim")}
    assert refreshed >= tables, tables - refreshed


def test_hs_detail_refreshes_no_mart(live: Settings) -> None:
    with warehouse.writer(live) as con:
        before = marts(con)
        publish(con, hs_detail)
        assert warehouse.rebuild_views(con, live.sql_dir, force=False) == []
        assert marts(con) == before
        # Recorded all the same: the next refresh does not look at it again.
        last = con.execute("SELECT last_load_id FROM ops.view_builds").fetchone()[0]
        assert last == con.execute("SELECT max(load_id) FROM ops.loads").fetchone()[0]
        assert con.execute(
            "SELECT count(*) FROM marts.revisions WHERE commodity_class = 'hs'"
        ).fetchone() == (0,)


def test_a_refresh_that_dies_half_way_leaves_the_last_build(
    live: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Crash(Exception):
        pass

    def crash(name: str) -> None:
        if name == "views.mid":
            raise Crash(name)

    with warehouse.writer(live) as con:
        before = marts(con)
        build = con.execute("SELECT * FROM ops.view_builds").fetchall()
        publish(con, revise_old_months)
        publish(con, ft900_release)
        with monkeypatch.context() as patch:
            patch.setattr(failpoints, "reach", crash)
            with pytest.raises(Crash):
                warehouse.rebuild_views(con, live.sql_dir, force=False)
        # Rolled back: the marts and the record of the last build as they were.
        assert marts(con) == before
        assert con.execute("SELECT * FROM ops.view_builds").fetchall() == build
        refreshed = warehouse.rebuild_views(con, live.sql_dir, force=False)
        assert "marts.balance_monthly" in refreshed
        incremental = marts(con)
        assert incremental != before
        warehouse.rebuild_views(con, live.sql_dir, full=True)
        assert marts(con) == incremental


def test_a_changed_file_means_a_full_build(live: Settings, tmp_path: Path) -> None:
    import shutil

    sql_dir = tmp_path / "sql"
    shutil.copytree(live.sql_dir, sql_dir)
    with warehouse.writer(live) as con:
        views = warehouse.rebuild_views(con, sql_dir, force=False)
        assert views == []  # the same files, nothing published
        scope = sql_dir / "refresh" / "balance_changes.sql"
        scope.write_text(scope.read_text() + "\n")
        built = warehouse.rebuild_views(con, sql_dir, force=False)
        assert "core.latest" in built and "marts.freshness" in built


def test_migrate_full_rebuilds_everything(live: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from tradewh.cli import app

    monkeypatch.setenv("TRADEWH_DATA_DIR", str(live.data_dir))
    warehouse.close_databases()
    quiet = CliRunner().invoke(app, ["migrate"])
    assert quiet.exit_code == 0, quiet.output
    assert "0 migrations applied, 0 views rebuilt" in quiet.output  # nothing published since
    full = CliRunner().invoke(app, ["migrate", "--full"])
    assert full.exit_code == 0, full.output
    views = len(warehouse.view_files(live.sql_dir))
    assert f"0 migrations applied, {views} views rebuilt" in full.output


def _files_read(plan: object) -> list[str]:
    """Parquet files of core.observations the scans of a profiled query opened."""
    found: list[str] = []
    if isinstance(plan, list):
        for node in plan:
            found += _files_read(node)
        return found
    assert isinstance(plan, dict)
    info = plan.get("extra_info") or {}
    if isinstance(info, dict) and info.get("Table") == "observations":
        names = info.get("Filename(s)", "")
        found += [n.strip() for n in names.split(",") if n.strip()]
    for child in plan.get("children", []):
        found += _files_read(child)
    return found


def test_marts_never_open_a_file_of_hs_detail(fixture_warehouse: Settings) -> None:
    import json

    from tradewh.store import mart_refresh

    settings = fixture_warehouse
    with warehouse.writer(settings) as con:
        publish(con, hs_detail_of_fixture)
        lake = Path(settings.lake_data_path)
        hs_files = list(lake.rglob("commodity_class=hs/*.parquet"))
        assert hs_files  # HS detail is written to files of its own
        opened: dict[str, list[str]] = {}
        for path in warehouse.view_files(settings.sql_dir):
            mart = mart_refresh.materialized(path, settings.sql_dir)
            if mart is None:
                continue
            plan = con.execute(f"EXPLAIN (ANALYZE, FORMAT json) {mart.query}").fetchall()
            opened[mart.name] = _files_read(json.loads(plan[0][1]))
    assert any(opened.values())  # the scans do report the files they open
    assert {m: [f for f in files if "commodity_class=hs" in f] for m, files in opened.items()} == {
        m: [] for m in opened
    }


def hs_detail_of_fixture(con: duckdb.DuckDBPyConnection) -> None:
    # Enough rows to be written to a Parquet file rather than inlined in the catalog.
    release_id = warehouse.next_id(con, "ops.releases", "release_id")
    con.execute(
        "INSERT INTO ops.releases VALUES (?, 'census_api', 'hs', 'file:///hs', now(), now(), "
        "NULL, NULL, NULL, 'published')",
        [release_id],
    )
    con.execute(
        f"""
        INSERT INTO core.observations BY NAME
        SELECT * EXCLUDE (source_rank, code) REPLACE ({release_id} AS release_id,
            'census_api' AS source, 'hs' AS commodity_class, code AS commodity_code)
        FROM core.latest
        CROSS JOIN (SELECT printf('%010d', i) AS code FROM range(200) AS t(i))
        WHERE commodity_class = 'total' AND frequency = 'M'
        """
    )
    _load(con, release_id, "census_api")


def test_a_mart_without_a_refresh_scope_is_rebuilt_whole(live: Settings, tmp_path: Path) -> None:
    import shutil

    sql_dir = tmp_path / "sql"
    shutil.copytree(live.sql_dir, sql_dir)
    (sql_dir / "refresh" / "deficit_records.sql").unlink()
    with warehouse.writer(live) as con:
        warehouse.rebuild_views(con, sql_dir, force=False)  # files changed: a full build
        publish(con, new_partner)
        refreshed = warehouse.rebuild_views(con, sql_dir, force=False)
        assert "marts.deficit_records" in refreshed and "core.latest" not in refreshed
        assert con.execute(
            "SELECT count(*) FROM marts.deficit_records WHERE partner_code = '9990'"
        ).fetchone() == (12,)
        incremental = marts(con)
        warehouse.rebuild_views(con, sql_dir, full=True)
        assert marts(con) == incremental
