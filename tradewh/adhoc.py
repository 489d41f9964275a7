"""Analysts' queries: read-only, within a time limit, errors as DuckDB's own message.

Read-only twice over: statements are checked by type before anything runs (a read-only
connection still lets COPY TO, EXPORT and ATTACH write files elsewhere), and the connection is
opened read-only anyway.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from tradewh.settings import get_settings

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
def time_limit(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[None]:
    """Interrupt the connection's running query after `seconds` (DuckDB has no statement
    timeout of its own)."""
    timer = threading.Timer(seconds, con.interrupt)
    timer.start()
    try:
        yield
    except duckdb.Error as exc:
        if timer.finished.is_set() and isinstance(exc, duckdb.InterruptException):
            raise QueryError(
                f"query stopped after the time limit of {seconds:g} s "
                f"(--timeout SECONDS or {TIMEOUT_ENV} to allow longer)"
            ) from None
        raise QueryError(str(exc)) from None
    finally:
        timer.cancel()


def _execute(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None
) -> duckdb.DuckDBPyConnection:
    """Run every statement; the connection then holds the last one's result."""
    params = params or {}
    for statement in statements(con, sql):
        wanted = statement.named_parameters
        missing = wanted - params.keys()
        if missing:
            raise QueryError(f"no value for parameter(s) {', '.join(sorted(missing))}")
        if wanted:
            con.execute(statement, {name: params[name] for name in wanted})
        else:
            con.execute(statement)
    return con


def run(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    limit: int | None = None,
) -> Result:
    """Rows of the last statement's result, at most `limit` of them (all are counted)."""
    with time_limit(con, timeout or default_timeout()):
        result = _execute(con, sql, params)
        if not result.description:
            return Result([], [], 0)
        columns = [d[0] for d in result.description]
        if limit is None:
            rows = result.fetchall()
            return Result(columns, rows, len(rows))
        rows = result.fetchmany(limit)
        total = len(rows)
        # Count the rest in chunks rather than holding them all.
        while chunk := result.fetchmany(10_000):
            total += len(chunk)
        return Result(columns, rows, total)


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
