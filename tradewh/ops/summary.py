"""What a refresh did, per source and in total: for people (render) and for ops.runs (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from tradewh.ingest.outcomes import ReleaseOutcome
from tradewh.settings import Settings
from tradewh.warehouse import current_run, next_id, now_utc, writer


@dataclass
class SourceSummary:
    source: str
    fetched: int = 0
    not_modified: int = 0
    no_data: int = 0
    published: int = 0
    unchanged: int = 0
    quarantined: int = 0
    rows_published: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    error: str | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.error or self.quarantined)

    def add(self, outcome: ReleaseOutcome) -> None:
        if outcome.status == "not_modified":
            self.not_modified += 1
            return
        if outcome.status == "no_data":
            self.no_data += 1
            return
        self.fetched += 1
        if outcome.status == "published":
            self.published += 1
        elif outcome.status == "quarantined":
            self.quarantined += 1
        else:
            self.unchanged += 1
        self.rows_published += outcome.rows_published
        self.checks_passed += outcome.checks_passed
        self.checks_failed += outcome.checks_failed
        if outcome.status != "unchanged" or outcome.warnings:
            self.messages.append(outcome.message)
        self.messages.extend(f"warning: {w}" for w in outcome.warnings)


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

    @property
    def new_vintages(self) -> int:
        return sum(s.published for s in self.sources)

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
        data = asdict(self)
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
