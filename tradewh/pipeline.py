"""The shared pipeline every source goes through: fetch -> land -> parse -> stage -> validate ->
publish, or quarantine.

Each step opens the warehouse for a short unit of work and takes plain values (names, ids,
paths), so the Prefect flow can run them as tasks. Publishing a vintage and writing its ledger
row happen in one transaction; a vintage already decided is never loaded twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import ModuleType

import duckdb

from tradewh import failpoints
from tradewh.http import FetchError, HttpClient
from tradewh.landing import LandedPayload, Validators, land, last_validators, record_fetch
from tradewh.settings import Settings
from tradewh.sources import ParseError, Request, get_source
from tradewh.validation import ValidationReport, validate_frame
from tradewh.validation_stream import validate_query
from tradewh.warehouse import next_id, now_utc, set_commit_message, writer

log = logging.getLogger("tradewh.pipeline")


class SourceFetchError(RuntimeError):
    """A source's payload could not be fetched after retries; the message names URL and cause."""


@dataclass(frozen=True)
class NotModified:
    """A request that brought nothing to load: 304 Not Modified, or 204 No Content (the Census
    API's answer for a month not yet released)."""

    source: str
    url: str
    status: str = "not_modified"  # not_modified | no_data


@dataclass
class ReleaseOutcome:
    """What happened to one fetched payload."""

    source: str
    url: str
    status: str  # published | quarantined | unchanged | not_modified
    release_id: int | None = None
    sha256: str | None = None
    period_end: date | None = None
    rows_published: int = 0
    checks_evaluated: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    # Seconds spent in each stage of ingest: parse, stage, validate (audit query and suite),
    # publish.
    timings: dict[str, float] = field(default_factory=dict)


# Called with a stage's name as it starts (a benchmark's memory sampler listens here).
stage_listeners: list[Callable[[str], None]] = []


@contextmanager
def _stage(outcome: ReleaseOutcome, name: str) -> Iterator[None]:
    for listener in stage_listeners:
        listener(name)
    started = time.perf_counter()
    try:
        yield
    finally:
        outcome.timings[name] = outcome.timings.get(name, 0.0) + time.perf_counter() - started


class Quarantined(RuntimeError):
    """A vintage was held back; raised so the source's task fails with the reason."""

    def __init__(self, outcome: ReleaseOutcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


def sql_file(settings: Settings, staging: str, step: str) -> str:
    """sql/pipeline/<staging>/<step>.sql: how a staging family stages, audits and publishes."""
    return (settings.sql_dir / "pipeline" / staging / f"{step}.sql").read_text()


def audit_sql(settings: Settings, source: ModuleType, dataset: str) -> str:
    """The frame a dataset's suite validates: sql/pipeline/<staging>/audit.sql, or the audit a
    source names for a dataset with identities of its own (source.AUDITS, the FT-900 exhibit
    families: audit_exhibits.sql)."""
    return sql_file(settings, source.STAGING, getattr(source, "AUDITS", {}).get(dataset, "audit"))


def suite_path(settings: Settings, dataset: str) -> Path:
    return settings.expectations_dir / f"{dataset}.json"


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
            newest_period = newest_period_held(con, source.NAME)
            resumed = undecided_payloads(con, settings, source.NAME)
            validators = last_validators(con, source.NAME)
        fetched: list[LandedPayload | NotModified] = list(resumed)
        resumed_shas = {payload.sha256 for payload in resumed}

        def get(request: Request) -> None:
            item = _fetch_one(settings, client, source, request, validators)
            # Served again (a 200 despite the conditional GET): already on the list.
            if not (isinstance(item, LandedPayload) and item.sha256 in resumed_shas):
                fetched.append(item)

        for request in source.requests(settings, newest_period):
            get(request)
        if hasattr(source, "follow"):
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
                AND r.status IN ('published', 'quarantined', 'discarded'))
        QUALIFY row_number() OVER (PARTITION BY f.sha256 ORDER BY f.fetch_id) = 1
        ORDER BY f.fetch_id
        """,
        [source_name],
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


def _fetch_one(
    settings: Settings,
    client: HttpClient,
    source: ModuleType,
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
                source.NAME,
                url,
                status=exc.status,
                error=None if missing else str(exc),
                want_id=False,
            )
        if missing:
            return NotModified(source.NAME, url, "no_data")
        raise SourceFetchError(f"{source.NAME}: {exc}") from exc
    with writer(settings) as con:
        if result.not_modified:
            record_fetch(
                con,
                source.NAME,
                url,
                status=result.status,
                etag=result.etag,
                last_modified=result.last_modified,
                want_id=False,
            )
            return NotModified(source.NAME, url)
        # "No data yet" is an empty 204 (the Census API's way); an empty 200 where a file
        # should be is a broken payload, landed and quarantined like any other.
        if not result.content and (
            result.status == 204 or getattr(source, "EMPTY_MEANS_NO_DATA", False)
        ):
            record_fetch(con, source.NAME, url, status=result.status, want_id=False)
            return NotModified(source.NAME, url, "no_data")
        landed = land(con, settings.landing_dir, source.NAME, url, result, source.SUFFIX)
    if validators is not None:  # the same URL asked again in this run is asked conditionally
        validators[url] = (result.etag, result.last_modified)
    failpoints.reach("fetch.after_land")
    return landed


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
    sql = (settings.sql_dir / "ops" / "decided_urls.sql").read_text()
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
    if hasattr(source, "requests_for_range"):
        requests = source.requests_for_range(settings, start, end, **_hs(source, hs_level))
    else:
        requests = source.requests(settings, None)
    with writer(settings) as con:
        resumed = undecided_payloads(con, settings, source.NAME)
    state = BackfillProgress(total=len(resumed) + len(requests))

    def ingested(payload: LandedPayload) -> ReleaseOutcome:
        try:
            return ingest(settings, source.NAME, payload)
        except Quarantined as exc:
            return exc.outcome

    def report(outcome: ReleaseOutcome) -> None:
        state.add(outcome)
        if progress:
            progress(state, outcome)

    for payload in resumed:
        report(ingested(payload))
    # After the resumed payloads: their URLs are decided now too.
    with writer(settings) as con:
        decided = set() if refetch else decided_urls(con, settings, source.NAME)
        validators = last_validators(con, source.NAME)
    with HttpClient.from_settings(settings) as client:
        for request in requests:
            url = client.request_url(request.url, request.params)
            if url in decided:
                report(ReleaseOutcome(source.NAME, url, "skipped"))
                continue
            item = _fetch_one(settings, client, source, request, validators)
            if isinstance(item, NotModified):
                report(ReleaseOutcome(source.NAME, item.url, item.status))
            else:
                report(ingested(item))
    return state


def _hs(source: ModuleType, hs_level: str | None) -> dict[str, str]:
    return {"hs_level": hs_level} if hs_level else {}


def newest_period_held(con: duckdb.DuckDBPyConnection, source_name: str) -> date | None:
    """The newest month published from a source: where an incremental source resumes."""
    row = con.execute(
        "SELECT max(period) FROM core.observations WHERE source = ? AND frequency = 'M'",
        [source_name],
    ).fetchone()
    return row[0] if row else None


def _label(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or url


def _published_at(payload: LandedPayload, fallback: datetime) -> datetime:
    if payload.last_modified:
        try:
            return parsedate_to_datetime(payload.last_modified)
        except (TypeError, ValueError):
            log.warning("unreadable Last-Modified %r from %s", payload.last_modified, payload.url)
    return fallback


def _register(
    con: duckdb.DuckDBPyConnection,
    source: ModuleType,
    payload: LandedPayload,
    seen: datetime | None = None,
) -> tuple[int, str]:
    """The vintage id of this payload and its status, creating it ('staged') when new."""
    row = con.execute(
        "SELECT release_id, status FROM ops.releases WHERE source = ? AND sha256 = ?",
        [source.NAME, payload.sha256],
    ).fetchone()
    if row:
        return int(row[0]), str(row[1])
    seen = seen or now_utc()
    release_id = next_id(con, "ops.releases", "release_id")
    con.execute(
        """
        INSERT INTO ops.releases
            (release_id, source, sha256, url, first_seen_at, published_at, status)
        VALUES (?, ?, ?, ?, ?, ?, 'new')
        """,
        [release_id, source.NAME, payload.sha256, payload.url, seen, _published_at(payload, seen)],
    )
    return release_id, "new"


def _quarantine(
    con: duckdb.DuckDBPyConnection,
    source: ModuleType,
    release_id: int,
    payload: LandedPayload,
    reason: str,
    failures_json: str | None,
    dataset: str | None = None,
    report: ValidationReport | None = None,
    staged: Staged | None = None,
) -> None:
    """Hold a vintage back, in one transaction: its validation `report`, the batch staged in
    this connection (`staged`: into staging.<family>, where `tradewh quarantine show` and
    `release` find it; the one time its rows are written before a decision), the
    quarantine entry and the vintage's status."""
    con.execute("BEGIN TRANSACTION")
    if staged is not None:
        staging_table = f"staging.{source.STAGING}"
        con.execute(f"DELETE FROM {staging_table} WHERE release_id = ?", [release_id])
        con.execute(f"INSERT INTO {staging_table} FROM staged_batch")
        _record_staged(con, release_id, staged)
    if report is not None:
        _record_validation(con, release_id, report)
    con.execute(
        """
        INSERT INTO ops.quarantine
            (quarantine_id, release_id, source, dataset, reason, failures, landed_path,
             created_at, status)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')
        """,
        [
            next_id(con, "ops.quarantine", "quarantine_id"),
            release_id,
            source.NAME,
            dataset or source.DATASET,
            reason,
            failures_json,
            payload.relative_path,
            now_utc(),
        ],
    )
    failpoints.reach("quarantine.mid")
    con.execute("UPDATE ops.releases SET status = 'quarantined' WHERE release_id = ?", [release_id])
    set_commit_message(
        con, f"{source.NAME} vintage {release_id} quarantined", release_id=release_id
    )
    con.execute("COMMIT")


def _record_validation(
    con: duckdb.DuckDBPyConnection, release_id: int | None, report: ValidationReport
) -> None:
    con.execute(
        "INSERT INTO ops.validations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            release_id,
            report.dataset,
            report.suite,
            now_utc(),
            report.success,
            report.evaluated,
            report.passed,
            report.failed,
            report.max_severity,
            report.failures_json(),
        ],
    )


@dataclass(frozen=True)
class Staged:
    """What the ledger keeps of a batch staged in this connection (the temp table
    staged_batch): its coverage and row count."""

    period_start: date | None
    period_end: date | None
    rows: int


def _record_staged(con: duckdb.DuckDBPyConnection, release_id: int, staged: Staged) -> None:
    con.execute(
        "UPDATE ops.releases SET period_start = ?, period_end = ?, row_count = ? "
        "WHERE release_id = ?",
        [staged.period_start, staged.period_end, staged.rows, release_id],
    )


def publish_release(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    source: ModuleType,
    release_id: int,
    dataset: str | None = None,
    report: ValidationReport | None = None,
    staged: Staged | None = None,
) -> int:
    """Publish a vintage into core with its ledger rows (ops.loads, the vintage's status, its
    validation `report` when given) in one transaction; rows published.

    With `staged`, the rows are the batch this connection staged (temp table staged_batch);
    without, a quarantined vintage released by a person: its rows are read back from
    staging.<family> and cleared from there in the same transaction.
    dataset: the payload's own dataset where its source has several (FT-900 exhibit families)."""
    dataset = dataset or source.DATASET
    core_table = getattr(source, "CORE_TABLE", "core.observations")
    staging_table = f"staging.{source.STAGING}"
    if staged is None:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE staged_batch AS FROM {staging_table} "
            "WHERE release_id = ?",
            [release_id],
        )
    con.execute("SET VARIABLE release_id = ?", [release_id])
    con.execute("SET VARIABLE dataset = ?", [dataset])
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(sql_file(settings, source.STAGING, "publish"))
        rows = con.execute(
            f"SELECT count(*) FROM {core_table} WHERE release_id = ?", [release_id]
        ).fetchone()[0]
        failpoints.reach("publish.mid")
        if staged is None:
            con.execute(f"DELETE FROM {staging_table} WHERE release_id = ?", [release_id])
        else:
            _record_staged(con, release_id, staged)
        if report is not None:
            _record_validation(con, release_id, report)
        con.execute(
            """
            INSERT INTO ops.loads
                (load_id, release_id, source, dataset, rows_published, loaded_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                next_id(con, "ops.loads", "load_id"),
                release_id,
                source.NAME,
                dataset,
                rows,
                now_utc(),
            ],
        )
        con.execute(
            "UPDATE ops.releases SET status = 'published' WHERE release_id = ?", [release_id]
        )
        set_commit_message(
            con,
            f"{source.NAME} vintage {release_id} published: {rows} rows",
            release_id=release_id,
            source=source.NAME,
            rows=int(rows),
        )
        failpoints.reach("publish.before_commit")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute("DROP TABLE IF EXISTS staged_batch")
    return int(rows)


CROSS_SOURCE = "cross_source"


def cross_check(settings: Settings) -> ValidationReport:
    """Validate what several sources publish alike (sql/checks/cross_source.sql) with its
    suite, after publishing; recorded in ops.validations without a release."""
    with writer(settings) as con:
        sql = (settings.sql_dir / "checks" / f"{CROSS_SOURCE}.sql").read_text()
        frame = con.execute(sql).df()
    report = validate_frame(frame, CROSS_SOURCE, suite_path(settings, CROSS_SOURCE))
    with writer(settings) as con:
        _record_validation(con, None, report)
    return report


@dataclass(frozen=True)
class Due:
    """The steps after publishing that are behind what is published: a run killed after a
    publish leaves them undone, and the next run, finding nothing new, must still do them."""

    cross_check: bool
    news: bool
    report: bool


def due(settings: Settings) -> Due:
    # The claim extractor's version, without importing the extractor (spaCy) on a quiet night.
    from tradewh.claims.model import EXTRACTOR_VERSION

    with writer(settings) as con:
        cross_check, news, newest_load = con.execute(
            (settings.sql_dir / "ops" / "due.sql").read_text(), [EXTRACTOR_VERSION]
        ).fetchone()
    report = settings.report_path
    stale = not report.exists() or (
        newest_load is not None and report.stat().st_mtime < newest_load.timestamp()
    )
    return Due(cross_check=bool(cross_check), news=bool(news), report=stale)


def ingest(
    settings: Settings,
    source_name: str,
    payload: LandedPayload,
    first_seen: datetime | None = None,
) -> ReleaseOutcome:
    """Write-audit-publish one landed payload. Raises Quarantined when it is held back.
    `first_seen`: when the payload was first fetched, where that was not now (a rebuild)."""
    source = get_source(source_name)
    outcome = ReleaseOutcome(source.NAME, payload.url, "unchanged", sha256=payload.sha256)
    # One connection for the whole payload: on the lake each one costs an attach (0.3-1 s).
    with writer(settings) as con:
        return _ingest(con, settings, source, payload, outcome, first_seen)


def _ingest(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    source: ModuleType,
    payload: LandedPayload,
    outcome: ReleaseOutcome,
    first_seen: datetime | None,
) -> ReleaseOutcome:
    release_id, status = _register(con, source, payload, first_seen)
    outcome.release_id = release_id
    failpoints.reach("ingest.after_register")
    if status in ("published", "quarantined"):
        outcome.message = f"vintage {release_id} already {status}"
        return outcome

    try:
        with _stage(outcome, "parse"):
            # A source that can read the landed file where it lies does (never the body in
            # memory); the others parse its bytes.
            if hasattr(source, "parse_path"):
                parsed = source.parse_path(payload.path, url=payload.url)
            else:
                parsed = source.parse(payload.read(), url=payload.url)
    except Exception as exc:  # any parser failure on bad input quarantines, never crashes
        what = str(exc) if isinstance(exc, ParseError) else f"parser failed: {exc!r}"
        reason = (
            f"{source.NAME}: payload {payload.sha256[:12]} is not in the expected format: {what}"
        )
        _quarantine(con, source, release_id, payload, reason, None)
        outcome.status, outcome.message = "quarantined", reason
        raise Quarantined(outcome) from exc

    # A source may publish payloads of several kinds, each with its own suite (the FT-900
    # exhibits): the parser says which.
    dataset = parsed.dataset or source.DATASET
    staged = Staged(parsed.period_start, parsed.period_end, parsed.table.num_rows)
    outcome.period_end = parsed.period_end
    # The batch is staged into the connection's in-memory temp table (staged_batch), validated
    # there and written to the lake once, by the publish (or, on the rare quarantine, into
    # staging where `tradewh quarantine show` finds it).
    con.execute("SET VARIABLE release_id = ?", [release_id])
    con.execute("SET VARIABLE dataset = ?", [dataset])
    with _stage(outcome, "stage"):
        con.register("batch", parsed.table)
        con.execute(sql_file(settings, source.STAGING, "stage"))
        con.unregister("batch")
        del parsed  # the staged copy is the only one from here on
        failpoints.reach("stage.mid")
    with _stage(outcome, "validate"):
        seen_at = con.execute(
            "SELECT first_seen_at FROM ops.releases WHERE release_id = ?", [release_id]
        ).fetchone()[0]
        report = validate_query(
            con,
            audit_sql(settings, source, dataset),
            dataset,
            suite_path(settings, dataset),
            settings.sql_dir,
            parameters={"max_period": seen_at.strftime("%Y-%m-01T00:00:00")},
        )
    outcome.checks_evaluated = report.evaluated
    outcome.checks_passed = report.passed
    outcome.checks_failed = report.failed
    outcome.warnings = [f.describe() for f in report.failures if f.severity != "critical"]
    if not report.success:
        reason = (
            f"{source.NAME} vintage {release_id} (sha256 {payload.sha256[:12]}) quarantined: "
            + report.message()
        )
        _quarantine(
            con,
            source,
            release_id,
            payload,
            reason,
            report.failures_json(),
            dataset,
            report=report,
            staged=staged,
        )
        outcome.status, outcome.message = "quarantined", reason
        raise Quarantined(outcome)
    with _stage(outcome, "publish"):
        rows = publish_release(
            con, settings, source, release_id, dataset, report=report, staged=staged
        )
    failpoints.reach("publish.after_commit")
    outcome.status, outcome.rows_published = "published", int(rows)
    covers = f", data to {staged.period_end:%Y-%m}" if staged.period_end else ""
    outcome.message = (
        f"vintage {release_id} ({_label(payload.url)}{covers}) published: {rows:,} rows"
    )
    if outcome.warnings:
        outcome.message += f" ({len(outcome.warnings)} warnings)"
    return outcome
