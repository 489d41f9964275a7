"""The ledger rows of a vintage as the pipeline decides it: its registration in ops.releases
(new, or the one a payload already has), its status, what it staged and its validation result.
Each is written inside the caller's transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

import duckdb

from tradewh.ingest.landing import LandedPayload
from tradewh.ingest.validation import ValidationReport
from tradewh.sources.spec import Source
from tradewh.store.statuses import ReleaseStatus
from tradewh.warehouse import next_id, now_utc

log = logging.getLogger("tradewh.ingest.ledger")


def published_at(payload: LandedPayload, fallback: datetime) -> datetime:
    if payload.last_modified:
        try:
            return parsedate_to_datetime(payload.last_modified)
        except (TypeError, ValueError):
            log.warning("unreadable Last-Modified %r from %s", payload.last_modified, payload.url)
    return fallback


def register(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    payload: LandedPayload,
    seen: datetime | None = None,
) -> tuple[int, ReleaseStatus, datetime]:
    """The vintage id of this payload, its status and when it was first seen, creating it
    ('new') when new."""
    row = con.execute(
        "SELECT release_id, status, first_seen_at FROM ops.releases "
        "WHERE source = ? AND sha256 = ?",
        [source.name, payload.sha256],
    ).fetchone()
    if row:
        return int(row[0]), ReleaseStatus(row[1]), row[2]
    seen = seen or now_utc()
    release_id = next_id(con, "ops.releases", "release_id")
    con.execute(
        """
        INSERT INTO ops.releases
            (release_id, source, sha256, url, first_seen_at, published_at, status)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        [
            release_id,
            source.name,
            payload.sha256,
            payload.url,
            seen,
            published_at(payload, seen),
            ReleaseStatus.NEW,
        ],
    )
    return release_id, ReleaseStatus.NEW, seen


def set_status(con: duckdb.DuckDBPyConnection, release_id: int, status: ReleaseStatus) -> int:
    """Set a vintage's status; the number of ledger rows changed (1, or 0 without its row)."""
    return int(
        con.execute(
            "UPDATE ops.releases SET status = ? WHERE release_id = ?", [status, release_id]
        ).fetchone()[0]
    )


def record_validation(
    con: duckdb.DuckDBPyConnection, release_id: int | None, report: ValidationReport
) -> None:
    con.execute(
        "INSERT INTO ops.validations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            release_id,
            report.dataset,
            report.suite,
            now_utc(),
            report.success,
            report.evaluated,
            report.passed,
            report.failed,
            report.max_severity,
            report.failures_json(),
        ],
    )


@dataclass(frozen=True)
class Staged:
    """What the ledger keeps of a batch staged in this connection (the temp view
    staged_batch): its coverage and row count."""

    period_start: date | None
    period_end: date | None
    rows: int


def record_staged(con: duckdb.DuckDBPyConnection, release_id: int, staged: Staged) -> None:
    con.execute(
        "UPDATE ops.releases SET period_start = ?, period_end = ?, row_count = ? "
        "WHERE release_id = ?",
        [staged.period_start, staged.period_end, staged.rows, release_id],
    )
