"""A throwaway PostgreSQL cluster on 127.0.0.1 for the tests of the PostgreSQL catalog: initdb
into a temporary directory, pg_ctl start on a free port, stopped and removed at the end.

Skipped with a reason where the server binaries are absent; a failure instead where
TRADEWH_REQUIRE_POSTGRES=1 (.ci/run sets it, after installing Debian's postgresql)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def server_binaries() -> Path | None:
    """The directory holding initdb and pg_ctl: on PATH, else Debian's versioned directory."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(directory, "initdb").exists() and Path(directory, "pg_ctl").exists():
            return Path(directory)
    return None


def require_binaries() -> Path:
    binaries = server_binaries()
    if binaries is None:
        reason = "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        if os.environ.get("TRADEWH_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"TRADEWH_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    return binaries


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(args: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as Debian's postgres user then.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A running cluster; yields the libpq conninfo of its database `tradewh`."""
    binaries = require_binaries()
    root = Path(tempfile.mkdtemp(prefix="tradewh-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    run = lambda *args: subprocess.run(  # noqa: E731
        _as_server_user([str(a) for a in args]), check=True, capture_output=True, text=True
    )
    try:
        run(binaries / "initdb", "-D", data, "-U", "tradewh", "--auth=trust", "-E", "UTF8")
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off"
        run(binaries / "pg_ctl", "-D", data, "-o", options, "-l", root / "log", "-w", "start")
        run(binaries / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "tradewh", "tradewh")
        yield f"host=127.0.0.1 port={port} dbname=tradewh user=tradewh"
    finally:
        subprocess.run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)
