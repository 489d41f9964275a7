"""Looking after the lake: its snapshots (time travel), and the nightly maintenance that merges
small files and, past a retention, expires old snapshots and deletes the files only they used.

Deleting a file a running query still reads breaks that query, so files are deleted only a grace
period after they were scheduled for deletion, longer than any query (never `cleanup_all`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from tradewh.settings import Settings
from tradewh.store.lake import CATALOG_NAME
from tradewh.store.sqlfiles import sql_text
from tradewh.warehouse import warehouse_bytes


@dataclass(frozen=True)
class Maintenance:
    merged_files: int
    expired_snapshots: int
    deleted_files: int
    bytes_before: int
    bytes_after: int

    @property
    def freed_bytes(self) -> int:
        return max(self.bytes_before - self.bytes_after, 0)

    def describe(self) -> str:
        size = (
            f"freed {self.freed_bytes / 1e6:.1f} MB"
            if self.freed_bytes
            else "nothing freed yet (replaced files wait out the grace period)"
        )
        return (
            f"merged {self.merged_files} small files, expired {self.expired_snapshots} snapshots "
            f"older than the retention, deleted {self.deleted_files} files no snapshot needs; "
            f"{size}; {self.bytes_after / 1e6:.1f} MB on this machine"
        )


def snapshots(
    con: duckdb.DuckDBPyConnection, settings: Settings, every: bool = False, limit: int = 50
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Columns and rows of sql/lake/snapshots.sql: the labelled snapshots, or `every` one."""
    con.execute("SET VARIABLE all_snapshots = ?", [every])
    con.execute("SET VARIABLE snapshot_limit = ?", [limit])
    cursor = con.execute(sql_text(settings.sql_dir, "lake", "snapshots"))
    return [d[0] for d in cursor.description], cursor.fetchall()


def parse_at(value: str) -> str:
    """A snapshot id (digits) or a point in time (ISO 8601; UTC unless it says otherwise), as
    the ATTACH of a past state takes it. Raises ValueError with a message for people."""
    value = value.strip()
    if value.isdigit():
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"--at takes a snapshot id (tradewh snapshots) or a time like 2026-11-20T07:00, "
            f"not {value!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment > datetime.now(UTC):
        raise ValueError(f"--at {value} is in the future")
    return moment.isoformat()


def maintain(con: duckdb.DuckDBPyConnection, settings: Settings) -> Maintenance:
    """Merge small files; expire snapshots past the retention; delete files scheduled for
    deletion longer ago than the grace period. Runs in the writer (it holds the writer lock)."""
    before = warehouse_bytes(settings)
    merged = con.execute(f"CALL ducklake_merge_adjacent_files('{CATALOG_NAME}')").fetchall()
    expired = con.execute(
        f"CALL ducklake_expire_snapshots('{CATALOG_NAME}', "
        "older_than => now() - to_days(CAST(? AS INTEGER)))",
        [int(settings.snapshot_retention_days)],
    ).fetchall()
    deleted = con.execute(
        f"CALL ducklake_cleanup_old_files('{CATALOG_NAME}', "
        "older_than => now() - to_microseconds(CAST(? AS BIGINT)))",
        [int(settings.snapshot_grace_hours * 3600 * 1_000_000)],
    ).fetchall()
    return Maintenance(
        merged_files=sum(int(row[2] or 0) for row in merged),
        expired_snapshots=len(expired),
        deleted_files=len(deleted),
        bytes_before=before,
        bytes_after=warehouse_bytes(settings),
    )
