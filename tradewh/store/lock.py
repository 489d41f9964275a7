"""One writer at a time, in the code itself, wherever the writers run.

With the embedded SQLite catalog every writer is on this machine: the lock is an flock in the
data directory, which the OS releases when its holder dies, so a killed refresh never leaves the
warehouse locked; beside it a small JSON file says who holds it (pid, host, command, since when),
for the message a second writer gets, and is recognised as stale when its pid is gone.

With a PostgreSQL catalog writers may run on several machines: the lock is a session advisory
lock on the catalog database, which PostgreSQL releases when the holder's session ends (a killed
process closes its connection; TCP keepalives notice a dead machine), and the holder's
description is its session's application_name.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from tradewh.settings import Settings
from tradewh.warehouse import now_utc

log = logging.getLogger("tradewh.store.lock")


class WriterBusy(RuntimeError):
    """Another process is writing the warehouse; the message names it."""


def _paths(settings: Settings) -> tuple[Path, Path]:
    base = settings.data_dir / "writer"
    return base.with_suffix(".lock"), base.with_suffix(".json")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(settings: Settings) -> dict | None:
    """Who holds (or last held) the writer lock, if anybody wrote it down."""
    _, info = _paths(settings)
    try:
        return json.loads(info.read_text())
    except (OSError, ValueError):
        return None


def _describe(info: dict | None) -> str:
    if not info:
        return "another process (no details recorded)"
    return (
        f"pid {info.get('pid')} on {info.get('host')} since {info.get('since')} "
        f"({info.get('command')})"
    )


@contextmanager
def writer_lock(settings: Settings, purpose: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's writer lock for a whole refresh (or other write job), waiting up to
    `wait` seconds for another writer to finish, else raise WriterBusy naming the holder."""
    if settings.catalog_kind == "postgres":
        with _advisory_lock(settings, purpose, wait):
            yield
        return
    lock_path, info_path = _paths(settings)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise WriterBusy(
            f"the warehouse {settings.warehouse} is being written by {_describe(holder(settings))}"
            f"; {purpose} not started"
        ) from None
    try:
        previous = holder(settings)
        if previous and previous.get("pid") != os.getpid() and not _alive(int(previous["pid"])):
            log.warning("cleared a stale writer lock left by %s", _describe(previous))
        info_path.write_text(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "command": purpose or " ".join(sys.argv),
                    "since": now_utc().isoformat(timespec="seconds"),
                }
            )
        )
        yield
    finally:
        info_path.unlink(missing_ok=True)
        lock.release()


# One key for the whole warehouse: per-table writers would need every step to know its tables
# in advance, and a refresh writes the ledgers every source shares.
_ADVISORY_KEY = 0x7472616465776800  # "tradewh\0"
_KEEPALIVE = "keepalives=1 keepalives_idle=30 keepalives_interval=10 keepalives_count=3"


def _note(purpose: str) -> str:
    # application_name holds 63 bytes: who, where, what.
    return f"tradewh pid {os.getpid()} on {socket.gethostname()}: {purpose}"[:63]


@contextmanager
def _advisory_lock(settings: Settings, purpose: str, wait: float) -> Iterator[None]:
    import time

    import psycopg

    conninfo = settings.catalog_url.split(":", 1)[1]
    with psycopg.connect(
        f"{conninfo} {_KEEPALIVE}", autocommit=True, application_name=_note(purpose)
    ) as con:
        deadline = time.monotonic() + wait
        while not con.execute("SELECT pg_try_advisory_lock(%s)", [_ADVISORY_KEY]).fetchone()[0]:
            if time.monotonic() >= deadline:
                row = con.execute(
                    "SELECT a.application_name, a.client_addr, a.backend_start "
                    "FROM pg_locks AS l JOIN pg_stat_activity AS a USING (pid) "
                    "WHERE l.locktype = 'advisory' AND l.granted "
                    "AND (l.classid::bigint << 32 | l.objid::bigint) = %s",
                    [_ADVISORY_KEY],
                ).fetchone()
                who = (
                    f"{row[0]} (from {row[1] or 'this host'}, since {row[2]:%Y-%m-%d %H:%M:%S})"
                    if row
                    else "another session"
                )
                raise WriterBusy(
                    f"the warehouse {settings.warehouse} is being written by {who}; "
                    f"{purpose} not started"
                )
            time.sleep(0.5)
        try:
            yield
        finally:
            con.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_KEY])
