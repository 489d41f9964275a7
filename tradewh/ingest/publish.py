"""Write-audit-publish one landed payload: parse, stage (a view over what was read: nothing is
copied), validate with its suite, then publish with its ledger rows in one transaction, or
quarantine it with the reason."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import duckdb

from tradewh import failpoints
from tradewh.ingest import ledger, memory
from tradewh.ingest.landing import LandedPayload
from tradewh.ingest.outcomes import ReleaseOutcome, _stage
from tradewh.ingest.validation import ValidationReport
from tradewh.ingest.validation_stream import validate_query
from tradewh.settings import Settings
from tradewh.sources import ParseError, get_source
from tradewh.sources.spec import Source
from tradewh.store.sqlfiles import sql_text
from tradewh.store.statuses import QuarantineStatus, ReleaseStatus
from tradewh.store.transaction import transaction
from tradewh.warehouse import WarehouseError, next_id, now_utc, set_commit_message, writer

log = logging.getLogger("tradewh.ingest.publish")


def sql_file(settings: Settings, staging: str, step: str) -> str:
    """sql/pipeline/<staging>/<step>.sql: how a staging family stages, audits and publishes."""
    return sql_text(settings.sql_dir, "pipeline", staging, step)


def audit_sql(settings: Settings, source: Source, dataset: str) -> str:
    """The frame a dataset's suite validates: sql/pipeline/<staging>/audit.sql, or the audit a
    source names for a dataset with identities of its own (Source.audits, the FT-900 exhibit
    families: audit_exhibits.sql)."""
    return sql_file(settings, source.staging, source.audit(dataset))


def suite_path(settings: Settings, dataset: str) -> Path:
    return settings.expectations_dir / f"{dataset}.json"


def _label(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or url


def _quarantine(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    release_id: int,
    payload: LandedPayload,
    reason: str,
    failures_json: str | None,
    dataset: str | None = None,
    report: ValidationReport | None = None,
    staged: ledger.Staged | None = None,
) -> None:
    """Hold a vintage back, in one transaction: its validation `report`, the batch staged in
    this connection (`staged`: the view staged_batch, written into staging.<family>, where
    `tradewh quarantine show` and `release` find it), the quarantine entry and the vintage's
    status."""
    message = f"{source.name} vintage {release_id} quarantined"
    with transaction(con, message, release_id=release_id):
        if staged is not None:
            staging_table = f"staging.{source.staging}"
            con.execute(f"DELETE FROM {staging_table} WHERE release_id = ?", [release_id])
            con.execute(f"INSERT INTO {staging_table} BY NAME FROM staged_batch")
            ledger.record_staged(con, release_id, staged)
        if report is not None:
            ledger.record_validation(con, release_id, report)
        con.execute(
            """
            INSERT INTO ops.quarantine
                (quarantine_id, release_id, source, dataset, reason, failures, landed_path,
                 created_at, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                next_id(con, "ops.quarantine", "quarantine_id"),
                release_id,
                source.name,
                dataset or source.dataset,
                reason,
                failures_json,
                payload.relative_path,
                now_utc(),
                QuarantineStatus.OPEN,
            ],
        )
        failpoints.reach("quarantine.mid")
        ledger.set_status(con, release_id, ReleaseStatus.QUARANTINED)


def publish_release(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    source: Source,
    release_id: int,
    dataset: str | None = None,
    report: ValidationReport | None = None,
    staged: ledger.Staged | None = None,
) -> int:
    """Publish a vintage into core with its ledger rows (ops.loads, the vintage's status, its
    validation `report` when given) in one transaction; rows published.

    With `staged`, the rows are the batch this connection staged (the temp view staged_batch
    over the parsed batch); without, a quarantined vintage released by a person: its rows are
    read back from staging.<family> and cleared from there in the same transaction.
    dataset: the payload's own dataset where its source has several (FT-900 exhibit families)."""
    dataset = dataset or source.dataset
    core_table = source.core_table
    staging_table = f"staging.{source.staging}"
    con.execute("SET VARIABLE release_id = ?", [release_id])
    if staged is None:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW staged_batch AS FROM {staging_table} "
            "WHERE release_id = getvariable('release_id')"
        )
    con.execute("SET VARIABLE dataset = ?", [dataset])
    try:
        with transaction(con):
            con.execute(sql_file(settings, source.staging, "publish"))
            rows = con.execute(
                f"SELECT count(*) FROM {core_table} WHERE release_id = ?", [release_id]
            ).fetchone()[0]
            failpoints.reach("publish.mid")
            if staged is None:
                con.execute(f"DELETE FROM {staging_table} WHERE release_id = ?", [release_id])
            else:
                ledger.record_staged(con, release_id, staged)
            if report is not None:
                ledger.record_validation(con, release_id, report)
            con.execute(
                """
                INSERT INTO ops.loads
                    (load_id, release_id, source, dataset, rows_published, loaded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    next_id(con, "ops.loads", "load_id"),
                    release_id,
                    source.name,
                    dataset,
                    rows,
                    now_utc(),
                ],
            )
            if ledger.set_status(con, release_id, ReleaseStatus.PUBLISHED) != 1:
                # publish.sql joins the ledger row: without it the vintage would publish
                # nothing, silently. Roll back and say so.
                raise WarehouseError(
                    f"{source.name} vintage {release_id} has no ledger row in ops.releases; "
                    "nothing was published"
                )
            # The label counts the rows just published: set here, not by transaction().
            set_commit_message(
                con,
                f"{source.name} vintage {release_id} published: {rows} rows",
                release_id=release_id,
                source=source.name,
                rows=int(rows),
            )
            failpoints.reach("publish.before_commit")
    finally:
        con.execute("DROP VIEW IF EXISTS staged_batch")
    return int(rows)


def ingest(
    settings: Settings,
    source_name: str,
    payload: LandedPayload,
    first_seen: datetime | None = None,
) -> ReleaseOutcome:
    """Write-audit-publish one landed payload: its outcome, published, unchanged (decided
    before) or quarantined (held back, with the reason; bad input is an outcome, not an error).
    `first_seen`: when the payload was first fetched, where that was not now (a rebuild)."""
    source = get_source(source_name)
    outcome = ReleaseOutcome(source.name, payload.url, "unchanged", sha256=payload.sha256)
    # One connection for the whole payload: on the lake each one costs an attach (0.3-1 s).
    with writer(settings) as con:
        return _ingest(con, settings, source, payload, outcome, first_seen)


def _ingest(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    source: Source,
    payload: LandedPayload,
    outcome: ReleaseOutcome,
    first_seen: datetime | None,
) -> ReleaseOutcome:
    release_id, status, seen_at = ledger.register(con, source, payload, first_seen)
    outcome.release_id = release_id
    failpoints.reach("ingest.after_register")
    if status in (ReleaseStatus.PUBLISHED, ReleaseStatus.QUARANTINED):
        outcome.message = f"vintage {release_id} already {status}"
        return outcome

    con.execute("SET VARIABLE release_id = ?", [release_id])
    try:
        with _stage(outcome, "parse"):
            # A source that can stage the landed file straight from where it lies does (no
            # Arrow table of the batch: bounded memory), else one that can read it there does
            # (never the body in memory); the others parse its bytes.
            direct = (
                source.stage_path(con, payload.path, url=payload.url)
                if source.stage_path is not None
                else None
            )
            parsed = None
            if direct is None and source.parse_path is not None:
                parsed = source.parse_path(payload.path, url=payload.url)
            elif direct is None:
                parsed = source.parse(payload.read(), url=payload.url)
    except Exception as exc:  # any parser failure on bad input quarantines, never crashes
        what = str(exc) if isinstance(exc, ParseError) else f"parser failed: {exc!r}"
        reason = (
            f"{source.name}: payload {payload.sha256[:12]} is not in the expected format: {what}"
        )
        log.info("quarantined after a parse failure", exc_info=exc)
        _quarantine(con, source, release_id, payload, reason, None)
        outcome.status, outcome.message = "quarantined", reason
        return outcome

    # A source may publish payloads of several kinds, each with its own suite (the FT-900
    # exhibits): the parser says which.
    read = direct if direct is not None else parsed
    assert read is not None
    dataset = read.dataset or source.dataset
    rows = direct.rows if direct is not None else parsed.table.num_rows  # type: ignore[union-attr]
    staged = ledger.Staged(read.period_start, read.period_end, rows)
    outcome.period_end = read.period_end
    # The batch is staged as a view (staged_batch) over what the parser made of the payload
    # (its Arrow table, or census_api's rows read by DuckDB from the landed file), validated
    # there and written to the lake once, by the publish (or, on the rare quarantine, into
    # staging where `tradewh quarantine show` finds it). Both stay until the batch is decided.
    con.execute("SET VARIABLE dataset = ?", [dataset])
    if direct is None:
        con.register("batch", parsed.table)  # type: ignore[union-attr]
    try:
        return _decide(
            con, settings, source, payload, outcome, release_id, seen_at, staged, dataset
        )
    finally:
        con.execute("DROP VIEW IF EXISTS staged_batch")
        if direct is None:
            con.unregister("batch")
        else:
            direct.release(con)
        # What the batch held (the parser's Arrow table, or the freed pages of DuckDB's read of
        # the file, which glibc otherwise keeps): a backfill's next payload starts from the same
        # footprint (measured: without it, RSS crept from 657 MB to 867 MB over 24 payloads).
        memory.release(rows)


def _decide(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    source: Source,
    payload: LandedPayload,
    outcome: ReleaseOutcome,
    release_id: int,
    seen_at: datetime,
    staged: ledger.Staged,
    dataset: str,
) -> ReleaseOutcome:
    """Validate the batch staged on `con` and publish it, or quarantine it."""
    with _stage(outcome, "stage"):
        con.execute(sql_file(settings, source.staging, "stage"))
        failpoints.reach("stage.mid")
    with _stage(outcome, "validate"):
        report = validate_query(
            con,
            audit_sql(settings, source, dataset),
            dataset,
            suite_path(settings, dataset),
            settings.sql_dir,
            parameters={"max_period": seen_at.strftime("%Y-%m-01T00:00:00")},
            expected_rows=staged.rows,
        )
    outcome.checks_evaluated = report.evaluated
    outcome.checks_passed = report.passed
    outcome.checks_failed = report.failed
    outcome.warnings = [f.describe() for f in report.failures if f.severity != "critical"]
    if not report.success:
        reason = (
            f"{source.name} vintage {release_id} (sha256 {payload.sha256[:12]}) quarantined: "
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
        outcome.failures = [f.describe() for f in report.critical_failures]
        return outcome
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
