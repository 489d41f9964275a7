"""What a source is: one `Source` value per source module (its `SOURCE`), checked by the type
checker (`make lint` runs mypy on tradewh/sources) and at import (a missing field is a TypeError).

The shared pipeline (tradewh.ingest) does the rest: landing, staging, validation, publishing.
docs/adding-a-source.md walks through adding one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import duckdb

    from tradewh.http import HttpClient
    from tradewh.ingest.landing import LandedPayload
    from tradewh.settings import Settings
    from tradewh.sources import Parsed, PathBatch, Request


class Parse(Protocol):
    """Read one payload; raise ParseError when it is not in the source's format. `url`
    (redacted) is where it came from, for payloads that do not say what they are."""

    def __call__(self, payload: bytes, url: str | None = None) -> Parsed: ...


class ParsePath(Protocol):
    """Read one landed payload where it lies (large payloads: never the body in memory)."""

    def __call__(self, path: Path, url: str | None = None) -> Parsed: ...


class StagePath(Protocol):
    """Make a landed payload the relation `batch` on `con` (the columns its staging's
    stage.sql reads), read by DuckDB where it lies, or None to have it parsed instead."""

    def __call__(
        self, con: duckdb.DuckDBPyConnection, path: Path, url: str | None = None
    ) -> PathBatch | None: ...


class RequestsForRange(Protocol):
    """What to fetch for a range of months (backfill); `hs_level` where the source has one."""

    def __call__(
        self, settings: Settings, start: date, end: date, hs_level: str | None = None
    ) -> list[Request]: ...


# What to fetch on a nightly run; newest_period: the newest month already published from it.
Requests = Callable[["Settings", "date | None"], "list[Request]"]
# More payloads the landed ones link to (a feed's article pages).
Follow = Callable[["Settings", "list[LandedPayload]", "HttpClient"], "list[Request]"]


@dataclass(frozen=True)
class Calendar:
    """When the source is due to publish its next reference month (ops.release_calendar)."""

    lag_days: int  # days after the end of the reference month
    note: str
    cadence: str = "monthly"
    release_time: str = "08:30"
    timezone: str = "America/New_York"
    grace_days: int = 7  # schedules slip (a shutdown moves releases by weeks)


@dataclass(frozen=True, kw_only=True)
class Source:
    name: str  # in ops tables and the landing store
    dataset: str  # its suite: expectations/<dataset>.json
    staging: str  # its staging family: staging.<staging>, sql/pipeline/<staging>/
    suffix: str  # file suffix of its payloads in the landing store
    # Which source wins when two publish a series the same day (1 first): the release itself
    # over files and APIs, those over a copy (ops.source_precedence, joined by the views).
    precedence: int
    requests: Requests
    parse: Parse
    calendar: Calendar | None = None  # None: not on a release schedule (news)
    # Several kinds of payload, each with its suite (FT-900 exhibit families); else (dataset,).
    datasets: tuple[str, ...] = ()
    # dataset -> the audit file (sql/pipeline/<staging>/<audit>.sql) for a dataset with
    # identities of its own; others use audit.sql.
    audits: Mapping[str, str] = field(default_factory=dict)
    core_table: str = "core.observations"
    # An empty 200 answer is "no data yet" (the Census API's way), not a broken payload.
    empty_means_no_data: bool = False
    parse_path: ParsePath | None = None
    # Tried first, before parse_path: the payload staged without an Arrow table of it.
    stage_path: StagePath | None = None
    follow: Follow | None = None
    requests_for_range: RequestsForRange | None = None

    def all_datasets(self) -> tuple[str, ...]:
        return self.datasets or (self.dataset,)

    def audit(self, dataset: str) -> str:
        return self.audits.get(dataset, "audit")
