"""Run the nightly refresh in a child process, stop it dead at a failpoint with SIGKILL, and
look at what it left behind.

The child is the real flow (`python -m flows.nightly`) against the test session's Prefect API,
on a copy of the sample archive with one broken FT-900 vintage added (so a quarantine and an
alert happen on every clean run) and alerts posted to a local webhook.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tradewh import warehouse
from tradewh.ingest import landing
from tradewh.settings import Settings
from tradewh.sources import get_source

PROJECT = Path(__file__).resolve().parents[2]

# When we did something, not what we hold: differs between any two runs, crashed or not.
VOLATILE_COLUMNS = {
    "fetched_at",
    "first_seen_at",
    "last_seen_at",
    "loaded_at",
    "created_at",
    "validated_at",
    "started_at",
    "finished_at",
    "sent_at",
    "extracted_at",
    "resolved_at",
    "applied_at",
    "built_at",
}
# Logs of attempts: a crashed run's attempt is a true record, so these are compared as the set
# of distinct outcomes (an interrupted validation run again counts once), and the fetch and run
# logs, which grow with every attempt by design, not at all.
ATTEMPT_LOGS = {"ops.validations", "ops.alert_deliveries"}
UNCOMPARED = {"ops.fetches", "ops.runs"}
# Counts attempts: a problem found by the crashed run and again by the next one counts twice.
COUNTERS = {"ops.alerts": {"occurrences"}}


@dataclass
class Ended:
    returncode: int
    output: str


@dataclass
class Killed:
    point: str
    pid: int
    output: str


def run_refresh(env: dict[str, str], timeout: float = 300.0) -> Ended:
    """One refresh to its end."""
    done = subprocess.run(
        [sys.executable, "-m", "flows.nightly"],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Ended(done.returncode, done.stdout + done.stderr)


def crash_refresh(env: dict[str, str], workdir: Path, point: str, timeout: float = 300.0) -> Killed:
    """A refresh killed with SIGKILL once it reaches `point` (name[:n])."""
    announce = workdir / "failpoint.reached"
    announce.unlink(missing_ok=True)
    log = workdir / f"crash-{point.replace(':', '-')}.log"
    with open(log, "w") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "flows.nightly"],
            env={**env, "TRADEWH_FAILPOINT": point, "TRADEWH_FAILPOINT_FILE": str(announce)},
            cwd=PROJECT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        try:
            while not announce.exists() or not announce.read_text().endswith("\n"):
                if child.poll() is not None:
                    raise AssertionError(
                        f"the refresh ended ({child.returncode}) without reaching {point}:\n"
                        + log.read_text()[-3000:]
                    )
                if time.monotonic() > deadline:
                    raise AssertionError(f"{point} not reached in {timeout:.0f} s")
                time.sleep(0.05)
        finally:
            # The whole process group: nothing of the refresh survives to tidy up after itself.
            with contextlib.suppress(ProcessLookupError):  # it ended on its own
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    name, pid = announce.read_text().split()
    assert child.returncode == -signal.SIGKILL
    return Killed(name, int(pid), log.read_text())


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    return [
        (name, kind)
        for (name, kind) in con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() "
            "WHERE schema_name = ? AND table_name = ? "
            "AND database_name = current_database() ORDER BY column_index",
            [schema, table],
        ).fetchall()
    ]


def content_checksums(settings: Settings) -> dict[str, str]:
    """What every base table holds, leaving out when things were done and how often they were
    tried: equal for two warehouses that hold the same data, however they got there. Text that
    names the warehouse's own directory (an alert pointing at a raw payload) is compared with
    that directory left out."""
    root = str(settings.data_dir)
    con = warehouse.reader(settings)
    try:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE database_name = current_database() ORDER BY 1, 2"
        ).fetchall()
        sums = {}
        for schema, table in tables:
            name = f"{schema}.{table}"
            if name in UNCOMPARED:
                continue
            skip = VOLATILE_COLUMNS | COUNTERS.get(name, set())
            kept = ", ".join(
                f"replace(\"{c}\", '{root}', '')" if kind == "VARCHAR" else f'"{c}"'
                for c, kind in _columns(con, schema, table)
                if c not in skip
            )
            distinct = "DISTINCT" if name in ATTEMPT_LOGS else ""
            rows = f'SELECT {distinct} {kept} FROM "{schema}"."{table}"'
            count, digest = con.execute(
                f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM ({rows}) AS t"
            ).fetchone()
            sums[name] = f"{count}:{digest}"
        return sums
    finally:
        con.close()


def consistency_problems(settings: Settings) -> list[str]:
    """Where the ledgers and the data disagree: every vintage is in core whole (its ops.loads
    row, its status and its row count agreeing) or not at all, and every landed payload is on
    disk under its sha256."""
    con = warehouse.reader(settings)
    try:
        problems = _ledger_problems(settings, con) + _landed_problems(settings, con)
    finally:
        con.close()
    return problems + _stray_files(settings)


def _ledger_problems(settings: Settings, con: duckdb.DuckDBPyConnection) -> list[str]:
    # What constraints guaranteed before the lake, which has none.
    uniqueness = (settings.sql_dir / "checks" / "ledger_uniqueness.sql").read_text()
    problems = [
        f"{key} is not unique: {extra} duplicates"
        for key, extra in con.execute(uniqueness).fetchall()
    ]
    releases = con.execute(
        "SELECT r.release_id, r.source, r.status, l.rows_published, "
        "(SELECT count(*) FROM ops.quarantine q WHERE q.release_id = r.release_id) "
        "FROM ops.releases r LEFT JOIN ops.loads l USING (release_id) ORDER BY 1"
    ).fetchall()
    for release_id, source, status, loaded, quarantines in releases:
        table = get_source(source).core_table
        (in_core,) = con.execute(
            f"SELECT count(*) FROM {table} WHERE release_id = ?", [release_id]
        ).fetchone()
        label = f"{source} vintage {release_id} ({status})"
        if status == "published" and (loaded is None or loaded != in_core):
            problems.append(f"{label}: ops.loads says {loaded}, core holds {in_core}")
        elif status != "published" and (in_core or loaded is not None):
            problems.append(f"{label}: not published, yet core holds {in_core} rows")
        if (status == "quarantined") != (quarantines > 0):
            problems.append(f"{label}: {quarantines} quarantine entries")
    return problems


def _landed_problems(settings: Settings, con: duckdb.DuckDBPyConnection) -> list[str]:
    problems = []
    for source, sha, path in con.execute(
        "SELECT source, sha256, landed_path FROM ops.fetches WHERE sha256 IS NOT NULL"
    ).fetchall():
        landed = settings.landing_dir / path
        if not landed.is_file():
            problems.append(f"{source} payload {sha[:12]} recorded but missing at {landed}")
        elif hashlib.sha256(landed.read_bytes()).hexdigest() != sha:
            problems.append(f"{source} payload {sha[:12]} at {landed} is not what was fetched")
    return problems


def _stray_files(settings: Settings) -> list[str]:
    problems = []
    for partial in settings.landing_dir.rglob("*"):
        if partial.parent.name == landing.JOURNAL_DIR:
            continue
        if partial.is_file() and not partial.name.startswith(".landing-"):
            stem = partial.name.split(".", 1)[0]
            if hashlib.sha256(partial.read_bytes()).hexdigest() != stem:
                problems.append(f"{partial} is not the payload its name says")
    return problems
