"""Is each source's data as new as its release calendar says it should be?"""

from __future__ import annotations

import tomllib
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb

from tradewh.store.rows import fetch_dicts
from tradewh.store.transaction import transaction


def calendar_entries(override: Path | None = None) -> dict[str, dict[str, Any]]:
    """Each source's release calendar (its SOURCE.calendar), or the entries of an operator's
    calendar file (TRADEWH_RELEASE_CALENDAR) where one is given: a slipped schedule is fixed
    there without a release of tradewh."""
    if override is not None:
        return tomllib.loads(override.read_text())
    from tradewh.sources import registry

    return {
        source.name: asdict(source.calendar)
        for source in registry().values()
        if source.calendar is not None
    }


def load_calendar(con: duckdb.DuckDBPyConnection, override: Path | None = None) -> int:
    """Replace ops.release_calendar with the calendar entries; return how many."""
    entries = calendar_entries(override)
    with transaction(con):
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
    return len(entries)


def status(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """marts.freshness as dicts, one per source."""
    return fetch_dicts(con, "SELECT * FROM marts.freshness")
