"""Unattended operation: alerts, freshness, the writer lock, readers during a refresh, status,
quarantine decisions, the validation page."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.ingest.test_pipeline import (
    NEWEST,
    corrupt_sample,
    migrated,
    negative_value,
    query,
    run_source,
)
from tests.paths import ROOT
from tests.webhook import Receiver, receiver
from tradewh import warehouse
from tradewh.cli import app
from tradewh.ops import monitor
from tradewh.ops.summary import RunSummary, SourceSummary
from tradewh.settings import Settings
from tradewh.store.lock import WriterBusy, holder, writer_lock


@pytest.fixture
def hook():
    with receiver() as server:
        yield server


@pytest.fixture
def broken(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings on a sample archive whose only country file has a negative value;
    census_country only."""
    archive = corrupt_sample(tmp_path, negative_value)
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(archive))
    monkeypatch.setenv("TRADEWH_SOURCES", '["census_country"]')
    return Settings()


def fix(settings: Settings) -> None:
    """The agency repairs the file: the good bytes under the same address."""
    shutil.copy(NEWEST, settings.sample_dir / "census_country" / "country_9999-01.xlsx")


@pytest.mark.usefixtures("prefect_harness")
def test_failure_alerts_once_counts_then_resolves(
    broken: Settings, hook: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.nightly import nightly_refresh

    monkeypatch.setenv("TRADEWH_ALERT_URLS", hook.apprise_url)
    settings = Settings()

    assert nightly_refresh(return_state=True).is_failed()
    [opened] = hook.messages
    assert "quarantined" in opened["title"]
    body = opened["message"]
    for text in (
        "expect_column_values_to_be_between on value_musd",
        "observed",
        "5880",
        "1994-03-01",
        "Raw payload:",
        "census_country",
        "tradewh quarantine show 1",
    ):
        assert text in body, text
    assert str(settings.landing_dir) in body

    # The same broken file the next night (a 304: nothing new failed in this run): the alert
    # stays open and is counted, nothing is sent.
    nightly_refresh()
    assert len(hook.messages) == 1
    assert query(settings, "SELECT status, occurrences FROM ops.alerts") == [("open", 2)]

    # Fixed: published, and one resolved message.
    fix(settings)
    assert nightly_refresh(return_state=True).is_completed()
    assert len(hook.messages) == 2
    assert hook.messages[1]["title"].startswith("RESOLVED:")
    assert query(settings, "SELECT status FROM ops.alerts") == [("resolved",)]
    assert query(
        settings, "SELECT message, channel, delivered FROM ops.alert_deliveries ORDER BY 1, 2"
    ) == [
        ("opened", "apprise:json", True),
        ("opened", "log", True),
        ("resolved", "apprise:json", True),
        ("resolved", "log", True),
    ]


def failing_run(settings: Settings) -> RunSummary:
    """A refresh whose census_country vintage was quarantined, without Prefect."""
    migrated(settings)
    run = RunSummary(started_at=warehouse.now_utc())
    run.sources.append(SourceSummary("census_country", outcomes=run_source(settings)))
    return run


@pytest.mark.parametrize(("status", "delay"), [(500, 0.0), (200, 10.0)], ids=["500", "hangs"])
def test_a_broken_receiver_neither_fails_nor_stalls_the_refresh(
    broken: Settings, hook: Receiver, monkeypatch: pytest.MonkeyPatch, status: int, delay: float
) -> None:
    hook.status, hook.delay = status, delay
    monkeypatch.setenv("TRADEWH_ALERT_URLS", hook.apprise_url)
    monkeypatch.setenv("TRADEWH_ALERT_ATTEMPTS", "2")
    monkeypatch.setenv("TRADEWH_ALERT_TIMEOUT", "1")
    settings = Settings()
    run = failing_run(settings)

    started = time.monotonic()
    notices = monitor.check_and_alert(settings, run)
    assert time.monotonic() - started < 8  # 2 attempts x 1 s timeouts, not the 10 s hang
    assert [n.message for n in notices] == ["opened"]
    [(attempts, delivered, error)] = query(
        settings,
        "SELECT attempts, delivered, error FROM ops.alert_deliveries WHERE channel <> 'log'",
    )
    assert (attempts, delivered) == (2, False) and error
    assert query(settings, "SELECT status FROM ops.alerts") == [("open",)]


def observations_at(settings: Settings, source: str, period: date) -> None:
    with warehouse.writer(settings) as con:
        release_id = warehouse.next_id(con, "ops.releases", "release_id")
        con.execute(
            "INSERT INTO ops.releases (release_id, source, sha256, url, first_seen_at, "
            "published_at, status) VALUES (?, ?, ?, 'file:///x', now(), now(), 'published')",
            [release_id, source, f"sha-{source}"],
        )
        con.execute(
            "INSERT INTO core.observations (release_id, source, basis, adjustment, flow, "
            "partner_code, partner_name, partner_is_aggregate, commodity_class, commodity_code, "
            "frequency, period, value_musd, product, vintage_at) VALUES "
            "(?, ?, 'bop', 'sa', 'balance', '-', 'All', true, 'total', '-', 'M', ?, -1, "
            "'goods_and_services', now())",
            [release_id, source, period],
        )
        warehouse.rebuild_views(con, settings.sql_dir)


def months_ago(months: int) -> date:
    today = date.today()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1)


def test_overdue_release_alerts_and_on_time_does_not(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEWH_FRESHNESS_ALERTS", "true")
    settings = migrated(Settings())
    observations_at(settings, "ft900", months_ago(6))  # due about 4 months ago
    observations_at(settings, "alfred", months_ago(1))  # next month due after this one ends
    run = RunSummary(started_at=warehouse.now_utc())
    run.sources += [SourceSummary("ft900"), SourceSummary("alfred")]

    notices = monitor.check_and_alert(settings, run)
    assert [n.title for n in notices] == [
        f"tradewh: ft900 release for {months_ago(5):%B %Y} is overdue"
    ]
    statuses = dict(query(settings, "SELECT source, status FROM marts.freshness"))
    assert (statuses["ft900"], statuses["alfred"], statuses["census_api"]) == (
        "overdue",
        "on_time",
        "no_data",
    )


def test_freshness_does_not_alert_in_the_sample_profile(settings: Settings) -> None:
    migrated(settings)
    observations_at(settings, "ft900", months_ago(6))
    run = RunSummary(started_at=warehouse.now_utc(), sources=[SourceSummary("ft900")])
    assert monitor.check_and_alert(settings, run) == []


HOLD_LOCK = """
import sys, time
from tradewh.store.lock import writer_lock
from tradewh.settings import Settings
with writer_lock(Settings(), "nightly_refresh flow run test-holder"):
    print("locked", flush=True)
    time.sleep(60)
"""


def hold_lock() -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert process.stdout.readline().strip() == "locked"
    return process


@pytest.mark.usefixtures("prefect_harness")
def test_second_writer_is_refused_naming_the_first(settings: Settings) -> None:
    from flows.nightly import nightly_refresh

    holder_process = hold_lock()
    try:
        state = nightly_refresh(return_state=True)
        assert state.is_cancelled()
        assert f"pid {holder_process.pid}" in state.message
        assert "test-holder" in state.message
        with pytest.raises(WriterBusy, match=f"pid {holder_process.pid}"):
            with writer_lock(settings, "another"):
                pass
    finally:
        holder_process.kill()
        holder_process.wait()


def test_a_killed_writers_lock_is_recovered(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    holder_process = hold_lock()
    holder_process.send_signal(signal.SIGKILL)
    holder_process.wait()
    assert holder(settings)["pid"] == holder_process.pid  # its note is left behind
    with writer_lock(settings, "after the crash"):
        assert holder(settings)["pid"] == os.getpid()
    assert f"stale writer lock left by pid {holder_process.pid}" in caplog.text
    assert holder(settings) is None


READER_LOOP = """
import json, sys, time
from tradewh.settings import Settings
from tradewh.warehouse import reader
answers, errors, deadline = [], [], time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    try:
        con = reader(Settings())
        try:
            answers.append(con.execute(
                "SELECT count(*), count(DISTINCT release_id) FROM core.observations"
            ).fetchone())
        finally:
            con.close()
    except Exception as exc:
        errors.append(repr(exc))
    time.sleep(0.01)
print(json.dumps({"answers": answers, "errors": errors}))
"""


def test_a_reader_during_a_refresh_sees_before_or_after_each_publish(settings: Settings) -> None:
    migrated(settings)
    loop = subprocess.Popen(
        [sys.executable, "-c", READER_LOOP, "25"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
    )
    time.sleep(2)
    outcomes = run_source(settings)
    result = json.loads(loop.communicate(timeout=60)[0])
    assert result["errors"] == []
    sizes = [o.rows_published for o in outcomes]
    states = {(sum(sizes[:n]), n) for n in range(len(sizes) + 1)}
    seen = {tuple(answer) for answer in result["answers"]}
    assert len(result["answers"]) > 20
    assert seen <= states, seen - states
    assert (0, 0) in seen and (sum(sizes), len(sizes)) in seen


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_status_exit_codes_and_json(broken: Settings) -> None:
    settings = broken
    migrated(settings)
    run_source(settings)
    report = cli("status", "--json")
    assert report.exit_code == 1, report.output
    data = json.loads(report.output)
    assert data["needs_attention"] is True
    assert [q["source"] for q in data["quarantined"]] == ["census_country"]
    assert any("quarantined" in reason for reason in data["reasons"])
    assert "census_country" in cli("status").output

    with warehouse.writer(settings) as con:
        con.execute(
            "INSERT INTO ops.runs (run_id, started_at, finished_at, state) "
            "VALUES (?, now(), now(), 'completed')",
            [warehouse.next_id(con, "ops.runs", "run_id")],
        )
    assert cli("quarantine", "discard", "1", "--reason", "known bad file").exit_code == 0
    calm = cli("status", "--json")
    assert calm.exit_code == 0, calm.output
    assert json.loads(calm.output)["reasons"] == []


def test_quarantine_release_round_trip(broken: Settings) -> None:
    settings = broken
    migrated(settings)
    run_source(settings)
    assert "1" in cli("quarantine", "list").output
    shown = cli("quarantine", "show", "1")
    assert shown.exit_code == 0
    assert "value_musd" in shown.output and "raw payload" in shown.output

    assert cli("quarantine", "release", "1").exit_code != 0  # a reason is required
    released = cli(
        "quarantine",
        "release",
        "1",
        "--reason",
        "negative value is a known reporting artefact",
        "--by",
        "analyst",
    )
    assert released.exit_code == 0, released.output
    assert query(settings, "SELECT status, decided_by FROM ops.quarantine") == [
        ("released", "analyst")
    ]
    assert query(settings, "SELECT status FROM ops.releases") == [("published",)]
    assert query(settings, "SELECT count(*) > 0 FROM marts.balance_monthly") == [(True,)]
    again = cli("quarantine", "release", "1", "--reason", "twice")
    assert again.exit_code == 1 and "already released" in again.output


def test_quarantine_discard_keeps_the_raw_payload(broken: Settings) -> None:
    settings = broken
    migrated(settings)
    run_source(settings)
    [(landed,)] = query(settings, "SELECT landed_path FROM ops.quarantine")
    assert cli("quarantine", "discard", "1", "--reason", "superseded").exit_code == 0
    assert query(settings, "SELECT status FROM ops.quarantine") == [("discarded",)]
    assert query(settings, "SELECT count(*) FROM staging.census_country") == [(0,)]
    assert query(settings, "SELECT count(*) FROM core.observations") == [(0,)]
    assert (settings.landing_dir / landed).is_file()


def test_validation_page_shows_the_failure_offline(broken: Settings) -> None:
    settings = broken
    from tradewh.ingest import validation_report

    migrated(settings)
    run_source(settings)
    page = validation_report.write(settings).read_text()
    assert "expect_column_values_to_be_between" in page and "value_musd" in page
    assert "quarantined" in page and "5880" in page
    assert "http://" not in page and "https://" not in page  # nothing loaded from elsewhere


def test_backfill_is_idempotent(settings: Settings) -> None:
    migrated(settings)
    first = cli("backfill", "--source", "census_country", "--from", "1992-01", "--to", "1996-12")
    assert first.exit_code == 0, first.output
    assert "4 published" in first.output
    again = cli("backfill", "--source", "census_country", "--from", "1992-01", "--to", "1996-12")
    # What was published is not asked for again (a resumed backfill's way)...
    assert "4 skipped" in again.output
    # ... and asked again (conditionally), it loads nothing.
    span = ("--from", "1992-01", "--to", "1996-12")
    forced = cli("backfill", "--source", "census_country", *span, "--refetch")
    assert forced.exit_code == 0, forced.output
    assert "4 not_modified" in forced.output
    assert query(settings, "SELECT count(*) FROM ops.loads") == [(4,)]
