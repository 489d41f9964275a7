"""Crash tests: the nightly refresh killed with SIGKILL at each failpoint of the write path.

After each kill: the warehouse holds all of a vintage or none of it, the ledgers agree with the
data, nothing is half-written in the landing store, and the killed run's writer lock is
recovered; then a new refresh completes and the warehouse ends holding exactly what a clean
run's holds (content checksums of every table, timestamps and attempt counts aside).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.badinput.cases import MARCH_2021, ft900, ft900_shift
from tests.crash.harness import (
    consistency_problems,
    content_checksums,
    crash_refresh,
    run_refresh,
)
from tests.webhook import Receiver, receiver
from tradewh import failpoints, warehouse
from tradewh.settings import Settings
from tradewh.store import lake, lock

pytestmark = pytest.mark.usefixtures("prefect_harness")

SAMPLE = Path(__file__).resolve().parents[2] / "tradewh" / "sample"
# A refresh of FT-900 and ALFRED reaches every point but the claims; news alone reaches those.
OFFICIAL = ("ft900", "alfred")
NEWS = ("news",)
BROKEN_TITLE = "tradewh: ft900"
KEPT_EXHIBITS = ("exh1_1994-03", "exh1_2021-09")


@dataclass(frozen=True)
class Point:
    failpoint: str  # name[:n]: the n-th time the refresh reaches it
    why: str
    sources: tuple[str, ...] = OFFICIAL
    # Each point costs two refreshes (~30 s on the lake): `make test` kills at one point
    # (landing) to stay in CI's minutes; `make test-slow` at all of them.
    slow: bool = True


POINTS = [
    Point("fetch.after_land:2", "the second FT-900 exhibit landed, not ingested", slow=False),
    Point("ingest.after_register:3", "the third FT-900 vintage registered, not staged"),
    Point("parse.mid:2", "inside the second FT-900 parse"),
    Point("stage.mid:2", "the second vintage's staging transaction open"),
    Point("validate.mid:2", "the second vintage validated, the result not recorded"),
    Point("publish.mid:2", "inside the second publish: rows in core, no ledger row"),
    Point("publish.before_commit:3", "ALFRED's publish, everything but its COMMIT"),
    Point("publish.after_commit:1", "the first vintage committed, the run not told"),
    Point("quarantine.mid", "the broken FT-900 vintage being quarantined"),
    Point("claims.mid", "news claims extracted, not committed", NEWS),
    Point("views.mid", "inside the view rebuild"),
    Point("alerts.mid_delivery", "the alert posted, its delivery not recorded"),
    Point("report.mid", "half the report written"),
]


def _sample_with_broken_vintage(root: Path) -> Path:
    sample = root / "sample"
    shutil.copytree(SAMPLE, sample, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    # Two real exhibits are enough to crash between vintages; fewer runs cost less.
    for exhibit in (sample / "ft900").glob("exh1_*.xlsx*"):
        if not exhibit.name.startswith(KEPT_EXHIBITS):
            exhibit.unlink()
    for relative, content in ft900(ft900_shift(MARCH_2021, 1, 500.0))(root).items():
        (sample / relative).write_bytes(content)
    return sample


@pytest.fixture(scope="module")
def webhook() -> Iterator[Receiver]:
    with receiver() as server:
        yield server


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sample_with_broken_vintage(tmp_path_factory.mktemp("crash-sample"))


def _environment(
    root: Path, sample: Path, webhook: Receiver, sources: tuple[str, ...]
) -> tuple[dict[str, str], Settings]:
    from prefect.settings import get_current_settings

    values = {
        "TRADEWH_DATA_DIR": str(root),
        "TRADEWH_LANDING_DIR": str(root / "landing"),
        "TRADEWH_PROFILE": "sample",
        "TRADEWH_SAMPLE_DIR": str(sample),
        "TRADEWH_SOURCES": json.dumps(list(sources)),
        "TRADEWH_ALERT_URLS": webhook.apprise_url,
        "TRADEWH_ALERT_ATTEMPTS": "1",
        "TRADEWH_FETCH_TASK_RETRIES": "0",
        # The child talks to this session's Prefect API instead of starting its own.
        "PREFECT_API_URL": str(get_current_settings().api.url),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWH_")}
    env.update(values)
    settings = Settings(data_dir=root, landing_dir=root / "landing", sample_dir=sample)
    return env, settings


@pytest.fixture(scope="module")
def clean(
    tmp_path_factory: pytest.TempPathFactory, sample: Path, webhook: Receiver
) -> Callable[[tuple[str, ...]], dict[str, str]]:
    """Content checksums of a warehouse built by one uninterrupted refresh of these sources."""
    made: dict[tuple[str, ...], dict[str, str]] = {}

    def checksums(sources: tuple[str, ...]) -> dict[str, str]:
        if sources not in made:
            root = tmp_path_factory.mktemp("crash-clean")
            env, settings = _environment(root, sample, webhook, sources)
            ended = run_refresh(env)
            assert consistency_problems(settings) == []
            made[sources] = content_checksums(settings)
            # The broken FT-900 vintage fails a refresh that reads it (and only that).
            assert ended.returncode == (1 if "ft900" in sources else 0), ended.output[-3000:]
        return made[sources]

    return checksums


def test_every_failpoint_is_crash_tested() -> None:
    tested = {point.failpoint.split(":")[0] for point in POINTS}
    assert tested == set(failpoints.POINTS)


@pytest.mark.parametrize(
    "point",
    [pytest.param(p, id=p.failpoint, marks=[pytest.mark.slow] if p.slow else []) for p in POINTS],
)
def test_killed_refresh_recovers(
    point: Point,
    tmp_path: Path,
    sample: Path,
    webhook: Receiver,
    clean: Callable[[tuple[str, ...]], dict[str, str]],
) -> None:
    expected = clean(point.sources)
    env, settings = _environment(tmp_path, sample, webhook, point.sources)
    delivered_before = len(webhook.messages)

    killed = crash_refresh(env, tmp_path, point.failpoint)
    assert killed.point == point.failpoint.split(":")[0]

    # What the kill left: all or nothing of each vintage, ledgers agreeing, no torn files.
    if lake.catalog_exists(settings):
        assert consistency_problems(settings) == []
    # The killed run held the writer lock; its note is left behind, naming a dead process.
    holder = lock.holder(settings)
    assert holder is not None and holder["pid"] == killed.pid

    ended = run_refresh(env)
    assert "cleared a stale writer lock" in ended.output
    assert lock.holder(settings) is None
    assert consistency_problems(settings) == []
    # It ran to its end (a vintage it quarantined itself fails it; one the killed run
    # quarantined is only counted again).
    assert ended.returncode in (0, 1), ended.output[-3000:]
    assert _last_run_finished(settings), ended.output[-3000:]
    assert content_checksums(settings) == expected
    if "ft900" not in point.sources:
        return

    # The quarantine alert went out, whether the crash came before, during or after sending it.
    titles = [m["title"] for m in webhook.messages[delivered_before:]]
    assert any(t.startswith(BROKEN_TITLE) and "quarantined" in t for t in titles), titles
    con = warehouse.reader(settings)
    try:
        (undelivered,) = con.execute(
            "SELECT count(*) FROM ops.alerts a WHERE NOT EXISTS (SELECT 1 FROM "
            "ops.alert_deliveries d WHERE d.alert_id = a.alert_id AND d.delivered "
            "AND d.channel <> 'log')"
        ).fetchone()
    finally:
        con.close()
    assert undelivered == 0


def _last_run_finished(settings: Settings) -> bool:
    con = warehouse.reader(settings)
    try:
        (finished,) = con.execute(
            "SELECT finished_at IS NOT NULL FROM ops.runs ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return bool(finished)
