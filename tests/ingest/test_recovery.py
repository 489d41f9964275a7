"""What a killed run leaves undone is done by the next one (fast, in-process versions of what
tests/crash/ proves with SIGKILL): a landed payload never ingested, an alert recorded but not
sent, a publish not followed by its cross-check and report."""

from __future__ import annotations

import os
import time

import pytest

from tests.ingest.test_pipeline import migrated, query, run_source
from tests.ops.test_operations import broken, failing_run, hook  # noqa: F401 (fixtures)
from tests.webhook import Receiver
from tradewh import pipeline, warehouse
from tradewh.ops import alerts, monitor
from tradewh.settings import Settings


def test_a_payload_landed_but_never_ingested_is_ingested_next_time(settings: Settings) -> None:
    migrated(settings)
    landed = pipeline.fetch(settings, "census_country")
    assert all(isinstance(item, pipeline.LandedPayload) for item in landed)
    # The run is killed here. The next fetch gets 304s, yet returns the payloads to ingest.
    again = pipeline.fetch(settings, "census_country")
    resumed = [item for item in again if isinstance(item, pipeline.LandedPayload)]
    assert [item.sha256 for item in resumed] == [item.sha256 for item in landed]
    assert len(again) == 2 * len(landed)  # and the 304s, recorded as such
    assert query(settings, "SELECT count(*) FROM ops.fetches WHERE status = 304") == [
        (len(landed),)
    ]
    outcomes = [pipeline.ingest(settings, "census_country", item) for item in resumed]
    assert [o.status for o in outcomes] == ["published"] * len(landed)
    # Decided: no longer returned.
    third = pipeline.fetch(settings, "census_country")
    assert all(isinstance(item, pipeline.NotModified) for item in third)


def test_a_vintage_registered_by_a_killed_run_is_staged_and_published(
    settings: Settings,
) -> None:
    migrated(settings)
    [first, *_] = pipeline.fetch(settings, "census_country")
    with warehouse.writer(settings) as con:
        # What the kill left: the vintage registered ("new"), its staging rolled back.
        con.execute(
            "INSERT INTO ops.releases (release_id, source, sha256, url, first_seen_at, "
            "published_at, status) VALUES (?, 'census_country', ?, ?, now(), now(), 'new')",
            [warehouse.next_id(con, "ops.releases", "release_id"), first.sha256, first.url],
        )
    outcomes = run_source(settings)
    assert [o.status for o in outcomes] == ["published"] * 4 + ["not_modified"] * 4
    assert query(
        settings,
        "SELECT count(*) = (SELECT sum(rows_published) FROM ops.loads) FROM core.observations",
    ) == [(True,)]


def test_an_alert_recorded_but_never_sent_is_sent_by_the_next_check(
    broken: Settings,  # noqa: F811
    hook: Receiver,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRADEWH_ALERT_URLS", hook.apprise_url)
    settings = Settings()
    run = failing_run(settings)
    with warehouse.writer(settings) as con:
        # The run is killed after recording the problem, before sending it.
        alerts.reconcile(con, monitor.problems(con, settings, run), monitor.scope(run))
    assert hook.messages == []

    [notice] = monitor.check_and_alert(settings, run)
    assert notice.message == "opened"
    [sent] = hook.messages
    assert "quarantined" in sent["title"]
    # Through: not sent again, only counted.
    assert monitor.check_and_alert(settings, run) == []
    assert len(hook.messages) == 1
    assert query(settings, "SELECT occurrences FROM ops.alerts") == [(3,)]


def test_a_channel_already_served_is_not_sent_to_again(
    broken: Settings,  # noqa: F811
    hook: Receiver,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRADEWH_ALERT_URLS", hook.apprise_url)
    settings = Settings()
    run = failing_run(settings)
    with warehouse.writer(settings) as con:
        alerts.reconcile(con, monitor.problems(con, settings, run), monitor.scope(run))
        [notice] = alerts.pending(con)
        # Killed after the webhook's delivery was recorded, before the log's.
        con.execute(
            "INSERT INTO ops.alert_deliveries (delivery_id, alert_id, message, channel, "
            "attempts, delivered, sent_at) VALUES (?, ?, 'opened', 'apprise:json', 1, true, now())",
            [warehouse.next_id(con, "ops.alert_deliveries", "delivery_id"), notice.alert_id],
        )
    monitor.check_and_alert(settings, run)
    assert hook.messages == []
    assert query(
        settings, "SELECT channel FROM ops.alert_deliveries WHERE message = 'opened' ORDER BY 1"
    ) == [("apprise:json",), ("log",)]


def test_catching_up_after_a_publish_the_run_did_not_follow_through(settings: Settings) -> None:
    migrated(settings)
    run_source(settings)
    # Published, then killed: no cross-source check, no report yet.
    due = pipeline.due(settings)
    assert due.cross_check and due.report
    pipeline.cross_check(settings)
    settings.report_path.parent.mkdir(parents=True)
    settings.report_path.write_text("<html></html>")
    due = pipeline.due(settings)
    assert not due.cross_check and not due.report
    assert not due.news  # no articles at all


def test_an_article_without_claims_or_search_entry_is_due(settings: Settings) -> None:
    migrated(settings)
    for item in pipeline.fetch(settings, "news"):
        if isinstance(item, pipeline.LandedPayload):
            pipeline.ingest(settings, "news", item)
    assert pipeline.due(settings).news
    from tradewh.claims.store import extract_new
    from tradewh.sources.news import build_search_index

    with warehouse.writer(settings) as con:
        extract_new(con)
    assert pipeline.due(settings).news  # read, not yet in the search index
    with warehouse.writer(settings) as con:
        build_search_index(con)
    assert not pipeline.due(settings).news


def test_temporary_files_of_killed_writes_are_removed_once_stale(settings: Settings) -> None:
    from tradewh.ops import housekeeping

    landing = settings.landing_dir / "ft900" / "ab"
    landing.mkdir(parents=True)
    report = settings.report_path.parent
    report.mkdir(parents=True)
    old_partial = landing / ".landing-x1"
    old_report = report / ".report-x2.html"
    fresh = landing / ".landing-x3"  # a live writer's, for all we know
    payload = landing / "ab12.xlsx"
    for path in (old_partial, old_report, fresh, payload):
        path.write_bytes(b"...")
    hour_ago = time.time() - 2 * housekeeping.STALE_AFTER_SECONDS
    for path in (old_partial, old_report, payload):
        os.utime(path, (hour_ago, hour_ago))

    assert housekeeping.remove_leftovers(settings) == 2
    kept = [*settings.data_dir.rglob("*"), *settings.landing_dir.rglob("*")]
    assert sorted(p.name for p in kept if p.is_file()) == [
        ".landing-x3",
        "ab12.xlsx",
    ]
