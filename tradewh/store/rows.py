"""Query results as dicts, column name to value: the one row helper."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def rows_as_dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every row the cursor's last statement returned, as {column: value}."""
    columns = [d[0] for d in cursor.description or ()]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run one statement and return its rows as dicts."""
    return rows_as_dicts(con.execute(sql, params))
