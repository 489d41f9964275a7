"""Alert channels beyond Apprise, and the alert for a fetch that failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.test_pipeline import migrated, query
from tests.webhook import Receiver, receiver
from tradewh import warehouse
from tradewh.ops import monitor
from tradewh.ops.summary import RunSummary, SourceSummary
from tradewh.settings import Settings


@pytest.fixture
def hook():
    with receiver() as server:
        yield server


def fetch_failed_run() -> RunSummary:
    run = RunSummary(started_at=warehouse.now_utc())
    run.sources.append(
        SourceSummary(
            "census_country",
            error="SourceFetchError: census_country: GET https://www.census.gov/x?key=*** "
            "failed after 5 attempts [http_status 503]",
        )
    )
    return run


@pytest.mark.usefixtures("prefect_harness")
def test_a_prefect_notification_block_is_a_channel(
    settings: Settings, hook: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    CustomWebhookNotificationBlock(
        name="tradewh test",
        url=f"http://127.0.0.1:{hook.server_address[1]}/hook",
        json_data={"title": "{{subject}}", "message": "{{body}}"},
        allow_private_urls=True,
    ).save("tradewh-test", overwrite=True)
    monkeypatch.setenv("TRADEWH_ALERT_BLOCK", "custom-webhook/tradewh-test")
    settings = migrated(Settings())

    notices = monitor.check_and_alert(settings, fetch_failed_run())
    assert [n.message for n in notices] == ["opened"]
    [message] = hook.messages
    assert message["title"] == "tradewh: fetching census_country failed"
    assert "503" in message["message"] and "key=***" in message["message"]
    assert query(
        settings, "SELECT channel, delivered FROM ops.alert_deliveries ORDER BY channel"
    ) == [("log", True), ("prefect-block:custom-webhook/tradewh-test", True)]


def test_fetch_failure_alert_resolves_when_the_source_fetches_again(settings: Settings) -> None:
    migrated(settings)
    [opened] = monitor.check_and_alert(settings, fetch_failed_run())
    assert opened.title == "tradewh: fetching census_country failed"
    healthy = RunSummary(started_at=warehouse.now_utc(), sources=[SourceSummary("census_country")])
    [resolved] = monitor.check_and_alert(settings, healthy)
    assert resolved.message == "resolved"
    assert resolved.title == "RESOLVED: tradewh: fetching census_country failed"
    # A run of other sources leaves this source's alerts alone.
    monitor.check_and_alert(settings, fetch_failed_run())
    other = RunSummary(started_at=warehouse.now_utc(), sources=[SourceSummary("ft900")])
    assert monitor.check_and_alert(settings, other) == []
    assert query(settings, "SELECT status, count(*) FROM ops.alerts GROUP BY 1 ORDER BY 1") == [
        ("open", 1),
        ("resolved", 1),
    ]


def test_no_channel_means_log_and_ledger_only(
    settings: Settings, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    migrated(settings)
    monitor.check_and_alert(settings, fetch_failed_run())
    assert "fetching census_country failed" in caplog.text
    assert query(settings, "SELECT channel FROM ops.alert_deliveries") == [("log",)]
