"""What every benchmark shares: memory sampling by stage, the machine's description, a local
API server over generated files, and how results are written (bench/results/<name>.md, .json).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
API_ROOT = "/data/timeseries/intltrade"
MB = 1024 * 1024


# --------------------------------------------------------------------------------------------
# Memory


def rss_bytes() -> int:
    """Resident set size of this process now (Linux /proc; psutil elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import psutil

        return int(psutil.Process().memory_info().rss)


def peak_rss_bytes() -> int:
    """The process's peak resident set size so far (the kernel's own high-water mark)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024)


class RssSampler:
    """Samples RSS every `interval` seconds in a thread and keeps the highest value seen while
    each stage ran (the stage is whatever `stage` was last set to)."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.stage = "start"
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def sample(self) -> None:
        now = rss_bytes()
        if now > self.peaks.get(self.stage, 0):
            self.peaks[self.stage] = now

    def enter(self, stage: str) -> None:
        self.sample()
        self.stage = stage
        self.sample()

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sample()
        self._stop.set()
        self._thread.join()


@contextmanager
def timed(
    timings: dict[str, float], name: str, sampler: RssSampler | None = None
) -> Iterator[None]:
    if sampler is not None:
        sampler.enter(name)
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# The machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_total() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def machine() -> dict[str, Any]:
    memory = _memory_total()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "host": platform.node(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "memory_gb": round(memory / 1024**3, 1) if memory else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": _git_commit(),
        "versions": {
            name: _version(name)
            for name in (
                "duckdb",
                "great_expectations",
                "prefect",
                "pandas",
                "pyarrow",
                "dlt",
                "psutil",
            )
        },
    }


# --------------------------------------------------------------------------------------------
# A local api.census.gov over generated files


class _ApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ApiServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        endpoint = parts.path.removeprefix(API_ROOT + "/")
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.server.seen.append(self.path)
        # A month's own file where one is served for it (a backfill), else the endpoint's.
        served = self.server.files.get(f"{endpoint}@{params.get('time')}") or self.server.files.get(
            endpoint
        )
        if served is None:
            # The API's answer for an endpoint with nothing to give for these months.
            self._head(204, {})
            return
        path, expected = served
        unknown = [v for v in params.get("get", "").split(",") if v not in expected]
        if unknown or "time" not in params:
            body = f"error: unknown variable '{unknown[0] if unknown else 'time'}'".encode()
            self._head(400, {"Content-Type": "text/plain", "Content-Length": str(len(body))})
            self.wfile.write(body)
            return
        stat = path.stat()
        tag = hashlib.sha256(f"{path}:{stat.st_size}:{stat.st_mtime}".encode()).hexdigest()
        etag = f'"{tag[:16]}"'
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
        }
        if self.headers.get("If-None-Match") == etag:
            self._head(304, headers)
            return
        headers["Content-Type"] = "application/json;charset=utf-8"
        headers["Content-Length"] = str(stat.st_size)
        self._head(200, headers)
        with path.open("rb") as fh:
            self.wfile.flush()
            self.connection.sendfile(fh)

    def _head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers and status not in (204, 304):
            self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _ApiServer(ThreadingHTTPServer):
    daemon_threads = True
    # endpoint (e.g. "exports/hs", or "exports/hs@2024-03" for one month) -> (file, variables
    # it answers)
    files: dict[str, tuple[Path, set[str]]]
    seen: list[str]


@contextmanager
def api_server(files: dict[str, tuple[Path, set[str]]]) -> Iterator[str]:
    """Serves each file at API_ROOT/<endpoint> on 127.0.0.1 with ETag and Last-Modified (and 304
    to a matching If-None-Match), as api.census.gov does; 204 for any other endpoint. Yields the
    base URL that takes the place of the API's."""
    server = _ApiServer(("127.0.0.1", 0), _ApiHandler)
    server.files = files
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, name="api-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{API_ROOT}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------------------------
# Runs and results


def run_worker(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 1800
) -> dict[str, Any]:
    """Run `python -m bench.<args>` in a fresh process; its last stdout line is its JSON result."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(
            f"bench worker {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
        )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1])
    result["process_wall_s"] = wall
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_mb(size: float | None) -> str:
    return "-" if size is None else f"{size / MB:,.0f} MB"


def write_results(
    name: str, markdown: str, data: dict[str, Any], directory: Path = RESULTS
) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.md").write_text(markdown)
    (directory / f"{name}.json").write_text(json.dumps(data, indent=2, default=str) + "\n")


def machine_markdown(info: dict[str, Any]) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
    return (
        f"Run {info['date']} on {info['cpus']} CPUs ({info['cpu']}), {info['memory_gb']} GB RAM, "
        f"{info['os']}, Python {info['python']}; commit {info['commit']}; load average at the "
        f"start {info['load_average']}.\n\n{versions}.\n"
    )


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
