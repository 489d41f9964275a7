"""What the warehouse keeps of the source registry: which source wins a tie
(ops.source_precedence, joined by core.observations_ranked)."""

from __future__ import annotations

import duckdb


def precedence_rows() -> list[tuple[str, int]]:
    from tradewh.sources import registry  # the sources import the store: only when needed

    return sorted((source.name, source.precedence) for source in registry().values())


def held(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has the table (migration 018 applied)."""
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'ops' AND table_name = 'source_precedence'"
        ).fetchone()[0]
    )


def precedence_held(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    return sorted(con.execute("SELECT source, precedence FROM ops.source_precedence").fetchall())


def write_precedence(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, int]]) -> None:
    """Replace the table's rows, inside the caller's transaction. The views read it, so their
    last build no longer stands: the next one is a full build."""
    con.execute("DELETE FROM ops.source_precedence")
    con.executemany("INSERT INTO ops.source_precedence VALUES (?, ?)", rows)
    con.execute("DELETE FROM ops.view_builds")
