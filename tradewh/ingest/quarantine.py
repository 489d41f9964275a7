"""Quarantined vintages and a person's decision on them: release (publish anyway) or discard
(handled; the raw payload stays in the landing store)."""

from __future__ import annotations

import json

import duckdb

from tradewh import warehouse
from tradewh.ingest.publish import publish_release
from tradewh.settings import Settings
from tradewh.sources import get_source
from tradewh.store.lock import writer_lock
from tradewh.store.rows import fetch_dicts
from tradewh.store.statuses import QuarantineStatus, ReleaseStatus
from tradewh.store.transaction import transaction
from tradewh.warehouse import now_utc


class QuarantineError(RuntimeError):
    """The decision cannot be taken; the message says why."""


def list_entries(con: duckdb.DuckDBPyConnection, all_entries: bool = False) -> list[dict]:
    where, params = ("", None) if all_entries else ("WHERE status = ?", [QuarantineStatus.OPEN])
    return fetch_dicts(
        con,
        f"SELECT quarantine_id, release_id, source, dataset, status, created_at, "
        f"decided_by, left(reason, 120) AS reason FROM ops.quarantine {where} "
        "ORDER BY quarantine_id",
        params,
    )


def show(con: duckdb.DuckDBPyConnection, settings: Settings, quarantine_id: int) -> dict:
    rows = fetch_dicts(con, "SELECT * FROM ops.quarantine WHERE quarantine_id = ?", [quarantine_id])
    if not rows:
        raise QuarantineError(f"no quarantine entry {quarantine_id}")
    entry = rows[0]
    entry["failures"] = json.loads(entry["failures"] or "[]")
    staging = get_source(entry["source"]).staging
    entry["raw_payload"] = str(settings.landing_dir / entry["landed_path"])
    entry["staged_rows"] = con.execute(
        f"SELECT count(*) FROM staging.{staging} WHERE release_id = ?", [entry["release_id"]]
    ).fetchone()[0]
    entry["sample_rows"] = fetch_dicts(
        con,
        f"SELECT * EXCLUDE (release_id) FROM staging.{staging} WHERE release_id = ? LIMIT 10",
        [entry["release_id"]],
    )
    return entry


def _open_entry(con: duckdb.DuckDBPyConnection, quarantine_id: int) -> tuple[int, str]:
    row = con.execute(
        "SELECT release_id, source, status FROM ops.quarantine WHERE quarantine_id = ?",
        [quarantine_id],
    ).fetchone()
    if row is None:
        raise QuarantineError(f"no quarantine entry {quarantine_id}")
    if row[2] != QuarantineStatus.OPEN:
        raise QuarantineError(f"quarantine entry {quarantine_id} is already {row[2]}")
    return int(row[0]), str(row[1])


def _decide(
    con: duckdb.DuckDBPyConnection,
    quarantine_id: int,
    status: QuarantineStatus,
    by: str,
    reason: str,
) -> None:
    con.execute(
        "UPDATE ops.quarantine SET status = ?, decided_by = ?, decided_at = ?, "
        "decision_reason = ? WHERE quarantine_id = ?",
        [status, by, now_utc(), reason, quarantine_id],
    )


def release(settings: Settings, quarantine_id: int, by: str, reason: str) -> int:
    """Publish a quarantined vintage after a person's decision; return the rows published."""
    if not reason.strip():
        raise QuarantineError("say why: --reason is required")
    with writer_lock(settings, f"quarantine release {quarantine_id}"):
        with warehouse.writer(settings) as con:
            release_id, source_name = _open_entry(con, quarantine_id)
            source = get_source(source_name)
            staged = con.execute(
                f"SELECT count(*) FROM staging.{source.staging} WHERE release_id = ?",
                [release_id],
            ).fetchone()[0]
            if not staged:
                raise QuarantineError(
                    f"vintage {release_id} has no staged rows (its payload did not parse): "
                    "there is nothing to publish; discard it"
                )
            # The dataset the vintage was validated as (an FT-900 exhibit names its family).
            [dataset] = con.execute(
                "SELECT dataset FROM ops.quarantine WHERE quarantine_id = ?", [quarantine_id]
            ).fetchone()
            rows = publish_release(con, settings, source, release_id, dataset)
            _decide(con, quarantine_id, QuarantineStatus.RELEASED, by, reason)
            warehouse.rebuild_views(con, settings.sql_dir)
    return rows


def discard(settings: Settings, quarantine_id: int, by: str, reason: str) -> None:
    """Mark a quarantined vintage handled without publishing it; its raw payload stays."""
    if not reason.strip():
        raise QuarantineError("say why: --reason is required")
    with writer_lock(settings, f"quarantine discard {quarantine_id}"):
        with warehouse.writer(settings) as con:
            release_id, source_name = _open_entry(con, quarantine_id)
            staging = get_source(source_name).staging
            with transaction(con):
                con.execute(f"DELETE FROM staging.{staging} WHERE release_id = ?", [release_id])
                con.execute(
                    "UPDATE ops.releases SET status = ? WHERE release_id = ?",
                    [ReleaseStatus.DISCARDED, release_id],
                )
                _decide(con, quarantine_id, QuarantineStatus.DISCARDED, by, reason)
