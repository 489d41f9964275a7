"""A landing store that is full or read-only (issue 7, "Faults"), through the real nightly flow.

The store is a real 256 KB tmpfs, filled up or remounted read-only, where the machine lets us
mount one (root with CAP_SYS_ADMIN; a chmod'ed directory would not do, root ignores it), and
otherwise skipped with the reason. The mocked variant always runs: the operating system refuses
at the filesystem boundary of tradewh.ingest.landing only (its `tempfile.mkstemp` or the write
of its file), the rest of the process untouched.

Either way: the fetch fails with a message naming the source, the landing directory and the
operating system's reason; no file is left under a final landing name nor any temporary file;
no ops.fetches row claims a landed sha256; core is unchanged; an alert is raised and delivered;
and the next run, with the space back, lands and publishes the payload and resolves the alert.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.http.test_faults_http import placeholder_report, query
from tests.paths import ROOT
from tests.warehouses import copy_warehouse
from tests.webhook import Receiver, receiver
from tradewh import pipeline, warehouse
from tradewh.ingest import landing
from tradewh.settings import Settings

pytestmark = pytest.mark.usefixtures("prefect_harness")

SAMPLE = ROOT / "tradewh" / "sample" / "ft900"
HELD, NEW = "exh1_2025-12.xlsx", "exh1_2026-01.xlsx"
NEW_SHA = hashlib.sha256((SAMPLE / NEW).read_bytes()).hexdigest()
TMPFS_SIZE = "256k"


@dataclass(frozen=True)
class Store:
    """The template every case starts from: the FT-900 release of December 2025 published, its
    payload landed; the sample archive then also holds January 2026's, the one to land."""

    sample: Path
    warehouse: Settings
    landing: Path


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("held")
    sample = root / "sample" / "ft900"
    sample.mkdir(parents=True)
    for name in (HELD, f"{HELD}.headers.json"):
        shutil.copy(SAMPLE / name, sample / name)
    settings = Settings(
        data_dir=root,
        landing_dir=root / "landing",
        sample_dir=root / "sample",
        sources=["ft900"],
    )
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
    [payload] = pipeline.fetch(settings, "ft900")
    assert isinstance(payload, landing.LandedPayload)
    assert pipeline.ingest(settings, "ft900", payload).status == "published"
    for name in (NEW, f"{NEW}.headers.json"):
        shutil.copy(SAMPLE / name, sample / name)
    return Store(root / "sample", settings, settings.landing_dir)


# --- the faulty disks ----------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


def _can_mount(probe: Path) -> str | None:
    """Why a tmpfs cannot be mounted here, or None when it can."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return "mounting a tmpfs needs root and mount(8)"
    probe.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe))
    if done.returncode != 0:
        return f"mount -t tmpfs refused: {done.stderr.strip()}"
    _run("umount", str(probe))
    return None


def _fill(directory: Path) -> None:
    """Write into `directory` until its filesystem is full."""
    with open(directory / "filler", "wb", buffering=0) as fh:  # noqa: PTH123
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc


class _HalfWrite:
    """A file whose write puts half the bytes on disk, then fails as a full disk does."""

    def __init__(self, fh: Any) -> None:
        self._fh = fh

    def write(self, data: bytes) -> int:
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self) -> _HalfWrite:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)


def _mocked_full(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    real = os

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> _HalfWrite:
        return _HalfWrite(real.fdopen(fd, *args, **kwargs))

    proxy = SimpleNamespace(**{n: getattr(real, n) for n in dir(real) if not n.startswith("__")})
    proxy.fdopen = fdopen
    monkeypatch.setattr(landing, "os", proxy)


def _mocked_read_only(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    def mkstemp(*args: Any, dir: Path | None = None, **kwargs: Any) -> tuple[int, str]:  # noqa: A002
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))

    monkeypatch.setattr(landing, "tempfile", SimpleNamespace(mkstemp=mkstemp))


@dataclass(frozen=True)
class Disk:
    id: str
    reason: str  # as the operating system says it
    real: bool
    # Breaks the store (a mounted tmpfs, or landing's view of the OS); mended by undoing the
    # monkeypatch, or by `mend` on the mount.
    break_: Callable[[pytest.MonkeyPatch, Path], None]
    mend: Callable[[Path], None] = lambda mount: None


DISKS = [
    Disk(
        "full-tmpfs",
        "No space left on device",
        True,
        lambda monkeypatch, mount: _fill(mount),
        lambda mount: (mount / "filler").unlink(),
    ),
    Disk(
        "read-only-tmpfs",
        "Read-only file system",
        True,
        lambda monkeypatch, mount: _remount(mount, "ro"),
        lambda mount: _remount(mount, "rw"),
    ),
    Disk("full-mocked", "No space left on device", False, _mocked_full),
    Disk("read-only-mocked", "Read-only file system", False, _mocked_read_only),
]


def _remount(mount: Path, mode: str) -> None:
    done = _run("mount", "-o", f"remount,{mode}", str(mount))
    assert done.returncode == 0, done.stderr


@pytest.fixture
def mount(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """Where the landing store lives: a fresh tmpfs for the real cases, a directory otherwise."""
    disk: Disk = request.node.callspec.params["disk"]
    path = tmp_path / "disk"
    if not disk.real:
        path.mkdir()
        yield path
        return
    why = _can_mount(tmp_path / "probe")
    if why:
        pytest.skip(f"no real tmpfs here ({why}); the mocked variant of this case runs instead")
    path.mkdir()
    done = _run("mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(path))
    assert done.returncode == 0, done.stderr
    try:
        yield path
    finally:
        if _run("umount", str(path)).returncode != 0:
            _run("umount", "-l", str(path))


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as hook:
        yield hook


def _landed(landing_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(landing_dir).as_posix() for p in landing_dir.rglob("*") if p.is_file()
    )


def _core(settings: Settings) -> dict[str, str]:
    con = warehouse.reader(settings)
    try:
        return {
            name: digest
            for name, digest in warehouse.table_checksums(con).items()
            if name.startswith("core.")
        }
    finally:
        con.close()


@pytest.mark.parametrize("disk", DISKS, ids=lambda disk: disk.id)
def test_landing_store_full_or_read_only(
    disk: Disk,
    mount: Path,
    held: Store,
    settings: Settings,
    hook: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows.nightly import nightly_refresh

    landing_dir = mount / "landing"
    shutil.copytree(held.landing, landing_dir)
    for name, value in {
        "TRADEWH_SAMPLE_DIR": str(held.sample),
        "TRADEWH_LANDING_DIR": str(landing_dir),
        "TRADEWH_SOURCES": json.dumps(["ft900"]),
        "TRADEWH_FETCH_TASK_RETRIES": "0",
        "TRADEWH_ALERT_URLS": hook.apprise_url,
        "TRADEWH_ALERT_ATTEMPTS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("tradewh.report.write_report", placeholder_report)
    settings = Settings()
    copy_warehouse(held.warehouse, settings)
    before_files, before_core = _landed(landing_dir), _core(settings)
    assert before_files and NEW_SHA not in str(before_files)

    with pytest.MonkeyPatch.context() as fault:
        disk.break_(fault, mount)
        state = nightly_refresh(return_state=True)
    summary = state.result(raise_on_failure=False)

    # The source fails, saying which, where and why.
    assert state.is_failed() and summary.failed_sources == ["ft900"], summary.render()
    [ft900] = summary.sources
    error = ft900.error or ""
    assert error.startswith("ft900: cannot write the payload"), error
    assert f"to the landing directory {landing_dir}: {disk.reason}" in error, error
    # Nothing half-written: no new file under a final name, no temporary file.
    assert _landed(landing_dir) == before_files
    # The fetch is recorded as failed, and nothing claims the payload was landed.
    rows = query(
        settings,
        "SELECT sha256, landed_path, error FROM ops.fetches WHERE url LIKE ? ORDER BY fetch_id",
        [f"%{NEW}"],
    )
    assert [(sha, landed) for sha, landed, _ in rows] == [(None, None)]
    assert disk.reason in rows[0][2]
    assert query(settings, "SELECT count(*) FROM ops.fetches WHERE sha256 = ?", [NEW_SHA]) == [(0,)]
    assert query(settings, "SELECT count(*) FROM ops.releases WHERE sha256 = ?", [NEW_SHA]) == [
        (0,)
    ]
    assert _core(settings) == before_core
    # Alerted, and delivered.
    assert query(settings, "SELECT alert_key, status FROM ops.alerts") == [("fetch:ft900", "open")]
    [alert] = hook.messages
    assert alert["title"] == "tradewh: fetching ft900 failed"
    assert str(landing_dir) in alert["message"] and disk.reason in alert["message"]

    # Space back: the next run lands the payload and publishes it, and the alert is resolved.
    disk.mend(mount)
    state = nightly_refresh(return_state=True)
    summary = state.result(raise_on_failure=False)
    assert state.is_completed(), summary.render()
    assert summary.sources[0].published == 1
    [(landed,)] = query(settings, "SELECT landed_path FROM ops.fetches WHERE sha256 = ?", [NEW_SHA])
    assert _landed(landing_dir) == sorted([*before_files, landed])
    assert hashlib.sha256((landing_dir / landed).read_bytes()).hexdigest() == NEW_SHA
    assert query(
        settings,
        "SELECT r.status, count(o.period) FROM ops.releases AS r JOIN core.observations AS o "
        "USING (release_id) WHERE r.sha256 = ? GROUP BY ALL",
        [NEW_SHA],
    ) == [("published", 252)]
    assert query(settings, "SELECT status FROM ops.alerts") == [("resolved",)]
    assert hook.messages[-1]["title"] == "RESOLVED: tradewh: fetching ft900 failed"
