"""The warehouse: a DuckLake (a SQL catalog plus Parquet files), its connections (one writer,
any number of readers that never wait for it), migrations, views from sql/.

Every connection is an in-memory DuckDB with the lake attached as `tradewh` and in use, so
`core.latest` reads as it always did. A reader sees the snapshot its transaction started on;
a writer's commit is a new snapshot.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tradewh import failpoints, lake
from tradewh.settings import Settings

VIEW_LAYERS = ("staging", "core", "marts")
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class WarehouseError(RuntimeError):
    """The warehouse cannot be opened or migrated; the message says why."""


def now_utc() -> datetime:
    return datetime.now(UTC)


# One attached database per process and catalog for writing: attaching costs the extension
# loads (a few tenths of a second), and a refresh writes in many short steps.
_writers: dict[tuple[str, str], duckdb.DuckDBPyConnection] = {}
_writers_lock = threading.Lock()
_WRITERS_KEPT = 4


def _connect(settings: Settings, read_only: bool, snapshot: str | None = None):
    con = duckdb.connect(":memory:")
    try:
        lake.prepare(con, settings)
        if not read_only and settings.catalog_kind == "sqlite":
            Path(settings.catalog_url.split(":", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
            if "://" not in settings.lake_data_path:
                Path(settings.lake_data_path).mkdir(parents=True, exist_ok=True)
        con.execute(lake.attach_sql(settings, read_only=read_only, snapshot=snapshot))
        con.execute(f"USE {lake.CATALOG_NAME}")
    except duckdb.Error as exc:
        con.close()
        mode = "read-only" if read_only else "for writing"
        raise WarehouseError(f"cannot open the warehouse {settings.warehouse} {mode}: {exc}") from exc
    return con


def _writer_database(settings: Settings) -> duckdb.DuckDBPyConnection:
    key = (settings.catalog_url, settings.lake_data_path)
    with _writers_lock:
        con = _writers.get(key)
        if con is None:
            while len(_writers) >= _WRITERS_KEPT:
                _writers.pop(next(iter(_writers))).close()
            con = _connect(settings, read_only=False)
            con.execute(f"SET memory_limit = '{settings.duckdb_memory_limit}'")
            # Big loads spill here instead of failing with out-of-memory.
            con.execute(f"SET temp_directory = '{settings.data_dir / 'duckdb_tmp'}'")
            con.execute("SET preserve_insertion_order = false")
            _writers[key] = con
        return con


def close_writers() -> None:
    """Detach every cached writer (tests that remove a warehouse's files, a process ending)."""
    with _writers_lock:
        while _writers:
            _writers.popitem()[1].close()


@contextmanager
def writer(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for a short unit of work. Readers are never blocked by it."""
    con = _writer_database(settings).cursor()
    try:
        con.execute(f"USE {lake.CATALOG_NAME}")
        yield con
    finally:
        con.close()


def reader(
    settings: Settings, wait_seconds: float = 10.0, at: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse as it stands now, or as it stood `at` a
    snapshot id or timestamp. It never waits for a writer (`wait_seconds` is kept for callers
    of the file-based warehouse, where it did)."""
    if not lake.catalog_exists(settings):
        raise WarehouseError(
            f"no warehouse at {settings.warehouse}: run `tradewh refresh` (or `make run`) first"
        )
    return _connect(settings, read_only=True, snapshot=at)


def connect(settings: Settings | None = None, at: str | None = None) -> duckdb.DuckDBPyConnection:
    """For analysts' Python: a read-only DuckDB connection with the warehouse attached and in
    use, so `core`, `marts` and `ops` are addressable as in the README."""
    from tradewh.settings import get_settings

    return reader(settings or get_settings(), at=at)


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """The next surrogate key of a ledger table. DuckLake has no sequences; the one writer
    (it holds the writer lock) makes the ids, so max + 1 cannot collide."""
    return int(con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()[0])


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


_COMMENT = re.compile(
    r"^\s*COMMENT\s+ON\s+(MACRO\s+TABLE|MACRO|COLUMN)\s+([\w.\"]+)\s+IS\s+'(.*)'\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)


def run_script(con: duckdb.DuckDBPyConnection, text: str) -> None:
    """Run a SQL file statement by statement. Comments DuckLake cannot keep (on a macro, on a
    view's column) go to ops.docs instead, where tradewh docs reads them."""
    for statement in duckdb.extract_statements(text):
        query = _strip_leading_comments(statement.query)
        match = _COMMENT.match(query)
        if match and _unsupported_comment(con, match.group(1), match.group(2)):
            _record_doc(con, match.group(2), match.group(1), match.group(3).replace("''", "'"))
            continue
        con.execute(statement.query)


def _strip_leading_comments(query: str) -> str:
    lines = query.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return "\n".join(lines)


def _unsupported_comment(con: duckdb.DuckDBPyConnection, kind: str, name: str) -> bool:
    if kind.upper().startswith("MACRO"):
        return True
    parts = name.replace('"', "").split(".")
    if len(parts) != 3:
        return False
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() "
            "AND schema_name = ? AND view_name = ?",
            parts[:2],
        ).fetchone()[0]
    )


def _record_doc(con: duckdb.DuckDBPyConnection, name: str, kind: str, comment: str) -> None:
    parts = name.replace('"', "").split(".")
    schema, obj = parts[0], parts[1]
    column = parts[2] if kind.upper() == "COLUMN" and len(parts) == 3 else None
    con.execute(
        "DELETE FROM ops.docs WHERE schema_name = ? AND object_name = ? "
        "AND column_name IS NOT DISTINCT FROM ?",
        [schema, obj, column],
    )
    con.execute("INSERT INTO ops.docs VALUES (?, ?, ?, ?)", [schema, obj, column, comment])


def migrate(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; return the names applied."""
    bootstrapped = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'ops' AND table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not bootstrapped:
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
            run_script(con, text)
            con.execute(
                "INSERT INTO ops.schema_migrations VALUES (?, ?, ?, ?)",
                [version, path.name, sha, now_utc()],
            )
            set_commit_message(con, f"migration {path.name}")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        done.append(path.name)
    return done


# What published a snapshot: tradewh snapshots lists these. The run is the refresh's (set by
# the flow when it records its run), so each commit names the run and release it came from.
current_run: dict[str, int | None] = {"run_id": None}


def set_commit_message(con: duckdb.DuckDBPyConnection, message: str, **extra: object) -> None:
    """Label the snapshot the open transaction will commit (DuckLake keeps both)."""
    import json

    info = {"run_id": current_run["run_id"], **extra}
    con.execute(
        f"CALL {lake.CATALOG_NAME}.set_commit_message('tradewh', ?, extra_info => ?)",
        [message, json.dumps(info, default=str)],
    )


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
                run_script(con, text)
            except duckdb.Error as exc:
                raise WarehouseError(f"view {path} does not build: {exc}") from exc
            built.append(f"{path.parent.name}.{path.stem}")
            if len(built) == 3:
                failpoints.reach("views.mid")
        con.execute("DELETE FROM ops.view_builds")
        con.execute(
            "INSERT INTO ops.view_builds VALUES (?, ?, ?)", [fingerprint, len(built), now_utc()]
        )
        set_commit_message(con, f"views rebuilt: {len(built)}")
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


def warehouse_bytes(settings: Settings) -> int:
    """Bytes the warehouse takes on this machine: its SQLite catalog and local Parquet files
    (a PostgreSQL catalog and object storage count as 0 here)."""
    total = 0
    if settings.catalog_kind == "sqlite":
        catalog = Path(settings.catalog_url.split(":", 1)[1])
        for path in (catalog, catalog.with_name(catalog.name + "-wal")):
            if path.is_file():
                total += path.stat().st_size
    if "://" not in settings.lake_data_path:
        root = Path(settings.lake_data_path)
        if root.is_dir():
            total += sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    return total
