"""The HTML report on the sample warehouse: structure without a browser, then loaded in headless
Chromium over the DevTools protocol (no console error, nothing fetched, every chart drawn)."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat
from websockets.sync.client import ClientConnection, connect

from tests.paths import ROOT
from tradewh import warehouse
from tradewh.report import write_report
from tradewh.settings import Settings

CHART_IDS = ("chart-balance", "chart-partners", "chart-japan", "chart-shares")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1200,900",
    "--hide-scrollbars",
)
# An outside reference: a src/href/url() to http(s) or protocol-relative //host.
OUTSIDE_REFERENCE = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)\s*(?:https?:)?//""", re.IGNORECASE
)


@pytest.fixture(scope="module")
def sample_settings(sample_root: Path) -> Settings:
    """The sample warehouse this session loaded once, as the nightly flow loads it
    (tests/conftest.py, sample_root); the report is written elsewhere, nothing into it."""
    return Settings(data_dir=sample_root, landing_dir=sample_root / "landing", profile="sample")


@pytest.fixture(scope="module")
def report(sample_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(sample_settings, tmp_path_factory.mktemp("report") / "index.html")


def section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}">')
    return html[start : html.index("</section>", start)]


def test_report_is_one_offline_file_with_every_section(report: Path) -> None:
    assert [p.name for p in report.parent.iterdir()] == ["index.html"]  # no temp file left
    html = report.read_text(encoding="utf-8")
    assert OUTSIDE_REFERENCE.findall(html) == []
    assert "<script" not in html and "@import" not in html
    for chart_id in CHART_IDS:
        assert re.search(rf'<svg [^>]*\bid="{chart_id}"[^>]*role="img"', html), chart_id
        assert f'<title id="{chart_id}-title">' in html and f'<desc id="{chart_id}-desc">' in html
    assert "No data yet" not in html

    japan = section(html, "japan")
    periods = re.findall(r'data-period="(\d{4}-\d{2})-01"', japan)
    assert len(periods) == 60 and periods[0] == "1992-01" and periods[-1] == "1996-12"
    # The README's figures: Japan's March 1994 balance, its share of the 2020 deficit, and the
    # March 1994 deficit an article misquoted as $7.64 billion.
    assert re.search(r">1994-03</td>.*?>-5,752\.7</td>", japan)
    shares = section(html, "shares")
    # The latest full year: 2021, from the country file of 2026 (its sample keeps 2021).
    assert "Partner shares of the deficit, 2021" in shares
    assert re.search(r"<td>China</td><td[^>]*>-352,806\.9</td><td[^>]*>32\.95</td>", shares)
    claims = section(html, "claims")
    assert "33 quoted figures in 4" in claims and "“$7.64 billion”" in claims
    assert "Goods balance, $ billions" in html and "(BOP basis, seasonally adjusted)" in html


def test_report_on_an_empty_warehouse_says_no_data_yet(settings: Settings) -> None:
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        warehouse.rebuild_views(con, settings.sql_dir)
    path = write_report(settings)
    assert path == settings.data_dir / "report" / "index.html"
    html = path.read_text(encoding="utf-8")
    for section_id in ("balance", "partners", "japan", "shares", "revisions", "claims"):
        assert "No data yet." in section(html, section_id), section_id
    assert "<svg" not in html


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[CDP]:
    if not Path(CHROMIUM).is_file():
        if os.environ.get("TRADEWH_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"TRADEWH_REQUIRE_CHROMIUM=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed (Debian package chromium; .ci/run installs it)")
    profile = tmp_path / "chromium-profile"
    process = subprocess.Popen(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Full-page screenshots are a few MB of base64 in one message.
        with connect(_devtools_url(profile, process), max_size=64 << 20, open_timeout=10) as ws:
            yield CDP(ws)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_report_in_headless_chromium(report: Path, chromium: CDP) -> None:
    page = chromium.open_page()
    chromium.navigate(page, report.as_uri())

    assert [e for e in chromium.events if e.get("sessionId") == page and _is_error(e)] == []
    requested = [
        e["params"]["request"]["url"]
        for e in chromium.events
        if e["method"] == "Network.requestWillBeSent"
    ]
    assert requested and all(url.startswith("file://") for url in requested), requested

    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    for chart_id in CHART_IDS:
        box = chromium.evaluate(
            page,
            f"""(() => {{
                const svg = document.getElementById({json.dumps(chart_id)});
                svg.scrollIntoView();
                const r = svg.getBoundingClientRect();
                return {{x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height,
                         drawn: svg.querySelectorAll('path, line, rect, text, use').length}};
            }})()""",
        )
        assert box["width"] > 300 and box["height"] > 150, (chart_id, box)
        assert box["drawn"] > 20, (chart_id, box)
        clip = {k: box[k] for k in ("x", "y", "width", "height")}
        shot = chromium.screenshot(page, clip=clip)
        # A blank or single-colour element has (next to) no variance; a chart has plenty.
        variance = ImageStat.Stat(Image.open(io.BytesIO(shot)).convert("L")).var[0]
        assert variance > 100, (chart_id, variance)

    full = chromium.screenshot(page)
    (artifacts / "report.png").write_bytes(full)
    assert Image.open(io.BytesIO(full)).size[1] > 3000  # the whole page, not the viewport


def _is_error(event: dict[str, Any]) -> bool:
    method, params = event["method"], event.get("params", {})
    if method == "Runtime.exceptionThrown":
        return True
    if method == "Runtime.consoleAPICalled":
        return params.get("type") in {"error", "assert"}
    if method == "Log.entryAdded":
        return params["entry"]["level"] == "error"
    return method == "Network.loadingFailed"


def _devtools_url(profile: Path, process: subprocess.Popen) -> str:
    """Chromium writes the port it chose (and the browser target's path) to this file."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"chromium exited with {process.returncode} before DevTools was up")
        if marker.is_file():
            lines = marker.read_text().split()
            if len(lines) == 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(0.1)
    pytest.fail("chromium did not open its DevTools port within 20 s")


class CDP:
    """The few DevTools protocol calls the test needs, over one browser websocket with flattened
    page sessions; every event is kept in order for the assertions."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.events: list[dict[str, Any]] = []
        self._next_id = 0

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=30))
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply["result"]
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, session: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = json.loads(self.socket.recv(timeout=deadline - time.monotonic()))
            if "method" in event:
                self.events.append(event)
                if event["method"] == method and event.get("sessionId") == session:
                    return
        raise AssertionError(f"no {method} within {timeout} s")

    def open_page(self) -> str:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        page = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        session = page["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        return session

    def navigate(self, session: str, url: str) -> None:
        result = self.send("Page.navigate", {"url": url}, session)
        assert "errorText" not in result, result
        self.wait_for("Page.loadEventFired", session)

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
        )
        assert "exceptionDetails" not in result, result
        return result["result"]["value"]

    def screenshot(self, session: str, clip: dict[str, float] | None = None) -> bytes:
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": True}
        if clip is None:
            size = self.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"]}
        params["clip"] = {**clip, "scale": 1}
        return base64.b64decode(self.send("Page.captureScreenshot", params, session)["data"])


def test_report_command_writes_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from tradewh.cli import app

    monkeypatch.setenv("TRADEWH_DATA_DIR", str(tmp_path))
    settings = Settings()
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        warehouse.rebuild_views(con, settings.sql_dir)
    result = CliRunner().invoke(app, ["report", "--output", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "No data yet" in (tmp_path / "r.html").read_text()
