"""The warehouse: a DuckLake (a SQL catalog plus Parquet files), its connections (one writer,
any number of readers that never wait for it), migrations, views from sql/.

Every connection is an in-memory DuckDB with the lake attached as `tradewh` and in use, so
`core.latest` reads as it always did. A reader sees the snapshot its transaction started on;
a writer's commit is a new snapshot."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tradewh.settings import Settings
from tradewh.store import lake


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


def is_interrupt(exc: BaseException) -> bool:
    """Whether a DuckDB error is an interrupt (con.interrupt(), a time limit, Ctrl-C). One that
    lands during an ATTACH or while results are fetched is a plain RuntimeError with this
    message, not duckdb.InterruptException."""
    return isinstance(exc, duckdb.InterruptException) or (
        isinstance(exc, RuntimeError) and str(exc) == "Query interrupted"
    )


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
        if is_interrupt(exc):
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
