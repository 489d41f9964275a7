"""What an operator (or a monitor) needs to know at a glance, and whether it needs attention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tradewh.ops import freshness
from tradewh.settings import Settings
from tradewh.store.lock import holder
from tradewh.store.rows import fetch_dicts
from tradewh.store.statuses import AlertStatus, QuarantineStatus
from tradewh.warehouse import now_utc, reader, warehouse_bytes

# A run still "running" after this long is taken for crashed (a kill leaves no end time).
STALE_RUN = timedelta(hours=6)


def collect(settings: Settings) -> dict[str, Any]:
    con = reader(settings)
    try:
        runs = fetch_dicts(
            con,
            "SELECT run_id, started_at, finished_at, state, "
            "date_diff('second', started_at, finished_at) AS seconds "
            "FROM ops.runs ORDER BY run_id DESC LIMIT 5",
        )
        alerts = fetch_dicts(
            con,
            "SELECT alert_id, kind, source, severity, title, occurrences, first_seen_at, "
            "last_seen_at FROM ops.alerts WHERE status = ? ORDER BY alert_id",
            [AlertStatus.OPEN],
        )
        quarantined = fetch_dicts(
            con,
            "SELECT quarantine_id, release_id, source, dataset, created_at "
            "FROM ops.quarantine WHERE status = ? ORDER BY quarantine_id",
            [QuarantineStatus.OPEN],
        )
        fresh = freshness.status(con)
        # News has no release calendar (articles come when they come): shown by when it was
        # last fetched and the newest article held, never overdue.
        news = con.execute(
            "SELECT max(published_at), "
            "(SELECT max(fetched_at) FROM ops.fetches WHERE source = 'news' AND error IS NULL) "
            "FROM core.news_articles"
        ).fetchone()
    finally:
        con.close()
    reasons = []
    if runs:
        last = runs[0]
        if last["state"] == "failed":
            reasons.append(f"the last run ({last['run_id']}) failed")
        elif last["state"] == "running" and now_utc() - last["started_at"] > STALE_RUN:
            reasons.append(f"run {last['run_id']} never finished (crashed?)")
    else:
        reasons.append("no refresh has run yet")
    if alerts:
        reasons.append(f"{len(alerts)} open alert(s)")
    if quarantined:
        reasons.append(f"{len(quarantined)} quarantined vintage(s) awaiting a decision")
    fresh.append(
        {
            **dict.fromkeys(fresh[0] if fresh else ()),  # the columns of the other rows
            "source": "news",
            "newest_period": news[0].date() if news[0] else None,
            "last_fetched_at": news[1],
            "status": "no_calendar" if news[1] else "no_data",
        }
    )
    late = [row["source"] for row in fresh if row["status"] == "overdue"]
    off = []
    if settings.alerts_on_freshness:
        if late:
            reasons.append(f"overdue: {', '.join(late)}")
    else:
        # Said, not just skipped: a freshness table of overdue sources under "OK" reads as a
        # contradiction unless the status says why it is not a problem here.
        note = "alerts on overdue releases (TRADEWH_FRESHNESS_ALERTS=true turns them on)"
        if late:
            why = " (the sample archive is old by design)" if settings.profile == "sample" else ""
            note += f"; overdue but not alerted: {', '.join(late)}{why}"
        off.append(note)
    return {
        "warehouse": str(settings.warehouse),
        "warehouse_bytes": warehouse_bytes(settings),
        "writer": holder(settings),
        "runs": runs,
        "freshness": fresh,
        "open_alerts": alerts,
        "quarantined": quarantined,
        "needs_attention": bool(reasons),
        "reasons": reasons,
        "profile": settings.profile,
        "deliberately_off": off,
    }
