"""The one way a unit of work reaches the warehouse: `with transaction(con): ...`.

DuckLake makes each commit a snapshot; a transaction left open (an error, a Ctrl-C) would keep
the writer's connection unusable and its half-work invisible but held. So every write block
begins, commits on success and rolls back on any exception, KeyboardInterrupt included."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from tradewh.store.connections import set_commit_message


@contextmanager
def transaction(
    con: duckdb.DuckDBPyConnection, message: str | None = None, **extra: object
) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN; COMMIT when the block ends, ROLLBACK (and re-raise) when it raises.

    `message` (with `extra`) labels the snapshot the commit makes, set just before COMMIT; a
    label that depends on the work done is set inside the block with set_commit_message."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        if message is not None:
            set_commit_message(con, message, **extra)
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException:
        # A failed COMMIT has already ended the transaction: the error that matters is the
        # one being raised, not "no transaction is active".
        pass
