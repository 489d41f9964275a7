"""The nightly refresh: every source in turn (a failing one does not stop the others), then the
views, the cross-source checks and the summary. A run ends Failed, naming the failed sources,
when any failed.
"""

from __future__ import annotations

from prefect import Flow, State, flow, get_run_logger, runtime, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import FlowRun
from prefect.states import Cancelled, Failed

from tradewh import pipeline, warehouse
from tradewh.ingest import validation_report
from tradewh.ingest.landing import LandedPayload
from tradewh.ingest.validation import ValidationReport
from tradewh.ops import housekeeping, monitor, progress
from tradewh.ops.summary import RunSummary, SourceSummary, record_run_end, record_run_start
from tradewh.settings import Settings, get_settings
from tradewh.store.lock import WriterBusy, writer_lock

# Heavy libraries (matplotlib, spaCy, trafilatura) are imported inside the tasks that use them:
# a night with nothing new should not pay for them.

# Settings are read from the environment inside each task and never passed as parameters:
# flow parameters are stored by the Prefect server, and settings hold API keys.


@task(cache_policy=NO_CACHE)
def tidy() -> int:
    return housekeeping.remove_leftovers(get_settings())


@task(cache_policy=NO_CACHE)
def migrate() -> list[str]:
    settings = get_settings()
    with warehouse.writer(settings) as con:
        return warehouse.migrate(con, settings.sql_dir)


# Retried per settings (fetch_task_retries) when a flow runs: see refresh_source.
@task(cache_policy=NO_CACHE)
def fetch(source: str) -> list[LandedPayload | pipeline.NotModified]:
    return pipeline.fetch(get_settings(), source)


@task(cache_policy=NO_CACHE)
def write_audit_publish(source: str, payload: LandedPayload) -> pipeline.ReleaseOutcome:
    return pipeline.ingest(get_settings(), source, payload)


@task(cache_policy=NO_CACHE)
def cross_check() -> ValidationReport:
    return pipeline.cross_check(get_settings())


@task(cache_policy=NO_CACHE)
def rebuild_views() -> list[str]:
    settings = get_settings()
    with warehouse.writer(settings) as con:
        return warehouse.rebuild_views(con, settings.sql_dir, force=False)


def refresh_source(source: str) -> SourceSummary:
    summary = SourceSummary(source)
    settings = get_settings()
    progress.step(f"{source}: fetching")
    fetched = fetch.with_options(
        retries=settings.fetch_task_retries,
        retry_delay_seconds=settings.fetch_task_retry_delay,
    )(source, return_state=True)
    if fetched.is_failed():
        summary.error = str(fetched.result(raise_on_failure=False))
        return summary
    items = fetched.result()
    if not items:
        summary.messages.append(f"nothing to fetch in the {settings.profile} profile")
    for item in items:
        if isinstance(item, pipeline.NotModified):
            summary.add(pipeline.ReleaseOutcome(source, item.url, item.status))
            continue
        progress.step(f"{source}: validating and publishing {item.url.rsplit('/', 1)[-1][:60]}")
        state = write_audit_publish(source, item, return_state=True)
        result = state.result(raise_on_failure=False)
        if isinstance(result, pipeline.Quarantined):
            summary.add(result.outcome)
        elif isinstance(result, BaseException):
            summary.error = f"{type(result).__name__}: {result}"
        else:
            summary.add(result)
    return summary


@task(cache_policy=NO_CACHE)
def read_news() -> int:
    """Extract the figures new articles quote, and index them for search; claims written."""
    from tradewh.claims.store import extract_new
    from tradewh.sources.news import build_search_index

    settings = get_settings()
    with warehouse.writer(settings) as con:
        claims = extract_new(con)
        build_search_index(con)
    return claims


@task(cache_policy=NO_CACHE)
def catching_up() -> pipeline.Due:
    return pipeline.due(get_settings())


@task(cache_policy=NO_CACHE)
def maintain() -> str:
    """Merge the small files a night's commits leave; expire snapshots past the retention."""
    from tradewh.store import lakeops

    settings = get_settings()
    with warehouse.writer(settings) as con:
        return lakeops.maintain(con, settings).describe()


@task(cache_policy=NO_CACHE)
def alert(summary: RunSummary) -> int:
    return len(monitor.check_and_alert(get_settings(), summary))


@task(cache_policy=NO_CACHE)
def write_validation_report() -> str:
    return str(validation_report.write(get_settings()))


@task(cache_policy=NO_CACHE)
def write_analysts_report() -> str:
    from tradewh.report import write_report

    return str(write_report(get_settings()))


def _on_broken_run(flow: Flow, flow_run: FlowRun, state: State) -> None:
    # Failures the flow handled itself (failed sources) were alerted in detail already.
    if (state.message or "").startswith(HANDLED_FAILURE):
        return
    monitor.alert_run_crash(
        get_settings(), f"flow run {flow_run.name} ended {state.type.value}: {state.message}"
    )


HANDLED_FAILURE = "refresh failed:"


@flow(
    name="nightly_refresh",
    log_prints=True,
    on_failure=[_on_broken_run],
    on_crashed=[_on_broken_run],
)
def nightly_refresh(sources: list[str] | None = None) -> RunSummary:
    settings = get_settings()
    try:
        with writer_lock(settings, f"nightly_refresh flow run {runtime.flow_run.name}"):
            return _refresh(settings, sources)
    except WriterBusy as exc:
        return Cancelled(message=str(exc))


def _refresh(settings: Settings, sources: list[str] | None) -> RunSummary | State:
    logger = get_run_logger()
    migrate()
    tidy()
    run_id = record_run_start(settings, str(runtime.flow_run.id or "") or None)
    summary = RunSummary(started_at=warehouse.now_utc())
    for source in sources or settings.sources:
        summary.sources.append(refresh_source(source))
    due = catching_up()
    # Articles published now, or left unread by a killed run: both are articles without claims.
    if due.news:
        summary.claims = read_news()
    progress.step("rebuilding the views")
    views = rebuild_views(return_state=True)
    if views.is_failed():
        summary.views_error = str(views.result(raise_on_failure=False))
    else:
        summary.views = len(views.result())
    # Nothing new published, nothing new to compare: a quiet night stays quick. What a killed
    # run published but did not get to compare (or read, or report) is caught up here.
    if (summary.new_vintages or due.cross_check) and not summary.views_error:
        checked = cross_check(return_state=True)
        if checked.is_failed():
            summary.cross_source_error = str(checked.result(raise_on_failure=False))
        else:
            summary.cross_source = checked.result().message()
    if summary.new_vintages:
        kept = maintain(return_state=True)
        summary.maintenance = str(kept.result(raise_on_failure=False))
    summary.finished_at = warehouse.now_utc()
    record_run_end(settings, run_id, summary)
    summary.alerts = alert(summary)
    write_validation_report()
    # The report changes with the data: a night with nothing new keeps the last one (and stays
    # quick); a missing one is written.
    if summary.new_vintages or due.report:
        progress.step("writing the report")
        report = write_analysts_report(return_state=True)
        if report.is_completed():
            summary.report = report.result()
    logger.info(summary.render())
    if not summary.ok:
        failed = ", ".join(summary.failed_sources) or "views or cross-source checks"
        return Failed(message=f"{HANDLED_FAILURE} {failed}", data=summary)
    return summary


if __name__ == "__main__":
    # A failed refresh returns its summary in a Failed state: an exit status, not a traceback.
    raise SystemExit(0 if nightly_refresh(return_state=True).is_completed() else 1)
