"""The warehouse as a DuckLake: extensions offline and signed, the pin, read-only readers,
snapshots and time travel, maintenance, comments DuckLake cannot keep, ledger uniqueness."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import tradewh
from tests.paths import ROOT
from tradewh import warehouse
from tradewh.cli import app
from tradewh.settings import Settings
from tradewh.store import lake, lakeops


def _env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADEWH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("TRADEWH_LANDING_DIR", str(settings.landing_dir))


def test_duckdb_is_the_version_the_extension_binaries_were_built_for() -> None:
    pinned = re.search(r'"duckdb==([\d.]+)"', (ROOT / "pyproject.toml").read_text())
    assert pinned, "pyproject.toml must pin duckdb exactly"
    assert duckdb.__version__ == pinned[1], (
        f"DuckDB {duckdb.__version__} is installed but pyproject.toml pins {pinned[1]}: the "
        "extension wheels hold binaries for one DuckDB version; reinstall with `make setup`"
    )
    for name in lake.EXTENSIONS:
        assert lake.shipped_binary(name).name == f"{name}.duckdb_extension"


def test_a_version_drift_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duckdb, "__version__", "1.5.6")
    with pytest.raises(lake.ExtensionError, match=r"DuckDB 1\.5\.6 is installed.*v1\.5\.5"):
        lake.shipped_binary("ducklake")


def test_extensions_load_signed_from_our_directory(sample: Settings, tmp_path: Path) -> None:
    con = warehouse.reader(sample)
    assert con.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone() == (False,)
    paths = dict(
        con.execute(
            "SELECT extension_name, install_path FROM duckdb_extensions() "
            "WHERE extension_name IN ('ducklake', 'sqlite_scanner') AND loaded"
        ).fetchall()
    )
    assert set(paths) == {"ducklake", "sqlite_scanner"}
    for path in paths.values():
        assert Path(path).is_relative_to(lake.extension_dir(sample))
    # A binary with one byte changed is refused: the signature is checked.
    broken = tmp_path / "ducklake.duckdb_extension"
    data = bytearray(lake.shipped_binary("ducklake").read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken.write_bytes(bytes(data))
    fresh = duckdb.connect()
    fresh.execute(f"SET extension_directory = '{tmp_path / 'ext'}'")
    with pytest.raises(duckdb.Error):
        fresh.execute(f"LOAD '{broken}'")


def test_readers_cannot_write(sample: Settings) -> None:
    con = warehouse.reader(sample)
    with pytest.raises(duckdb.Error, match="read-only|read only"):
        con.execute("DELETE FROM ops.runs")


def test_the_analysts_python_line(sample: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    _env(sample, monkeypatch)
    con = tradewh.connect()
    assert con.execute(
        "SELECT balance_musd FROM marts.balance_monthly WHERE partner_code = '5880' "
        "AND period = DATE '1994-03-01'"
    ).fetchone() == (Decimal("-5752.7"),)


def test_connect_prints_lines_that_work_in_the_duckdb_cli(
    sample: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _env(sample, monkeypatch)
    printed = CliRunner().invoke(app, ["connect"]).output
    line = next(x for x in printed.splitlines() if x.endswith('"') and "-cmd" in x)
    cli, setup = line.split(" -cmd ", 1)
    done = subprocess.run(
        [cli, "-csv", "-cmd", setup.strip('"'), "-c", "SELECT count(*) > 0 FROM core.latest"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the checkout: the line carries absolute paths
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "true"
    python = next(x for x in printed.splitlines() if x.startswith("import duckdb"))
    code = python + "\nprint(con.execute('SELECT count(*) FROM marts.revisions').fetchone()[0])"
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert int(ran.stdout) > 0


def test_snapshots_name_the_release_each_publish_came_from(
    sample: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env(sample, monkeypatch)
    con = warehouse.reader(sample)
    columns, rows = lakeops.snapshots(con, sample, limit=1000)
    assert columns == ["snapshot_id", "snapshot_time", "run_id", "release_id", "what"]
    published = {row[3] for row in rows if "published" in row[4]}
    loads = {r for (r,) in con.execute("SELECT release_id FROM ops.loads").fetchall()}
    assert published == loads
    shown = CliRunner().invoke(app, ["snapshots", "--format", "csv"]).output
    assert "views rebuilt" in shown


def test_sql_at_a_snapshot_answers_as_the_warehouse_stood(
    sample: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env(sample, monkeypatch)
    con = warehouse.reader(sample)
    _, rows = lakeops.snapshots(con, sample, limit=1000)
    first_publish = min(row[0] for row in rows if "published" in row[4])
    runner = CliRunner()
    count = "SELECT count(*) AS n FROM ops.loads"
    then = runner.invoke(app, ["sql", count, "--at", str(first_publish), "--format", "csv"])
    now = runner.invoke(app, ["sql", count, "--format", "csv"])
    assert then.exit_code == 0, then.output
    assert then.output.split() == ["n", "1"]
    assert int(now.output.split()[1]) == len(rows and [r for r in rows if "published" in r[4]])
    at_time = runner.invoke(app, ["sql", count, "--at", "2000-01-01T00:00", "--format", "csv"])
    assert at_time.exit_code != 0  # before the warehouse existed: DuckLake says so
    bad = runner.invoke(app, ["sql", count, "--at", "yesterday"])
    assert bad.exit_code == 2 and "snapshot id" in bad.output


def test_maintenance_merges_files_and_time_travel_still_works(
    sample: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env(sample, monkeypatch)
    con = warehouse.reader(sample)
    _, rows = lakeops.snapshots(con, sample, limit=1000)
    old = min(row[0] for row in rows if "published" in row[4])
    before = (
        warehouse.reader(sample, at=str(old))
        .execute("SELECT count(*), sum(value_musd) FROM core.observations")
        .fetchone()
    )
    result = CliRunner().invoke(app, ["maintain"])
    assert result.exit_code == 0, result.output
    assert "merged" in result.output and "expired 0 snapshots" in result.output
    after = (
        warehouse.reader(sample, at=str(old))
        .execute("SELECT count(*), sum(value_musd) FROM core.observations")
        .fetchone()
    )
    assert after == before


def test_comments_ducklake_cannot_keep_are_in_the_dictionary(sample: Settings) -> None:
    from tradewh.cli.dictionary import describe

    objects = {o.qualified: o for o in describe(warehouse.reader(sample))}
    assert objects["core.search_news"].comment.startswith("core.search_news(query)")
    latest = {c.name: c.comment for c in objects["core.latest"].columns}
    assert latest and all(latest.values()), latest


def test_ledgers_hold_what_constraints_used_to_guarantee(sample: Settings) -> None:
    con = warehouse.reader(sample)
    sql = (sample.sql_dir / "checks" / "ledger_uniqueness.sql").read_text()
    assert con.execute(sql).fetchall() == []
    # The check finds a duplicate when there is one.
    writer = warehouse.writer_connection(sample)
    try:
        writer.execute("BEGIN")
        writer.execute("INSERT INTO ops.loads SELECT * FROM ops.loads LIMIT 1")
        assert [row[0] for row in writer.execute(sql).fetchall()] == [
            "ops.loads.load_id",
            "ops.loads.release_id",
        ]
    finally:
        writer.execute("ROLLBACK")
        writer.close()
