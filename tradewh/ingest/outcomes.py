"""What happened to each request and payload of a source: the values the flow and the run summary
read."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date


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
    """What happened to one request or fetched payload. A quarantined vintage is an outcome
    like the others: its `message` is the reason, `failures` the critical checks it failed."""

    source: str
    url: str
    status: str  # published | quarantined | unchanged | not_modified | no_data | skipped
    release_id: int | None = None
    sha256: str | None = None
    period_end: date | None = None
    rows_published: int = 0
    checks_evaluated: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
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
