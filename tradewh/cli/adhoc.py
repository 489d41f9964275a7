"""Analysts' queries: read-only, within a time limit, errors as DuckDB's own message.

Read-only twice over: statements are checked by type before anything runs (a read-only
connection still lets COPY TO, EXPORT and ATTACH write files elsewhere), and the connection is
opened read-only anyway.
"""

from __future__ import annotations

import signal
import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from tradewh.settings import get_settings
from tradewh.store.connections import is_interrupt

TIMEOUT_ENV = "TRADEWH_QUERY_TIMEOUT"

# What a question needs: SELECT (and WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, which parse as one),
# EXPLAIN, PRAGMA and CALL (table functions), and MULTI (PIVOT without an IN list).
_ALLOWED = {
    duckdb.StatementType.SELECT,
    duckdb.StatementType.EXPLAIN,
    duckdb.StatementType.PRAGMA,
    duckdb.StatementType.CALL,
    duckdb.StatementType.MULTI,
}


class QueryError(Exception):
    """A query that cannot run or did not finish; the message is for the analyst as it is."""


class Cancelled(Exception):
    """The user pressed Ctrl-C while a query ran; the query was stopped."""


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    total_rows: int  # rows the query gave; more than len(rows) when cut to a limit


def default_timeout() -> float:
    """Seconds a query may run (TRADEWH_QUERY_TIMEOUT)."""
    return get_settings().query_timeout


def statements(con: duckdb.DuckDBPyConnection, sql: str) -> list[duckdb.Statement]:
    """The statements of the text, refusing any that would write or change the session."""
    try:
        parsed = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(str(exc)) from None
    if not parsed:
        raise QueryError("no SQL statement to run")
    for statement in parsed:
        if statement.type not in _ALLOWED:
            kind = statement.type.name.replace("_", " ")
            raise QueryError(
                f"refused: the warehouse is read-only here ({kind} statements are not run); "
                "ask questions with SELECT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN or PRAGMA"
            )
    return parsed


@contextmanager
def _ctrl_c_interrupts(con: duckdb.DuckDBPyConnection) -> Iterator[threading.Event]:
    """While the block runs, Ctrl-C stops the connection's query instead of raising
    KeyboardInterrupt somewhere inside DuckDB (which Python only sees once the query is over:
    a Ctrl-C used to wait for the time limit). A second Ctrl-C does the same, harmlessly."""
    pressed = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield pressed  # signal handlers can only be set from the main thread
        return

    def handler(signum: int, frame: object) -> None:
        pressed.set()
        con.interrupt()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def time_limit(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[threading.Event]:
    """Interrupt the connection's running query after `seconds` (DuckDB has no statement
    timeout of its own) or at Ctrl-C (then Cancelled); yields the Ctrl-C flag."""
    timer = threading.Timer(seconds, con.interrupt)
    timer.start()
    try:
        with _ctrl_c_interrupts(con) as pressed:
            try:
                yield pressed
            # An interrupt that lands while results are fetched comes as a plain RuntimeError.
            except (duckdb.Error, RuntimeError) as exc:
                if pressed.is_set():
                    raise Cancelled("query cancelled (Ctrl-C)") from None
                if timer.finished.is_set() and is_interrupt(exc):
                    raise QueryError(
                        f"query stopped after the time limit of {seconds:g} s "
                        f"(--timeout SECONDS or {TIMEOUT_ENV} to allow longer)"
                    ) from None
                if not isinstance(exc, duckdb.Error):
                    raise
                raise QueryError(str(exc)) from None
            if pressed.is_set():
                raise Cancelled("query cancelled (Ctrl-C)")
    finally:
        timer.cancel()


def _bound(statement: duckdb.Statement, params: Mapping[str, Any]) -> dict[str, Any]:
    wanted = statement.named_parameters
    missing = wanted - params.keys()
    if missing:
        raise QueryError(f"no value for parameter(s) {', '.join(sorted(missing))}")
    return {name: params[name] for name in wanted}


def _execute(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None
) -> duckdb.DuckDBPyConnection:
    """Run every statement; the connection then holds the last one's result."""
    params = params or {}
    for statement in statements(con, sql):
        bound = _bound(statement, params)
        con.execute(statement, bound or None)
    return con


def _fetch(con: duckdb.DuckDBPyConnection, limit: int | None) -> Result:
    if not con.description:
        return Result([], [], 0)
    columns = [d[0] for d in con.description]
    if limit is None:
        rows = con.fetchall()
        return Result(columns, rows, len(rows))
    rows = con.fetchmany(limit)
    total = len(rows)
    # Count the rest in chunks rather than holding them all.
    while chunk := con.fetchmany(10_000):
        total += len(chunk)
    return Result(columns, rows, total)


def results(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    limit: int | None = None,
) -> Iterator[Result]:
    """Each statement's result in turn (`select 1; select 2` shows both, as psql does), rows cut
    to `limit` (all are counted). Every statement is checked before the first runs; one that
    fails stops the rest. The time limit is for the whole text."""
    params = params or {}
    with time_limit(con, timeout or default_timeout()) as pressed:
        for statement in statements(con, sql):
            bound = _bound(statement, params)
            con.execute(statement, bound or None)
            result = _fetch(con, limit)
            if pressed.is_set():
                break  # time_limit raises Cancelled
            yield result


def run(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    limit: int | None = None,
) -> Result:
    """Rows of the last statement's result, at most `limit` of them (all are counted)."""
    return list(results(con, sql, params, timeout, limit))[-1]


def run_arrow(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Mapping[str, Any] | None = None,
    timeout: float | None = None,
) -> pa.Table:
    """The last statement's whole result as an Arrow table (for Parquet)."""
    with time_limit(con, timeout or default_timeout()):
        result = _execute(con, sql, params)
        if not result.description:
            raise QueryError("the statement returns no rows to write")
        with warnings.catch_warnings():
            # The extra copy DuckDB warns about costs nothing at the size of a query result.
            warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
            return result.to_arrow_table()
