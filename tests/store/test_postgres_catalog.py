"""The warehouse on a PostgreSQL catalog, for real: a throwaway cluster on 127.0.0.1 (tests/
pgcluster.py). The sample refresh gives the marts the SQLite default gives; two writers started
at the same moment on different machines' worth of processes are serialised by the catalog's
advisory lock and both end with everything published; a killed holder's lock is released."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crash.harness import PROJECT
from tests.pgcluster import throwaway_cluster
from tests.warehouses import load_sample
from tradewh import warehouse
from tradewh.settings import Settings
from tradewh.store import lock


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with throwaway_cluster() as conninfo:
        yield conninfo


def _settings(root: Path, catalog: str | None) -> Settings:
    return Settings(data_dir=root, landing_dir=root / "landing", profile="sample", catalog=catalog)


VOLATILE = {"freshness": "last_fetched_at"}


def _marts(settings: Settings) -> dict[str, str]:
    """A checksum of every mart's content, tables and views alike."""
    con = warehouse.reader(settings)
    try:
        names = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'marts' UNION ALL SELECT view_name FROM duckdb_views() "
            "WHERE database_name = current_database() AND schema_name = 'marts'"
        ).fetchall()
        # When each warehouse last fetched is not content: freshness without that column.
        return {
            name: "{}:{}".format(
                *con.execute(
                    f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM "
                    f"(SELECT * EXCLUDE ({VOLATILE[name]}) FROM marts.{name}) AS t"
                    if name in VOLATILE
                    else f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM marts.{name} AS t"
                ).fetchone()
            )
            for (name,) in names
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def environment() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        for key in ("TRADEWH_SAMPLE_DIR", "TRADEWH_SOURCES", "TRADEWH_CATALOG"):
            env.delenv(key, raising=False)
        yield


# The whole sample on PostgreSQL: about 50 s, run by make test-slow; CI keeps PostgreSQL in the
# two-writers test below.
@pytest.mark.slow
def test_sample_on_postgres_equals_the_sqlite_default(
    cluster: str, sample_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from tradewh.report import write_report

    with pytest.MonkeyPatch.context() as env:
        for key in ("TRADEWH_SAMPLE_DIR", "TRADEWH_SOURCES", "TRADEWH_CATALOG"):
            env.delenv(key, raising=False)
        postgres = load_sample(_settings(tmp_path_factory.mktemp("pg"), f"postgres:{cluster}"))
    sqlite = Settings(data_dir=sample_root, landing_dir=sample_root / "landing")
    on_postgres, on_sqlite = _marts(postgres), _marts(sqlite)
    assert {"balance_monthly", "revisions", "claim_check", "freshness"} <= set(on_postgres)
    assert on_postgres == on_sqlite
    report = write_report(postgres, postgres.data_dir / "report.html")
    assert "Japan" in Path(report).read_text()


BACKFILL = [sys.executable, "-m", "tradewh.cli", "backfill"]


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWH_")}
    env.update(
        {
            "TRADEWH_DATA_DIR": str(settings.data_dir),
            "TRADEWH_LANDING_DIR": str(settings.landing_dir),
            "TRADEWH_CATALOG": str(settings.catalog),
            "TRADEWH_PROFILE": "sample",
        }
    )
    return env


def test_two_writers_at_once_are_serialised_and_lose_nothing(
    cluster: str, environment: None, tmp_path: Path
) -> None:
    # A database of its own: the first test's warehouse is in the cluster's default one.
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"import psycopg; psycopg.connect({cluster!r}, autocommit=True)"
            ".execute('CREATE DATABASE writers')",
        ],
        check=True,
    )
    catalog = "postgres:" + cluster.replace("dbname=tradewh", "dbname=writers")
    # Two machines would have two data directories; the Parquet files are shared.
    first = _settings(tmp_path / "a", catalog).model_copy(
        update={"data_path": str(tmp_path / "lake")}
    )
    second = first.model_copy(
        update={"data_dir": tmp_path / "b", "landing_dir": tmp_path / "b-landing"}
    )
    with warehouse.writer(first) as con:
        warehouse.migrate(con, first.sql_dir)
    warehouse.close_databases()
    runs = [
        subprocess.Popen(
            [*BACKFILL, "--source", source, "--from", "1994-01", "--to", "1994-03"],
            env={**_env(settings), "TRADEWH_DATA_PATH": str(tmp_path / "lake")},
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for source, settings in (("ft900", first), ("alfred", second))
    ]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    con = warehouse.reader(first)
    published = dict(
        con.execute(
            "SELECT source, count(*) FROM ops.releases WHERE status = 'published' GROUP BY 1"
        ).fetchall()
    )
    # What each writer says it published is in the warehouse, nothing lost to the other.
    said = {
        source: int(re.search(r"(\d+) published", output)[1])
        for source, output in zip(("ft900", "alfred"), outputs, strict=True)
    }
    assert published == said and all(said.values())
    loads = con.execute("SELECT count(*), count(DISTINCT load_id) FROM ops.loads").fetchone()
    assert loads == (sum(said.values()),) * 2
    uniqueness = (first.sql_dir / "checks" / "ledger_uniqueness.sql").read_text()
    assert con.execute(uniqueness).fetchall() == []


HOLD = """
import sys, time
from tradewh.store import lock
from tradewh.settings import Settings
with lock.writer_lock(Settings(catalog=sys.argv[1]), "holding"):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_killed_holders_lock_is_released(cluster: str, environment: None) -> None:
    settings = Settings(catalog=f"postgres:{cluster}")
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLD), settings.catalog or ""],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(lock.WriterBusy, match=r"tradewh pid \d+ on .*holding"):
            with lock.writer_lock(settings, "second"):
                pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        deadline = time.monotonic() + 30
        while True:
            try:
                with lock.writer_lock(settings, "after the kill"):
                    break
            except lock.WriterBusy:
                assert time.monotonic() < deadline, "the killed holder's lock was never released"
                time.sleep(0.2)
    finally:
        holder.kill()
