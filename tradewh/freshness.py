"""Is each source's data as new as its release calendar says it should be?"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import duckdb


def load_calendar(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Replace ops.release_calendar with the calendar file's entries; return how many."""
    entries = tomllib.loads(path.read_text())
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM ops.release_calendar")
    for source, entry in entries.items():
        con.execute(
            "INSERT INTO ops.release_calendar VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                source,
                entry["cadence"],
                int(entry["lag_days"]),
                entry["release_time"],
                entry["timezone"],
                int(entry["grace_days"]),
                entry.get("note"),
            ],
        )
    con.execute("COMMIT")
    return len(entries)


def status(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """marts.freshness as dicts, one per source."""
    cursor = con.execute("SELECT * FROM marts.freshness")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
