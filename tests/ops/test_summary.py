"""The run summary reads its counters from the outcomes it holds (tradewh.ops.summary)."""

from __future__ import annotations

import json

from tradewh import warehouse
from tradewh.ingest.outcomes import ReleaseOutcome
from tradewh.ops.summary import RunSummary, SourceSummary


def outcome(status: str, rows: int = 0, passed: int = 0, failed: int = 0, **kw) -> ReleaseOutcome:
    return ReleaseOutcome(
        "ft900",
        f"file:///{status}",
        status,
        rows_published=rows,
        checks_passed=passed,
        checks_failed=failed,
        message=kw.pop("message", f"{status} message"),
        **kw,
    )


def night() -> RunSummary:
    ft900 = SourceSummary(
        "ft900",
        [
            outcome("published", rows=10, passed=5, warnings=["a warning"]),
            outcome("published", rows=7, passed=5),
            outcome("quarantined", passed=3, failed=2, message="held back: why"),
            outcome("unchanged"),
            outcome("not_modified"),
            outcome("no_data"),
        ],
    )
    alfred = SourceSummary("alfred", [outcome("not_modified")], notes=["a note"])
    broken = SourceSummary("census_country", error="SourceFetchError: 503")
    return RunSummary(started_at=warehouse.now_utc(), sources=[ft900, alfred, broken])


def test_counters_come_from_the_outcomes() -> None:
    run = night()
    ft900, alfred, broken = run.sources
    assert (ft900.fetched, ft900.not_modified, ft900.no_data) == (4, 1, 1)
    assert (ft900.published, ft900.unchanged, ft900.quarantined) == (2, 1, 1)
    assert (ft900.rows_published, ft900.checks_passed, ft900.checks_failed) == (17, 13, 2)
    assert ft900.messages == [
        "published message",
        "warning: a warning",
        "published message",
        "held back: why",
    ]
    assert alfred.messages == ["a note"] and not alfred.failed
    assert (run.new_vintages, run.quarantined, run.unchanged, run.rows_published) == (2, 1, 1, 17)
    assert run.failed_sources == ["ft900", "census_country"] and not run.ok
    # One more outcome moves every counter it touches: nothing is kept by hand.
    alfred.outcomes.append(outcome("published", rows=3))
    assert (run.new_vintages, run.rows_published, alfred.fetched) == (3, 20, 1)


def test_ops_runs_keeps_the_counters() -> None:
    kept = json.loads(night().to_json())
    assert kept["sources"][0] == {
        "source": "ft900",
        "fetched": 4,
        "not_modified": 1,
        "no_data": 1,
        "published": 2,
        "unchanged": 1,
        "quarantined": 1,
        "rows_published": 17,
        "checks_passed": 13,
        "checks_failed": 2,
        "error": None,
        "messages": [
            "published message",
            "warning: a warning",
            "published message",
            "held back: why",
        ],
    }
    assert kept["sources"][2]["error"] == "SourceFetchError: 503"
    assert kept["ok"] is False
