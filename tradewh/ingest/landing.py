"""The raw store: every fetched payload is written once, named by its sha256, before parsing.

Nothing here ever deletes: a quarantined or superseded vintage keeps its bytes. A payload that
cannot be written (disk full, read-only or unwritable store) leaves nothing under its final name
and no temporary file, is recorded as a failed fetch (no sha256), and raises LandingError
naming the source, the landing directory and the operating system's reason.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from tradewh.http import FetchResult
from tradewh.warehouse import now_utc

log = logging.getLogger("tradewh.ingest.landing")


class LandingError(OSError):
    """A payload could not be written to the landing store. An OSError with the original errno
    (ENOSPC, EROFS, EACCES...), whose message says which source, which store and why."""

    def __init__(self, errno_: int, message: str) -> None:
        super().__init__(errno_, message)

    def __str__(self) -> str:
        return str(self.strerror)


@dataclass(frozen=True)
class LandedPayload:
    source: str
    url: str
    sha256: str
    path: Path
    relative_path: str
    bytes: int
    last_modified: str | None
    fetch_id: int

    def read(self) -> bytes:
        return self.path.read_bytes()


def store(landing_dir: Path, source: str, content: bytes, suffix: str) -> tuple[str, Path]:
    """Write content under landing_dir/source/ab/abcdef....suffix once; return (sha256, path).
    Raises LandingError when it cannot be written; nothing is left behind then."""
    sha = hashlib.sha256(content).hexdigest()
    target = landing_dir / source / sha[:2] / f"{sha}{suffix}"
    if target.exists():
        return sha, target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a crash never leaves a truncated file under the final name.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".landing-")
    except OSError as exc:
        raise _landing_error(exc, landing_dir, source, content, sha) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            Path(tmp).unlink(missing_ok=True)
        except OSError as cleanup:  # the first error is the one to report
            log.error("could not remove the temporary file %s: %s", tmp, cleanup)
        if isinstance(exc, OSError):
            raise _landing_error(exc, landing_dir, source, content, sha) from exc
        raise
    return sha, target


def _landing_error(
    exc: OSError, landing_dir: Path, source: str, content: bytes, sha: str
) -> LandingError:
    reason = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename else ""
    return LandingError(
        exc.errno or errno.EIO,
        f"{source}: cannot write the payload (sha256 {sha[:12]}, {len(content):,} bytes) to the "
        f"landing directory {landing_dir}: {reason}{where}; nothing was landed, the fetch is "
        "retried on the next run",
    )


Validators = dict[str, tuple[str | None, str | None]]


def last_validators(con: duckdb.DuckDBPyConnection, source: str) -> Validators:
    """URL -> ETag and Last-Modified of its newest landed payload, for conditional GETs: read
    once per source and run (a source may make hundreds of requests)."""
    rows = con.execute(
        """
        SELECT url, etag, last_modified FROM ops.fetches
        WHERE source = ? AND status = 200 AND sha256 IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, fetch_id DESC) = 1
        """,
        [source],
    ).fetchall()
    return {url: (etag, last_modified) for url, etag, last_modified in rows}


def record_fetch(
    con: duckdb.DuckDBPyConnection,
    source: str,
    url: str,
    *,
    status: int | None,
    etag: str | None = None,
    last_modified: str | None = None,
    sha256: str | None = None,
    size: int | None = None,
    landed_path: str | None = None,
    error: str | None = None,
    fetched_at: datetime | None = None,
    want_id: bool = True,
) -> int | None:
    # One statement, the id made in it (max + 1: the one writer holds the writer lock): on the
    # lake every statement costs a catalog round trip, and a quiet night records hundreds of
    # 304s. The id is read back only by callers that use it.
    con.execute(
        """
        INSERT INTO ops.fetches (fetch_id, source, url, status, etag, last_modified, sha256,
                                 bytes, landed_path, fetched_at, error)
        SELECT coalesce(max(fetch_id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM ops.fetches
        """,
        [
            source,
            url,
            status,
            etag,
            last_modified,
            sha256,
            size,
            landed_path,
            fetched_at or now_utc(),
            error,
        ],
    )
    if not want_id:
        return None
    fetch_id = int(con.execute("SELECT max(fetch_id) FROM ops.fetches").fetchone()[0])
    return fetch_id


def land(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    source: str,
    url: str,
    result: FetchResult,
    suffix: str,
) -> LandedPayload:
    """Store a 200 response's body and record the fetch; the file is on disk before the row.
    A body that cannot be stored is recorded as a failed fetch, and LandingError raised."""
    try:
        sha, path = store(landing_dir, source, result.content, suffix)
    except LandingError as exc:
        try:
            record_fetch(con, source, url, status=result.status, error=str(exc), want_id=False)
        except Exception:  # the warehouse may be on the same full disk: the error stands
            log.exception("could not record the failed landing of %s", url)
        raise
    relative = path.relative_to(landing_dir).as_posix()
    fetched_at = now_utc()
    journal(
        landing_dir,
        {
            "source": source,
            "url": url,
            "sha256": sha,
            "path": relative,
            "bytes": len(result.content),
            "status": result.status,
            "etag": result.etag,
            "last_modified": result.last_modified,
            "fetched_at": fetched_at.isoformat(),
        },
    )
    fetch_id = record_fetch(
        con,
        source,
        url,
        status=result.status,
        etag=result.etag,
        last_modified=result.last_modified,
        sha256=sha,
        size=len(result.content),
        landed_path=relative,
        fetched_at=fetched_at,
    )
    return LandedPayload(
        source=source,
        url=url,
        sha256=sha,
        path=path,
        relative_path=relative,
        bytes=len(result.content),
        last_modified=result.last_modified,
        fetch_id=fetch_id,
    )


# The landing store's own record of what it holds: one JSON line per landed payload (source,
# URL, sha256, headers, when), so that the store alone can rebuild a warehouse (tradewh rebuild).
JOURNAL_DIR = "_journal"


def journal(landing_dir: Path, entry: dict[str, object]) -> None:
    """Append an entry to the source's journal, on disk before the fetch's ledger row. A line
    cut short by a crash is skipped on reading; the payload is landed again next time."""
    directory = landing_dir / JOURNAL_DIR
    directory.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(entry, sort_keys=True) + "\n").encode()
    fd = os.open(directory / f"{entry['source']}.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def journal_entries(landing_dir: Path) -> Iterator[dict[str, object]]:
    """Every whole entry of every source's journal, in the order written."""
    for path in sorted((landing_dir / JOURNAL_DIR).glob("*.jsonl")):
        for line in path.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                log.warning("skipping a torn line of %s", path)
                continue
            if isinstance(entry, dict):
                yield entry
