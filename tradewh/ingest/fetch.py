"""Fetch a source's requests with conditional GETs and land each new body; payloads an earlier run
landed but never decided come first."""

from __future__ import annotations

import logging
import time
from datetime import date

import duckdb

from tradewh import failpoints
from tradewh.http import FetchError, HttpClient
from tradewh.ingest.landing import LandedPayload, Validators, land, last_validators, record_fetch
from tradewh.ingest.outcomes import NotModified, SourceFetchError
from tradewh.settings import Settings
from tradewh.sources import Request, get_source
from tradewh.sources.spec import Source
from tradewh.store.statuses import DECIDED
from tradewh.warehouse import writer

log = logging.getLogger("tradewh.ingest.fetch")


def fetch(
    settings: Settings, source_name: str, client: HttpClient | None = None
) -> list[LandedPayload | NotModified]:
    """Fetch every request of a source with a conditional GET and land each new body; then, for
    a source that links to more payloads (news feeds to article pages), what it follows.

    Payloads landed by an earlier run that never reached a decision (it was killed between
    landing and publishing) come first: their URLs now answer 304, so the landing store is the
    only place they are still to be found."""
    source = get_source(source_name)
    own_client = client is None
    client = client or HttpClient.from_settings(settings)
    try:
        with writer(settings) as con:
            newest_period = newest_period_held(con, source.name)
            resumed = undecided_payloads(con, settings, source.name)
            validators = last_validators(con, source.name)
        fetched: list[LandedPayload | NotModified] = list(resumed)
        resumed_shas = {payload.sha256 for payload in resumed}

        def get(request: Request) -> None:
            item = fetch_one(settings, client, source, request, validators)
            # Served again (a 200 despite the conditional GET): already on the list.
            if not (isinstance(item, LandedPayload) and item.sha256 in resumed_shas):
                fetched.append(item)

        for request in source.requests(settings, newest_period):
            get(request)
        if source.follow is not None:
            landed = [item for item in fetched if isinstance(item, LandedPayload)]
            for request in source.follow(settings, landed, client):
                get(request)
    finally:
        if own_client:
            client.close()
    return fetched


def undecided_payloads(
    con: duckdb.DuckDBPyConnection, settings: Settings, source_name: str
) -> list[LandedPayload]:
    """Landed payloads of a source with no decision yet (not published, quarantined or
    discarded), oldest first: the work a killed run left."""
    rows = con.execute(
        """
        SELECT f.url, f.sha256, f.landed_path, f.bytes, f.last_modified, f.fetch_id
        FROM ops.fetches AS f
        WHERE f.source = ? AND f.sha256 IS NOT NULL
          AND NOT EXISTS (
              SELECT 1 FROM ops.releases AS r
              WHERE r.source = f.source AND r.sha256 = f.sha256
                AND r.status IN (?, ?, ?))
        QUALIFY row_number() OVER (PARTITION BY f.sha256 ORDER BY f.fetch_id) = 1
        ORDER BY f.fetch_id
        """,
        [source_name, *DECIDED],
    ).fetchall()
    payloads = []
    for url, sha, relative, size, last_modified, fetch_id in rows:
        path = settings.landing_dir / relative
        if not path.is_file():
            log.error("%s: landed payload %s is missing from %s", source_name, sha[:12], path)
            continue
        log.warning(
            "%s: resuming payload %s left undecided by an earlier run", source_name, sha[:12]
        )
        payloads.append(
            LandedPayload(
                source=source_name,
                url=url,
                sha256=sha,
                path=path,
                relative_path=relative,
                bytes=int(size or 0),
                last_modified=last_modified,
                fetch_id=int(fetch_id),
            )
        )
    return payloads


def fetch_one(
    settings: Settings,
    client: HttpClient,
    source: Source,
    request: Request,
    validators: Validators | None = None,
) -> LandedPayload | NotModified:
    """One request: conditional when `validators` (from last_validators) are given."""
    if request.delay_before > 0:
        time.sleep(request.delay_before)
    # Stored and keyed on the redacted requested URL, the only form we ever store.
    url = client.request_url(request.url, request.params)
    etag, last_modified = (validators or {}).get(url, (None, None))
    try:
        result = client.get(
            request.url, params=request.params, etag=etag, last_modified=last_modified
        )
    except FetchError as exc:
        missing = request.missing_is_no_data and exc.status in (404, 410)
        with writer(settings) as con:
            record_fetch(
                con,
                source.name,
                url,
                status=exc.status,
                error=None if missing else str(exc),
                want_id=False,
            )
        if missing:
            return NotModified(source.name, url, "no_data")
        raise SourceFetchError(f"{source.name}: {exc}") from exc
    with writer(settings) as con:
        if result.not_modified:
            record_fetch(
                con,
                source.name,
                url,
                status=result.status,
                etag=result.etag,
                last_modified=result.last_modified,
                want_id=False,
            )
            return NotModified(source.name, url)
        # "No data yet" is an empty 204 (the Census API's way); an empty 200 where a file
        # should be is a broken payload, landed and quarantined like any other.
        if not result.content and (result.status == 204 or source.empty_means_no_data):
            record_fetch(con, source.name, url, status=result.status, want_id=False)
            return NotModified(source.name, url, "no_data")
        landed = land(con, settings.landing_dir, source.name, url, result, source.suffix)
    if validators is not None:  # the same URL asked again in this run is asked conditionally
        validators[url] = (result.etag, result.last_modified)
    failpoints.reach("fetch.after_land")
    return landed


def newest_period_held(con: duckdb.DuckDBPyConnection, source_name: str) -> date | None:
    """The newest month published from a source: where an incremental source resumes."""
    row = con.execute(
        "SELECT max(period) FROM core.observations WHERE source = ? AND frequency = 'M'",
        [source_name],
    ).fetchone()
    return row[0] if row else None
