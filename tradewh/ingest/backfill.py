"""Fetch a source again for a range of months, a request at a time, resumable: what an earlier
backfill decided is skipped, what it landed and never decided is loaded first."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import duckdb

from tradewh.http import HttpClient
from tradewh.ingest.fetch import fetch_items, undecided_payloads
from tradewh.ingest.landing import last_validators
from tradewh.ingest.outcomes import NotModified, ReleaseOutcome
from tradewh.ingest.publish import ingest
from tradewh.settings import Settings
from tradewh.sources import get_source
from tradewh.store.sqlfiles import sql_text
from tradewh.warehouse import writer


@dataclass
class BackfillProgress:
    """Where a backfill stands: counts only, so that memory stays flat however long it runs."""

    total: int
    done: int = 0
    rows: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def add(self, outcome: ReleaseOutcome) -> None:
        self.done += 1
        self.rows += outcome.rows_published
        self.statuses[outcome.status] = self.statuses.get(outcome.status, 0) + 1

    @property
    def rate(self) -> float:
        """Rows published a second so far."""
        return self.rows / max(time.monotonic() - self.started, 1e-9)

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the pace of the items done so far (None before the first)."""
        if not self.done:
            return None
        return (time.monotonic() - self.started) / self.done * (self.total - self.done)


def decided_urls(con: duckdb.DuckDBPyConnection, settings: Settings, source_name: str) -> set[str]:
    """URLs of a source whose newest payload has been decided (published, quarantined or
    discarded): where a resumed backfill need not ask again."""
    sql = sql_text(settings.sql_dir, "ops", "decided_urls")
    return {row[0] for row in con.execute(sql, [source_name]).fetchall()}


def backfill(
    settings: Settings,
    source_name: str,
    start: date,
    end: date,
    progress: Callable[[BackfillProgress, ReleaseOutcome], None] | None = None,
    hs_level: str | None = None,
    refetch: bool = False,
) -> BackfillProgress:
    """Fetch a source again for a range of months and ingest what comes, one request at a
    time. Sources that only serve whole files (the country file, FT-900, ALFRED) are fetched
    whole.

    Resumable: payloads a stopped run landed but did not decide are ingested first; a request
    whose URL's newest payload is already decided is skipped (status 'skipped') unless
    `refetch`; the others are asked conditionally (a 304 loads nothing), and a payload already
    decided is never loaded twice."""
    source = get_source(source_name)
    if source.requests_for_range is not None:
        requests = source.requests_for_range(settings, start, end, hs_level=hs_level)
    else:
        requests = source.requests(settings, None)
    with writer(settings) as con:
        resumed = undecided_payloads(con, settings, source.name)
    # A zip's members are items of their own.
    state = BackfillProgress(total=len(resumed) + sum(len(r.members) or 1 for r in requests))

    def report(outcome: ReleaseOutcome) -> None:
        state.add(outcome)
        if progress:
            progress(state, outcome)

    for payload in resumed:
        report(ingest(settings, source.name, payload))
    # After the resumed payloads: their URLs are decided now too.
    with writer(settings) as con:
        decided = set() if refetch else decided_urls(con, settings, source.name)
        validators = last_validators(con, source.name)
    with HttpClient.from_settings(settings) as client:
        for request in requests:
            url = client.request_url(request.url, request.params)
            if url in decided:
                for _ in request.members or (url,):
                    report(ReleaseOutcome(source.name, url, "skipped"))
                continue
            for item in fetch_items(settings, client, source, request, validators):
                if isinstance(item, NotModified):
                    report(ReleaseOutcome(source.name, item.url, item.status))
                else:
                    report(ingest(settings, source.name, item))
    return state
