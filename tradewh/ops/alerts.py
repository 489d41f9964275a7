"""Alerts: one open alert per problem, a message when it opens and one when it is resolved.

A refresh states the problems it finds now (`found`); `reconcile` compares them with the open
alerts in ops.alerts: a new problem opens an alert (and is sent), a known one only counts
another occurrence, and an open alert in scope that is no longer found is resolved (and that is
sent). Delivery goes to the log always, and to every configured channel (Apprise URLs, a Prefect
notification block), each retried a few times with short timeouts; a failed delivery is recorded,
never raised: alerting must not break the refresh it reports on.

The ledger is the outbox: `reconcile` changes ops.alerts in one transaction, and `pending`
reads from it every message not yet through (no 'log' delivery row, written after every channel
was tried). So a refresh killed between recording a problem and sending it sends it next time;
a channel whose delivery is recorded is not sent to again. Delivery is at least once: a kill
between a channel's send and its record sends that message once more.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import duckdb

from tradewh import failpoints
from tradewh.settings import Settings
from tradewh.store.statuses import AlertStatus
from tradewh.store.transaction import transaction
from tradewh.warehouse import next_id, now_utc

log = logging.getLogger("tradewh.ops.alerts")


@dataclass(frozen=True)
class Alert:
    key: str
    kind: str
    severity: str
    title: str
    body: str
    source: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """A message to send: an alert opened or resolved."""

    alert_id: int
    message: str  # opened | resolved
    title: str
    body: str


def reconcile(
    con: duckdb.DuckDBPyConnection, found: Iterable[Alert], in_scope: Callable[[str], bool]
) -> list[Notice]:
    """Record the problems found now; return what to send. Only open alerts whose key is in
    scope (the sources this refresh looked at) can be resolved."""
    with transaction(con):
        return _reconcile(con, found, in_scope)


def _reconcile(
    con: duckdb.DuckDBPyConnection, found: Iterable[Alert], in_scope: Callable[[str], bool]
) -> list[Notice]:
    now = now_utc()
    found = {alert.key: alert for alert in found}
    open_alerts = dict(
        con.execute(
            "SELECT alert_key, alert_id FROM ops.alerts WHERE status = ?", [AlertStatus.OPEN]
        ).fetchall()
    )
    notices = []
    for key, alert in found.items():
        if key in open_alerts:
            con.execute(
                "UPDATE ops.alerts SET occurrences = occurrences + 1, last_seen_at = ?, "
                "body = ?, details = ? WHERE alert_id = ?",
                [now, alert.body, json.dumps(alert.details, default=str), open_alerts[key]],
            )
            continue
        alert_id = next_id(con, "ops.alerts", "alert_id")
        con.execute(
            """
            INSERT INTO ops.alerts (alert_id, alert_key, kind, source, severity, title, body,
                                    details, status, occurrences, first_seen_at, last_seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
            """,
            [
                alert_id,
                key,
                alert.kind,
                alert.source,
                alert.severity,
                alert.title,
                alert.body,
                json.dumps(alert.details, default=str),
                AlertStatus.OPEN,
                now,
                now,
            ],
        )
        notices.append(Notice(int(alert_id), "opened", alert.title, alert.body))
    for key, alert_id in open_alerts.items():
        if key in found or not in_scope(key):
            continue
        con.execute(
            "UPDATE ops.alerts SET status = ?, resolved_at = ? WHERE alert_id = ?",
            [AlertStatus.RESOLVED, now, alert_id],
        )
        title = con.execute(
            "SELECT title FROM ops.alerts WHERE alert_id = ?", [alert_id]
        ).fetchone()[0]
        notices.append(_resolved(alert_id, title))
    return notices


def _resolved(alert_id: int, title: str) -> Notice:
    return Notice(alert_id, "resolved", f"RESOLVED: {title}", f"No longer found: {title}")


def pending(con: duckdb.DuckDBPyConnection) -> list[Notice]:
    """Every message not yet through delivery, oldest first: the ones just reconciled, and any a
    killed run left unsent."""
    rows = con.execute(
        """
        SELECT a.alert_id, m.message, a.title, a.body
        FROM ops.alerts AS a
        JOIN (VALUES ('opened'), ('resolved')) AS m(message)
          ON m.message = 'opened' OR a.status = ?
        WHERE NOT EXISTS (
            SELECT 1 FROM ops.alert_deliveries AS d
            WHERE d.alert_id = a.alert_id AND d.message = m.message AND d.channel = 'log')
        ORDER BY a.alert_id, m.message
        """,
        [AlertStatus.RESOLVED],
    ).fetchall()
    return [
        Notice(int(alert_id), "opened", title, body)
        if message == "opened"
        else _resolved(int(alert_id), title)
        for alert_id, message, title, body in rows
    ]


# --------------------------------------------------------------------------------------------
# Delivery


@dataclass(frozen=True)
class Channel:
    name: str  # as recorded: never carries a secret
    send: Callable[[str, str], None]  # (title, body); raises on failure


def _with_timeouts(url: str, timeout: float) -> str:
    """Apprise URLs take connect/read timeouts as cto/rto: bound them so a hanging receiver
    cannot hold the refresh."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.setdefault("cto", str(timeout))
    query.setdefault("rto", str(timeout))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _apprise_channel(url: str, timeout: float) -> Channel:
    import apprise

    def send(title: str, body: str) -> None:
        notifier = apprise.Apprise()
        if not notifier.add(_with_timeouts(url, timeout)):
            raise ValueError("not a valid Apprise URL")
        if not notifier.notify(title=title, body=body):
            raise RuntimeError("the channel did not accept the message")

    return Channel(f"apprise:{urlsplit(url).scheme}", send)


def _prefect_block_channel(name: str) -> Channel:
    def send(title: str, body: str) -> None:
        from prefect.blocks.core import Block

        Block.load(name).notify(body=body, subject=title)

    return Channel(f"prefect-block:{name}", send)


def channels(settings: Settings) -> list[Channel]:
    """The configured channels; an empty list means the log and ops.alerts only."""
    found = []
    if settings.alert_urls is not None:
        urls = settings.alert_urls.get_secret_value().replace(",", " ").split()
        found += [_apprise_channel(url, settings.alert_timeout) for url in urls]
    if settings.alert_block:
        found.append(_prefect_block_channel(settings.alert_block))
    return found


def deliver(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    notices: Iterable[Notice],
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Send each notice on every channel not yet recorded for it, record every delivery, and
    last the log's, which marks the notice done. Never raises."""
    configured = channels(settings)
    for notice in notices:
        done = {
            channel
            for (channel,) in con.execute(
                "SELECT channel FROM ops.alert_deliveries WHERE alert_id = ? AND message = ?",
                [notice.alert_id, notice.message],
            ).fetchall()
        }
        for channel in configured:
            if channel.name in done:
                continue
            attempts, error = 0, None
            for attempts in range(1, settings.alert_attempts + 1):
                try:
                    channel.send(notice.title, notice.body)
                    failpoints.reach("alerts.mid_delivery")
                    error = None
                    break
                except Exception as exc:  # any channel failure is recorded, not raised
                    error = f"{type(exc).__name__}: {exc}"
                    if attempts < settings.alert_attempts:
                        sleep(0.5 * attempts)
            if error:
                log.error("alert %s not delivered to %s: %s", notice.alert_id, channel.name, error)
            _record(con, notice, channel.name, attempts, error is None, error)
        log.warning("%s\n%s", notice.title, notice.body)
        _record(con, notice, "log", 1, True, None)


def _record(
    con: duckdb.DuckDBPyConnection,
    notice: Notice,
    channel: str,
    attempts: int,
    delivered: bool,
    error: str | None,
) -> None:
    con.execute(
        "INSERT INTO ops.alert_deliveries (delivery_id, alert_id, message, channel, attempts, "
        "delivered, error, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            next_id(con, "ops.alert_deliveries", "delivery_id"),
            notice.alert_id,
            notice.message,
            channel,
            attempts,
            delivered,
            error,
            now_utc(),
        ],
    )
