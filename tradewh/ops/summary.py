"""What a refresh did, per source and in total: for people (render) and for ops.runs (JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime

from tradewh.ingest.outcomes import ReleaseOutcome
from tradewh.settings import Settings
from tradewh.warehouse import current_run, next_id, now_utc, writer

# Statuses of a request that brought no payload: the others were fetched.
NOTHING_FETCHED = ("not_modified", "no_data")


@dataclass
class SourceSummary:
    """What one source's refresh did: the outcome of each request and payload, or the error
    that stopped it. Every counter is read from the outcomes."""

    source: str
    outcomes: list[ReleaseOutcome] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)  # said of the source, not of a payload

    def _count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def fetched_outcomes(self) -> list[ReleaseOutcome]:
        return [o for o in self.outcomes if o.status not in NOTHING_FETCHED]

    @property
    def fetched(self) -> int:
        return len(self.fetched_outcomes)

    @property
    def not_modified(self) -> int:
        return self._count("not_modified")

    @property
    def no_data(self) -> int:
        return self._count("no_data")

    @property
    def published(self) -> int:
        return self._count("published")

    @property
    def quarantined(self) -> int:
        return self._count("quarantined")

    @property
    def unchanged(self) -> int:
        """Fetched, neither published nor quarantined: a vintage decided before."""
        return self.fetched - self.published - self.quarantined

    @property
    def rows_published(self) -> int:
        return sum(o.rows_published for o in self.outcomes)

    @property
    def checks_passed(self) -> int:
        return sum(o.checks_passed for o in self.outcomes)

    @property
    def checks_failed(self) -> int:
        return sum(o.checks_failed for o in self.outcomes)

    @property
    def messages(self) -> list[str]:
        """The notes, then what each payload says: all but a quiet `unchanged`, and warnings."""
        said = list(self.notes)
        for outcome in self.fetched_outcomes:
            if outcome.status != "unchanged" or outcome.warnings:
                said.append(outcome.message)
            said += [f"warning: {w}" for w in outcome.warnings]
        return said

    @property
    def failed(self) -> bool:
        return bool(self.error or self.quarantined)

    def counts(self) -> dict[str, object]:
        """What ops.runs keeps of it: the counters, the error and the messages."""
        return {"source": self.source} | {name: getattr(self, name) for name in _KEPT}


_KEPT = (
    "fetched",
    "not_modified",
    "no_data",
    "published",
    "unchanged",
    "quarantined",
    "rows_published",
    "checks_passed",
    "checks_failed",
    "error",
    "messages",
)


@dataclass
class RunSummary:
    started_at: datetime
    finished_at: datetime | None = None
    sources: list[SourceSummary] = field(default_factory=list)
    views: int = 0
    views_error: str | None = None
    cross_source: str | None = None
    cross_source_error: str | None = None
    alerts: int = 0
    claims: int = 0
    report: str | None = None
    maintenance: str | None = None

    @property
    def failed_sources(self) -> list[str]:
        return [s.source for s in self.sources if s.failed]

    @property
    def ok(self) -> bool:
        return not self.failed_sources and not self.views_error and not self.cross_source_error

    @property
    def seconds(self) -> float:
        end = self.finished_at or now_utc()
        return (end - self.started_at).total_seconds()

    # The run's counters, from its sources' outcomes.
    @property
    def new_vintages(self) -> int:
        return sum(s.published for s in self.sources)

    @property
    def quarantined(self) -> int:
        return sum(s.quarantined for s in self.sources)

    @property
    def unchanged(self) -> int:
        return sum(s.unchanged for s in self.sources)

    @property
    def rows_published(self) -> int:
        return sum(s.rows_published for s in self.sources)

    def render(self) -> str:
        lines = [f"tradewh refresh: {'OK' if self.ok else 'FAILED'} in {self.seconds:.1f} s"]
        for s in self.sources:
            lines += _source_lines(s)
        if self.claims:
            lines.append(f"  news: {self.claims} quoted figures extracted (marts.claim_check)")
        lines += self._after_publishing_lines() + self._closing_lines()
        return "\n".join(lines)

    def _after_publishing_lines(self) -> list[str]:
        if self.views_error:
            lines = [f"  views: NOT rebuilt: {self.views_error}"]
        elif self.views:
            lines = [f"  views: {self.views} rebuilt"]
        else:
            lines = ["  views: unchanged (nothing published since they were built)"]
        if self.cross_source_error:
            lines.append(f"  cross-source checks: FAILED to run: {self.cross_source_error}")
        elif self.cross_source:
            lines += [f"  {line}" for line in self.cross_source.splitlines()]
        if self.maintenance:
            lines.append(f"  lake: {self.maintenance}")
        if self.report:
            lines.append(f"  report: {self.report}")
        return lines

    def _closing_lines(self) -> list[str]:
        lines = []
        if self.alerts:
            lines.append(f"  alerts: {self.alerts} sent (opened or resolved; see ops.alerts)")
        if self.new_vintages == 0 and self.ok:
            lines.append("  nothing new: every vintage fetched is already loaded")
        if self.failed_sources:
            lines.append(f"  failed sources: {', '.join(self.failed_sources)}")
        elif not self.ok:
            lines.append("  failed: see above")
        return lines

    def to_json(self) -> str:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["sources"] = [s.counts() for s in self.sources]
        data["seconds"] = round(self.seconds, 3)
        data["ok"] = self.ok
        return json.dumps(data, default=str)


def _source_lines(s: SourceSummary) -> list[str]:
    lines = [
        f"  {s.source}: {s.fetched} fetched, {s.not_modified} not modified"
        + (f", {s.no_data} without data yet" if s.no_data else "")
        + "; vintages "
        f"{s.published} new, {s.unchanged} unchanged, {s.quarantined} quarantined; "
        f"{s.rows_published:,} rows published; checks {s.checks_passed} passed, "
        f"{s.checks_failed} failed"
    ]
    if s.error:
        lines.append(f"    error: {s.error}")
    return lines + [f"    {line}" for m in s.messages for line in m.splitlines()]


def record_run_start(settings: Settings, flow_run_id: str | None) -> int:
    with writer(settings) as con:
        run_id = next_id(con, "ops.runs", "run_id")
        con.execute(
            "INSERT INTO ops.runs (run_id, flow_run_id, started_at, state) "
            "VALUES (?, ?, ?, 'running')",
            [run_id, flow_run_id, now_utc()],
        )
    current_run["run_id"] = run_id
    return run_id


def record_run_end(settings: Settings, run_id: int, summary: RunSummary) -> None:
    with writer(settings) as con:
        con.execute(
            "UPDATE ops.runs SET finished_at = ?, state = ?, summary = ? WHERE run_id = ?",
            [
                summary.finished_at,
                "completed" if summary.ok else "failed",
                summary.to_json(),
                run_id,
            ],
        )
