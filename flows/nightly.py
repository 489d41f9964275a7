"""The nightly refresh: every source in turn, each a task returning its outcomes (a failing
one does not stop the others); then what the night's outcomes call for after publishing
(tradewh.ops.plan): claims, views, cross-source checks, lake maintenance; the run's record, its
alerts and its reports. A run ends Failed, naming the failed sources, when any failed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from prefect import Flow, State, flow, get_run_logger, runtime, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import FlowRun
from prefect.states import Cancelled, Failed

from tradewh import pipeline, warehouse
from tradewh.ingest import validation_report
from tradewh.ingest.landing import LandedPayload
from tradewh.ops import housekeeping, monitor, progress
from tradewh.ops.plan import after_publish
from tradewh.ops.summary import RunSummary, SourceSummary, record_run_end, record_run_start
from tradewh.settings import Settings, get_settings
from tradewh.store.lock import WriterBusy, writer_lock

# Heavy libraries (matplotlib, spaCy, trafilatura) are imported inside the tasks that use them:
# a night with nothing new should not pay for them.

# Settings are read from the environment inside each task and never passed as parameters:
# flow parameters are stored by the Prefect server, and settings hold API keys.

T = TypeVar("T")


@task(cache_policy=NO_CACHE)
def tidy() -> int:
    return housekeeping.remove_leftovers(get_settings())


@task(cache_policy=NO_CACHE)
def migrate() -> list[str]:
    settings = get_settings()
    with warehouse.writer(settings) as con:
        return warehouse.migrate(con, settings.sql_dir)


# Retried per settings (fetch_task_retries): see refresh_source.
@task(cache_policy=NO_CACHE, task_run_name="fetch-{source}")
def fetch(source: str) -> list[LandedPayload | pipeline.NotModified]:
    return pipeline.fetch(get_settings(), source)


@task(cache_policy=NO_CACHE, task_run_name="publish-{source}")
def write_audit_publish(source: str, payload: LandedPayload) -> pipeline.ReleaseOutcome:
    return pipeline.ingest(get_settings(), source, payload)


@task(cache_policy=NO_CACHE)
def cross_check() -> str:
    return pipeline.cross_check(get_settings()).message()


@task(cache_policy=NO_CACHE)
def rebuild_views() -> int:
    progress.step("rebuilding the views")
    settings = get_settings()
    with warehouse.writer(settings) as con:
        return len(warehouse.rebuild_views(con, settings.sql_dir, force=False))


# Its fetch and each payload's write-audit-publish run as tasks of their own inside it (Prefect 3
# runs a task called from a task as a nested task run): retried and visible one by one.
@task(cache_policy=NO_CACHE, task_run_name="refresh-{source}")
def refresh_source(source: str) -> SourceSummary:
    """One source's outcomes: a request that brought nothing, a vintage published, unchanged or
    quarantined; or the error that stopped it. Never raises: one source never stops the others."""
    settings = get_settings()
    progress.step(f"{source}: fetching")
    retried = fetch.with_options(
        retries=settings.fetch_task_retries, retry_delay_seconds=settings.fetch_task_retry_delay
    )
    try:
        items = retried(source)
    except Exception as exc:  # after the retries: this source keeps its last good data
        return SourceSummary(source, error=str(exc))
    summary = SourceSummary(source)
    if not items:
        summary.notes.append(f"nothing to fetch in the {settings.profile} profile")
    for item in items:
        if isinstance(item, pipeline.NotModified):
            summary.outcomes.append(pipeline.ReleaseOutcome(source, item.url, item.status))
            continue
        progress.step(f"{source}: validating and publishing {item.url.rsplit('/', 1)[-1][:60]}")
        try:
            summary.outcomes.append(write_audit_publish(source, item))
        except Exception as exc:  # a broken publish, not bad input (that is an outcome)
            summary.error = f"{type(exc).__name__}: {exc}"
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

    progress.step("writing the report")
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
def nightly_refresh(sources: list[str] | None = None) -> RunSummary | State:
    settings = get_settings()
    try:
        with writer_lock(settings, f"nightly_refresh flow run {runtime.flow_run.name}"):
            return _refresh(settings, sources)
    except WriterBusy as exc:
        return Cancelled(message=str(exc))


def _refresh(settings: Settings, sources: list[str] | None) -> RunSummary | State:
    migrate()
    tidy()
    run_id = record_run_start(settings, str(runtime.flow_run.id or "") or None)
    summary = RunSummary(started_at=warehouse.now_utc())
    summary.sources = [refresh_source(source) for source in sources or settings.sources]
    plan = after_publish(summary.new_vintages, catching_up())
    if plan.read_news:
        summary.claims = read_news()
    views, summary.views_error = _attempt(rebuild_views)
    summary.views = views or 0
    if plan.cross_check and not summary.views_error:
        summary.cross_source, summary.cross_source_error = _attempt(cross_check)
    if plan.maintain:  # a failed maintenance is told, not a failed night: the data is intact
        done, error = _attempt(maintain)
        summary.maintenance = done or error
    summary.finished_at = warehouse.now_utc()
    record_run_end(settings, run_id, summary)
    summary.alerts = alert(summary)
    write_validation_report()
    if plan.write_report:
        summary.report, _ = _attempt(write_analysts_report)
    get_run_logger().info(summary.render())
    if summary.ok:
        return summary
    failed = ", ".join(summary.failed_sources) or "views or cross-source checks"
    return Failed(message=f"{HANDLED_FAILURE} {failed}", data=summary)


def _attempt(step: Callable[[], T]) -> tuple[T | None, str | None]:
    """Run a step whose failure the summary reports without stopping the night: its result,
    or its error."""
    try:
        return step(), None
    except Exception as exc:
        return None, str(exc)


if __name__ == "__main__":
    # A failed refresh returns its summary in a Failed state: an exit status, not a traceback.
    raise SystemExit(0 if nightly_refresh(return_state=True).is_completed() else 1)
