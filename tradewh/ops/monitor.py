"""After a refresh: what is wrong now (quarantined and warned vintages, failed fetches, late
releases, a failed run), turned into alerts, reconciled with the open ones and delivered."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import duckdb

from tradewh.ops import alerts, freshness
from tradewh.ops.alerts import Alert
from tradewh.ops.summary import RunSummary
from tradewh.settings import Settings
from tradewh.sources import get_source
from tradewh.store.rows import fetch_dicts
from tradewh.store.sqlfiles import sql_text
from tradewh.warehouse import writer

log = logging.getLogger("tradewh.ops.monitor")

RUN_KEY = "run:nightly_refresh"


def _rows(con: duckdb.DuckDBPyConnection, settings: Settings, name: str) -> list[dict[str, Any]]:
    return fetch_dicts(con, sql_text(settings.sql_dir, "ops", name))


def _failure_lines(failures_json: str | None) -> list[str]:
    lines = []
    for failure in json.loads(failures_json or "[]"):
        target = f" on {failure['column']}" if failure.get("column") else ""
        lines.append(f"- {failure['expectation']}{target} [{failure['severity']}]")
        if failure.get("observed") is not None:
            lines.append(f"  observed: {failure['observed']}")
        elif failure.get("unexpected_count"):
            share = failure.get("unexpected_percent")
            share_text = f" ({share:.3g}% of rows)" if share is not None else ""
            lines.append(f"  observed: {failure['unexpected_count']} bad rows{share_text}")
        for sample in failure.get("samples", [])[:10]:
            lines.append(f"  e.g. {sample}")
    return lines


def _quarantine_alerts(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Alert]:
    by_source: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(con, settings, "quarantined_now"):
        by_source.setdefault(row["source"], []).append(row)
    found = []
    for source, rows in by_source.items():
        staging = get_source(source).staging
        body = []
        for row in rows:
            body += [
                f"{source} vintage {row['release_id']} from {row['url']} was quarantined: "
                "nothing of it was published.",
                *(_failure_lines(row["failures"]) or [row["reason"]]),
                f"Raw payload: {settings.landing_dir / row['landed_path']}",
                f"Staged rows: staging.{staging} WHERE release_id = {row['release_id']}",
                f"Inspect: tradewh quarantine show {row['quarantine_id']}",
                "",
            ]
        ids = ", ".join(str(row["release_id"]) for row in rows)
        found.append(
            Alert(
                key=f"quarantine:{source}",
                kind="validation_failed",
                severity="critical",
                title=f"tradewh: {source} vintage {ids} failed validation and was quarantined",
                body="\n".join(body).strip(),
                source=source,
                details={"quarantine_ids": [row["quarantine_id"] for row in rows]},
            )
        )
    return found


def _warning_alerts(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Alert]:
    found = []
    for row in _rows(con, settings, "warned_now"):
        found.append(
            Alert(
                key=f"warning:{row['dataset']}:{row['url']}",
                kind="validation_warning",
                severity="warning",
                title=f"tradewh: {row['source']} vintage {row['release_id']} published with "
                "warnings",
                body="\n".join(
                    [
                        f"{row['source']} vintage {row['release_id']} from {row['url']} was "
                        "published; its suite warns:",
                        *_failure_lines(row["failures"]),
                    ]
                ),
                source=row["source"],
                details={"release_id": row["release_id"]},
            )
        )
    return found


def _cross_source_alerts(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    row = con.execute(
        "SELECT failures, failed FROM ops.validations WHERE dataset = 'cross_source' "
        "ORDER BY validated_at DESC LIMIT 1"
    ).fetchone()
    if not row or not row[1]:
        return []
    return [
        Alert(
            key="warning:cross_source",
            kind="validation_warning",
            severity="warning",
            title="tradewh: two sources disagree on figures they both publish",
            body="\n".join(
                ["Cross-source checks (expectations/cross_source.json):", *_failure_lines(row[0])]
            ),
        )
    ]


def _overdue_alerts(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    return [
        Alert(
            key=f"overdue:{row['source']}",
            kind="release_overdue",
            severity="warning",
            title=f"tradewh: {row['source']} release for {row['next_period']:%B %Y} is overdue",
            body=(
                f"The newest month held from {row['source']} is {row['newest_period']:%Y-%m}. "
                f"The next release was due {row['next_release_due_at']:%Y-%m-%d %H:%M %Z} and "
                f"is {row['days_late']} days late (grace ends {row['overdue_after']:%Y-%m-%d}). "
                f"Last successful fetch: {row['last_fetched_at']}."
            ),
            source=row["source"],
            details={"next_period": row["next_period"], "days_late": row["days_late"]},
        )
        for row in freshness.status(con)
        if row["status"] == "overdue"
    ]


def problems(con: duckdb.DuckDBPyConnection, settings: Settings, run: RunSummary) -> list[Alert]:
    """Everything wrong now, as alerts."""
    found = _quarantine_alerts(con, settings) + _warning_alerts(con, settings)
    found += _cross_source_alerts(con)
    found += [
        Alert(
            key=f"fetch:{source.source}",
            kind="fetch_failed",
            severity="critical",
            title=f"tradewh: fetching {source.source} failed",
            body=f"{source.error}\nThe other sources were refreshed; this one keeps its last "
            "good data.",
            source=source.source,
        )
        for source in run.sources
        if source.error
    ]
    if settings.alerts_on_freshness:
        found += _overdue_alerts(con)
    broken = run.views_error or run.cross_source_error
    if broken:
        found.append(
            Alert(RUN_KEY, "run_failed", "critical", "tradewh: the nightly refresh failed", broken)
        )
    return found


def scope(run: RunSummary) -> Callable[[str], bool]:
    """Alerts this run can resolve: those of the sources it refreshed, and the run's own."""
    sources = {s.source for s in run.sources}

    def in_scope(key: str) -> bool:
        if key in (RUN_KEY, "warning:cross_source"):
            return True
        kind, _, rest = key.partition(":")
        if kind == "warning":
            return any(
                rest.startswith(f"{dataset}:")
                for s in sources
                for dataset in get_source(s).all_datasets()
            )
        return rest in sources

    return in_scope


def check_and_alert(settings: Settings, run: RunSummary) -> list[alerts.Notice]:
    """Reconcile the problems found after a refresh and deliver the news. Never raises."""
    try:
        with writer(settings) as con:
            freshness.load_calendar(con, settings.release_calendar)
            alerts.reconcile(con, problems(con, settings, run), scope(run))
            notices = alerts.pending(con)
            alerts.deliver(settings, con, notices)
        return notices
    except Exception:
        log.exception("alerting failed; the refresh result stands")
        return []


def alert_run_crash(settings: Settings, message: str) -> None:
    """From a flow's failure/crash hook: the run itself broke. Never raises."""
    try:
        with writer(settings) as con:
            alerts.reconcile(
                con,
                [
                    Alert(
                        RUN_KEY,
                        "run_failed",
                        "critical",
                        "tradewh: the nightly refresh failed",
                        message,
                    )
                ],
                lambda key: False,
            )
            alerts.deliver(settings, con, alerts.pending(con))
    except Exception:
        log.exception("could not record the failed run's alert")
