"""Apply sql/migrations in order, all pending ones in one transaction."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb

from tradewh.store import source_facts
from tradewh.store.connections import WarehouseError, now_utc
from tradewh.store.scripts import run_script
from tradewh.store.sqlfiles import read_sql, sql_text
from tradewh.store.transaction import transaction

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migration_files(sql_dir: Path) -> list[tuple[int, Path]]:
    files = []
    for path in sorted((sql_dir / "migrations").glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise WarehouseError(f"migration file name must be NNN_name.sql: {path}")
        files.append((int(match.group(1)), path))
    versions = [v for v, _ in files]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"two migrations share a number in {sql_dir / 'migrations'}")
    return files


def migrate(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> list[str]:
    """Apply pending migrations in order, all in one transaction (a DuckLake commit costs a
    catalog write, and a warehouse is then at one version or the one before); return the names
    applied."""
    held = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'ops' AND table_name = 'schema_migrations'"
    ).fetchone()[0]
    applied = (
        dict(con.execute("SELECT version, sha256 FROM ops.schema_migrations").fetchall())
        if held
        else {}
    )
    pending = []
    for version, path in migration_files(sql_dir):
        text = read_sql(path)
        sha = hashlib.sha256(text.encode()).hexdigest()
        if version in applied:
            if applied[version] != sha:
                raise WarehouseError(
                    f"{path.name} changed after it was applied; add a new migration instead"
                )
            continue
        pending.append((version, path, text, sha))
    wanted = source_facts.precedence_rows()
    if not pending:
        # A source was added or reordered since the last migrate (a warehouse from before
        # migration 018, or none at all, has no table to sync).
        if source_facts.held(con) and source_facts.precedence_held(con) != wanted:
            with transaction(con, "source precedence from the registry"):
                source_facts.write_precedence(con, wanted)
        return []
    with transaction(con, "migrations " + ", ".join(p.name for _, p, _, _ in pending)):
        if not held:
            run_script(con, sql_text(sql_dir, "schema_migrations"))
        for version, path, text, sha in pending:
            run_script(con, text)
            con.execute(
                "INSERT INTO ops.schema_migrations VALUES (?, ?, ?, ?)",
                [version, path.name, sha, now_utc()],
            )
        source_facts.write_precedence(con, wanted)
    return [path.name for _, path, _, _ in pending]
