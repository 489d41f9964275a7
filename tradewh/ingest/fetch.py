"""Fetch a source's requests with conditional GETs and land each new body (each wanted member of a
zip); payloads an earlier run landed but never decided come first."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import date

import duckdb

from tradewh import failpoints
from tradewh.http import FetchError, FetchResult, HttpClient
from tradewh.ingest.bundles import BundleError, member_url, unpack
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
            for item in fetch_items(settings, client, source, request, validators):
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


def fetch_items(
    settings: Settings,
    client: HttpClient,
    source: Source,
    request: Request,
    validators: Validators | None = None,
) -> list[LandedPayload | NotModified]:
    """One request's payloads: its body, or each wanted member of a zip (Request.members)."""
    if request.members:
        return fetch_bundle(settings, client, source, request, validators)
    return [fetch_one(settings, client, source, request, validators)]


def fetch_one(
    settings: Settings,
    client: HttpClient,
    source: Source,
    request: Request,
    validators: Validators | None = None,
) -> LandedPayload | NotModified:
    """One request: conditional when `validators` (from last_validators) are given."""
    # Stored and keyed on the redacted requested URL, the only form we ever store.
    url = client.request_url(request.url, request.params)
    result = ask(settings, client, source, request, url, (validators or {}).get(url))
    if isinstance(result, NotModified):
        return result
    with writer(settings) as con:
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


def fetch_bundle(
    settings: Settings,
    client: HttpClient,
    source: Source,
    request: Request,
    validators: Validators | None = None,
) -> list[LandedPayload | NotModified]:
    """One zip of files (tradewh.ingest.bundles): each wanted member landed as its own payload,
    in the order asked, all before any is loaded. A body that is not a zip is landed as it came,
    for the parser to quarantine with the reason."""
    url = client.request_url(request.url, request.params)
    members = [member_url(url, name) for name in request.members]
    # The members carry the zip's validators: the zip is asked conditionally through them.
    known = next((validators[m] for m in members if validators and m in validators), None)
    result = ask(settings, client, source, request, url, known)
    if isinstance(result, NotModified):
        return [NotModified(source.name, m, result.status) for m in members]
    try:
        contents = unpack(result.content, request.members)
    except BundleError:
        return [fetch_landed(settings, source, url, result)]
    items: list[LandedPayload | NotModified] = []
    for name, where in zip(request.members, members, strict=True):
        content = contents.get(name)
        if content is None:
            items.append(NotModified(source.name, where, "no_data"))
            continue
        part = replace(result, url=where, content=content, content_type=None)
        items.append(fetch_landed(settings, source, where, part))
        if validators is not None:
            validators[where] = (result.etag, result.last_modified)
    # Unpacked whole: a run killed before this row asks the zip again on resume
    # (sql/ops/decided_urls.sql).
    record_answer(settings, source, url, result)
    return items


def fetch_landed(
    settings: Settings, source: Source, url: str, result: FetchResult
) -> LandedPayload:
    """Land one body and reach the landing failpoint."""
    with writer(settings) as con:
        landed = land(con, settings.landing_dir, source.name, url, result, source.suffix)
    failpoints.reach("fetch.after_land")
    return landed


def ask(
    settings: Settings,
    client: HttpClient,
    source: Source,
    request: Request,
    url: str,
    validators: tuple[str | None, str | None] | None,
) -> FetchResult | NotModified:
    """GET a request (conditionally with its last ETag and Last-Modified): the answer, or what
    brought nothing (304; 404/410 where missing is no data), recorded in ops.fetches."""
    if request.delay_before > 0:
        time.sleep(request.delay_before)
    etag, last_modified = validators or (None, None)
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
    if result.not_modified:
        record_answer(settings, source, url, result)
        return NotModified(source.name, url)
    return result


def record_answer(settings: Settings, source: Source, url: str, result: FetchResult) -> None:
    """An answer that stored nothing (a 304, a zip unpacked whole), with its validators."""
    with writer(settings) as con:
        record_fetch(
            con,
            source.name,
            url,
            status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
            want_id=False,
        )


def newest_period_held(con: duckdb.DuckDBPyConnection, source_name: str) -> date | None:
    """The newest month published from a source: where an incremental source resumes."""
    row = con.execute(
        "SELECT max(period) FROM core.observations WHERE source = ? AND frequency = 'M'",
        [source_name],
    ).fetchone()
    return row[0] if row else None
