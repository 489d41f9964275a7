"""The DuckDB warehouse: connections (one writer, read-only readers), migrations, views from sql/.

DuckDB allows one writer process per file, and while it writes no other process can open the
file at all, so writers keep their connections short and readers retry their open briefly.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tradewh import failpoints
from tradewh.settings import Settings

VIEW_LAYERS = ("staging", "core", "marts")
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class WarehouseError(RuntimeError):
    """The warehouse cannot be opened or migrated; the message says why."""


def now_utc() -> datetime:
    return datetime.now(UTC)


@contextmanager
def writer(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one read-write connection, for the duration of a short unit of work."""
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = _open(settings, read_only=False, wait_seconds=settings.writer_wait_seconds)
    try:
        con.execute(f"SET memory_limit = '{settings.duckdb_memory_limit}'")
        # Big loads spill here instead of failing with out-of-memory.
        con.execute(f"SET temp_directory = '{settings.warehouse.parent / 'duckdb_tmp'}'")
        con.execute("SET preserve_insertion_order = false")
        yield con
    finally:
        con.close()


def reader(settings: Settings, wait_seconds: float = 10.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection; retries while a writer holds the file lock."""
    if not settings.warehouse.exists():
        # The full path, and how to name another: "run tradewh refresh" alone, from the wrong
        # directory, would build a second, empty warehouse there.
        where = settings.warehouse.absolute()
        raise WarehouseError(
            f"no warehouse at {where}; name yours with --warehouse PATH or TRADEWH_WAREHOUSE, "
            f"or build this one with: tradewh --warehouse {where} refresh"
        )
    return _open(settings, read_only=True, wait_seconds=wait_seconds)


def _open(settings: Settings, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    # Another process holding the file (a writer between our steps, or a reader's query while we
    # want to write) is a matter of seconds: wait for it, up to a limit.
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(settings.warehouse), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                mode = "read-only" if read_only else "for writing"
                raise WarehouseError(f"cannot open {settings.warehouse} {mode}: {exc}") from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


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
    """Apply pending migrations in order, each in its own transaction; return the names applied."""
    con.execute((sql_dir / "schema_migrations.sql").read_text())
    applied = {
        version: sha
        for version, sha in con.execute(
            "SELECT version, sha256 FROM ops.schema_migrations"
        ).fetchall()
    }
    done: list[str] = []
    for version, path in migration_files(sql_dir):
        text = path.read_text()
        sha = hashlib.sha256(text.encode()).hexdigest()
        if version in applied:
            if applied[version] != sha:
                raise WarehouseError(
                    f"{path.name} changed after it was applied; add a new migration instead"
                )
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(text)
            con.execute(
                "INSERT INTO ops.schema_migrations VALUES (?, ?, ?, ?)",
                [version, path.name, sha, now_utc()],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        done.append(path.name)
    return done


def view_files(sql_dir: Path) -> list[Path]:
    """View files in build order: layer by layer, and within the layers, after the views they use.

    A view's name is its layer and file stem (sql/views/marts/revisions.sql -> marts.revisions);
    a file mentioning another view's name depends on it, which spares us a hand-kept order.
    """
    files = [
        path for layer in VIEW_LAYERS for path in sorted((sql_dir / "views" / layer).glob("*.sql"))
    ]
    names = {f"{path.parent.name}.{path.stem}": path for path in files}
    uses = {
        path: {
            other
            for name, other in names.items()
            if other != path and re.search(rf"\b{re.escape(name)}\b", path.read_text())
        }
        for path in files
    }
    ordered: list[Path] = []
    visiting: set[Path] = set()

    def visit(path: Path) -> None:
        if path in ordered:
            return
        if path in visiting:
            raise WarehouseError(f"views depend on each other in a cycle: {path}")
        visiting.add(path)
        for dependency in sorted(uses[path]):
            visit(dependency)
        visiting.discard(path)
        ordered.append(path)

    for path in files:
        visit(path)
    return ordered


_CREATES = re.compile(r"^CREATE OR REPLACE (VIEW|TABLE) ", re.MULTILINE)


def _kind_held(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> str | None:
    row = con.execute(
        "SELECT 'VIEW' FROM duckdb_views() WHERE schema_name = ? AND view_name = ? "
        "AND database_name = current_database() UNION ALL "
        "SELECT 'TABLE' FROM duckdb_tables() WHERE schema_name = ? AND table_name = ? "
        "AND database_name = current_database()",
        [schema, name, schema, name],
    ).fetchone()
    return row[0] if row else None


def _fingerprint(con: duckdb.DuckDBPyConnection, sql_dir: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    inputs = con.execute((sql_dir / "ops" / "views_fingerprint.sql").read_text()).fetchone()
    digest.update(repr(inputs).encode())
    return digest.hexdigest()


def rebuild_views(con: duckdb.DuckDBPyConnection, sql_dir: Path, force: bool = True) -> list[str]:
    """(Re)create every view from sql/views in one transaction, so readers see all or none.

    A file may create a table instead (a mart analysts query often, materialized from the
    views below it); one that changes from view to table or back replaces the other kind.
    Without `force`, nothing is rebuilt (and nothing returned) when neither the files nor what
    is published changed since the last build (a quiet night stays quick). Returns the names
    built."""
    files = view_files(sql_dir)
    fingerprint = _fingerprint(con, sql_dir, files)
    last = con.execute("SELECT fingerprint FROM ops.view_builds").fetchone()
    if not force and last is not None and last[0] == fingerprint:
        return []
    built: list[str] = []
    con.execute("BEGIN TRANSACTION")
    try:
        for path in files:
            text = path.read_text()
            creates = _CREATES.search(text)
            held = _kind_held(con, path.parent.name, path.stem)
            if creates and held and held != creates.group(1):
                con.execute(f'DROP {held} "{path.parent.name}"."{path.stem}"')
            try:
                con.execute(text)
            except duckdb.Error as exc:
                raise WarehouseError(f"view {path} does not build: {exc}") from exc
            built.append(f"{path.parent.name}.{path.stem}")
            if len(built) == 3:
                failpoints.reach("views.mid")
        con.execute("DELETE FROM ops.view_builds")
        con.execute(
            "INSERT INTO ops.view_builds VALUES (?, ?, ?)", [fingerprint, len(built), now_utc()]
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return built


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """An order-independent checksum of every base table's content, for idempotency checks."""
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() ORDER BY 1, 2"
    ).fetchall()
    sums = {}
    for schema, table in tables:
        count, digest = con.execute(
            f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{schema}"."{table}" AS t'
        ).fetchone()
        sums[f"{schema}.{table}"] = f"{count}:{digest}"
    return sums
