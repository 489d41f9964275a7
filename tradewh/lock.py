"""One writer at a time, in the code itself: an OS file lock beside the warehouse.

The lock is an flock, which the OS releases when its holder dies, so a killed refresh never
leaves the warehouse locked; beside it a small JSON file says who holds it (pid, host, command,
since when), for the message a second writer gets, and is recognised as stale when its pid is
gone.
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

log = logging.getLogger("tradewh.lock")


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
def writer_lock(settings: Settings, purpose: str) -> Iterator[None]:
    """Hold the warehouse's writer lock for a whole refresh (or other write job), or raise
    WriterBusy at once naming the holder."""
    lock_path, info_path = _paths(settings)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=0)
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
