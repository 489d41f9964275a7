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


# One attached database per process, catalog and mode: attaching costs the extension loads (a
# few tenths of a second), and a refresh writes (and its reports read) in many short steps. A
# connection is a cursor on it; each transaction sees the catalog's newest snapshot.
_databases: dict[tuple[str, str, bool], duckdb.DuckDBPyConnection] = {}
_databases_lock = threading.Lock()
_DATABASES_KEPT = 6


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
    except RuntimeError as exc:
        con.close()
        # DuckDB turns a Ctrl-C during the attach into this: give the caller the Ctrl-C.
        if str(exc) == "Query interrupted":
            raise KeyboardInterrupt from exc
        raise
    except duckdb.Error as exc:
        con.close()
        mode = "read-only" if read_only else "for writing"
        raise WarehouseError(
            f"cannot open the warehouse {settings.warehouse} {mode}: {exc}"
        ) from exc
    return con


def _database(settings: Settings, read_only: bool) -> duckdb.DuckDBPyConnection:
    key = (settings.catalog_url, settings.lake_data_path, read_only)
    with _databases_lock:
        con = _databases.get(key)
        if con is None:
            while len(_databases) >= _DATABASES_KEPT:
                _databases.pop(next(iter(_databases))).close()
            con = _connect(settings, read_only=read_only)
            if not read_only:
                con.execute(f"SET memory_limit = '{settings.duckdb_memory_limit}'")
                # Big loads spill here instead of failing with out-of-memory.
                con.execute(f"SET temp_directory = '{settings.data_dir / 'duckdb_tmp'}'")
                con.execute("SET preserve_insertion_order = false")
            _databases[key] = con
        cursor = con.cursor()
    cursor.execute(f"USE {lake.CATALOG_NAME}")
    return cursor


def close_databases() -> None:
    """Detach every cached database (tests that copy or remove a warehouse's files)."""
    with _databases_lock:
        while _databases:
            _databases.popitem()[1].close()


def writer_connection(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A read-write connection, for the caller to close (`writer` closes its own)."""
    return _database(settings, read_only=False)


@contextmanager
def writer(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for a short unit of work. Readers are never blocked by it."""
    con = writer_connection(settings)
    try:
        yield con
    finally:
        con.close()


def require(settings: Settings) -> None:
    """Raise WarehouseError, saying what to do, where there is no warehouse to read."""
    if not lake.catalog_exists(settings):
        # The full path, and how to name another: "run tradewh refresh" alone, from the wrong
        # directory, would build a second, empty warehouse there.
        where = settings.data_dir.absolute()
        raise WarehouseError(
            f"no warehouse at {where}; name yours with --warehouse DIR or TRADEWH_DATA_DIR "
            f"(TRADEWH_CATALOG for a shared catalog), or build this one with: "
            f"tradewh --warehouse {where} refresh"
        )


def reader(settings: Settings, at: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse as it stands now, or as it stood `at` a
    snapshot id or timestamp. It never waits for a writer, nor a writer for it."""
    require(settings)
    if at is not None:
        return _connect(settings, read_only=True, snapshot=at)
    return _database(settings, read_only=True)


def connect(settings: Settings | None = None, at: str | None = None) -> duckdb.DuckDBPyConnection:
    """For analysts' Python: a read-only DuckDB connection of their own with the warehouse
    attached and in use, so `core`, `marts` and `ops` are addressable as in the README."""
    from tradewh.settings import get_settings

    settings = settings or get_settings()
    require(settings)
    return _connect(settings, read_only=True, snapshot=at)


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


_CREATES_VIEW = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+([\w.\"]+)", re.I)


def run_script(con: duckdb.DuckDBPyConnection, text: str, views: set[str] | None = None) -> None:
    """Run a SQL file statement by statement. Comments DuckLake cannot keep (on a macro, on a
    view's column) go to ops.docs instead, where tradewh docs reads them. `views`, the views
    held (schema.name), is read when needed unless given, and kept up to date."""
    docs: list[tuple[str, str, str | None, str]] = []
    for statement in duckdb.extract_statements(text):
        query = _strip_leading_comments(statement.query)
        created = _CREATES_VIEW.match(query)
        if created:
            if views is None:
                views = _views_held(con)
            views.add(_name(created[1]))
        match = _COMMENT.match(query)
        if match:
            kind, name = match[1].upper(), _name(match[2])
            parts = name.split(".")
            if kind == "COLUMN" and len(parts) == 3 and views is None:
                views = _views_held(con)
            if kind.startswith("MACRO") or (
                kind == "COLUMN" and len(parts) == 3 and ".".join(parts[:2]) in (views or set())
            ):
                column = parts[2] if kind == "COLUMN" else None
                docs.append((parts[0], parts[1], column, match[3].replace("''", "'")))
                continue
        con.execute(statement.query)
    if docs:
        _record_docs(con, docs)


def _name(text: str) -> str:
    return text.replace('"', "")


def _views_held(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "SELECT schema_name, view_name FROM duckdb_views() "
            "WHERE database_name = current_database()"
        ).fetchall()
    }


def _strip_leading_comments(query: str) -> str:
    lines = query.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return "\n".join(lines)


def _record_docs(con: duckdb.DuckDBPyConnection, docs: list[tuple[str, str, str | None, str]]):
    import pyarrow as pa

    names = ["schema_name", "object_name", "column_name", "comment"]
    columns = [list(values) for values in zip(*docs, strict=True)]
    con.register("new_docs", pa.table(dict(zip(names, columns, strict=True))))
    con.execute(
        "DELETE FROM ops.docs AS d WHERE EXISTS (SELECT 1 FROM new_docs AS n "
        "WHERE n.schema_name = d.schema_name AND n.object_name = d.object_name "
        "AND n.column_name IS NOT DISTINCT FROM d.column_name)"
    )
    con.execute("INSERT INTO ops.docs SELECT * FROM new_docs")
    con.unregister("new_docs")


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
        text = path.read_text()
        sha = hashlib.sha256(text.encode()).hexdigest()
        if version in applied:
            if applied[version] != sha:
                raise WarehouseError(
                    f"{path.name} changed after it was applied; add a new migration instead"
                )
            continue
        pending.append((version, path, text, sha))
    if not pending:
        return []
    con.execute("BEGIN TRANSACTION")
    try:
        if not held:
            run_script(con, (sql_dir / "schema_migrations.sql").read_text())
        for version, path, text, sha in pending:
            run_script(con, text)
            con.execute(
                "INSERT INTO ops.schema_migrations VALUES (?, ?, ?, ?)",
                [version, path.name, sha, now_utc()],
            )
        set_commit_message(con, "migrations " + ", ".join(p.name for _, p, _, _ in pending))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return [path.name for _, path, _, _ in pending]


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


def _kinds_held(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """schema.name -> VIEW or TABLE, for every view and table held (one catalog read)."""
    return {
        f"{schema}.{name}": kind
        for schema, name, kind in con.execute(
            "SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() "
            "WHERE database_name = current_database() UNION ALL "
            "SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() "
            "WHERE database_name = current_database()"
        ).fetchall()
    }


def _files_sha256(sql_dir: Path, files: list[Path]) -> str:
    """What a build is made of: the view files and the marts' refresh scopes."""
    from tradewh import mart_refresh

    digest = hashlib.sha256()
    for path in files + mart_refresh.refresh_files(sql_dir):
        # Named from sql/: the same files elsewhere (a moved checkout) are the same build.
        name = path.relative_to(sql_dir).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _fingerprint(con: duckdb.DuckDBPyConnection, sql_dir: Path, files_sha256: str) -> str:
    inputs = con.execute((sql_dir / "ops" / "views_fingerprint.sql").read_text()).fetchone()
    return hashlib.sha256(files_sha256.encode() + repr(inputs).encode()).hexdigest()


def rebuild_views(
    con: duckdb.DuckDBPyConnection, sql_dir: Path, force: bool = True, full: bool = False
) -> list[str]:
    """Bring the views and materialized marts up to date in one transaction, so readers see
    all or none.

    A full build (re)creates every view from sql/views; a file may create a table instead (a
    mart analysts query often, materialized from the views below it), and one that changes from
    view to table or back replaces the other kind. It is done for the first build, when a file
    changed since the last one (views, marts or their refresh scopes), or when `full` is asked.
    Otherwise only the marts' rows that the loads since the last build can change are
    recomputed (tradewh.mart_refresh): the nightly cost follows what was published, not the
    size of the warehouse. Without `force`, nothing is done (and nothing returned) when neither
    the files nor what is published changed since the last build (a quiet night stays quick).
    Returns the names built (all of them) or refreshed (the marts whose rows changed)."""
    from tradewh import mart_refresh

    files = view_files(sql_dir)
    files_sha256 = _files_sha256(sql_dir, files)
    fingerprint = _fingerprint(con, sql_dir, files_sha256)
    last = con.execute(
        "SELECT fingerprint, files_sha256, last_load_id FROM ops.view_builds"
    ).fetchone()
    if not force and not full and last is not None and last[0] == fingerprint:
        return []
    incremental = not full and last is not None and last[1] == files_sha256 and last[2] is not None
    con.execute("BEGIN TRANSACTION")
    try:
        last_load_id = con.execute("SELECT coalesce(max(load_id), 0) FROM ops.loads").fetchone()[0]
        if incremental:
            built = mart_refresh.refresh(con, sql_dir, files, since_load=last[2])
        else:
            built = _build_all(con, files)
        con.execute("DELETE FROM ops.view_builds")
        con.execute(
            "INSERT INTO ops.view_builds (fingerprint, objects, built_at, files_sha256, "
            "last_load_id) VALUES (?, ?, ?, ?, ?)",
            [fingerprint, len(built), now_utc(), files_sha256, last_load_id],
        )
        what = "marts refreshed" if incremental else "views rebuilt"
        set_commit_message(con, f"{what}: {len(built)}")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return built


def _build_all(con: duckdb.DuckDBPyConnection, files: list[Path]) -> list[str]:
    """(Re)create every view and mart of `files`, in the open transaction."""
    built: list[str] = []
    kinds = _kinds_held(con)
    views = {name for name, kind in kinds.items() if kind == "VIEW"}
    for path in files:
        text = path.read_text()
        creates = _CREATES.search(text)
        name = f"{path.parent.name}.{path.stem}"
        held = kinds.get(name)
        if creates and held and held != creates.group(1):
            con.execute(f'DROP {held} "{path.parent.name}"."{path.stem}"')
            views.discard(name)
        try:
            run_script(con, text, views)
        except duckdb.Error as exc:
            raise WarehouseError(f"view {path} does not build: {exc}") from exc
        built.append(name)
        if len(built) == 3:
            failpoints.reach("views.mid")
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
