"""The statuses the ledgers hold, as Python names them. SQL files keep their literals (a guard-rail
test holds these values to the ones migrations document)."""

from __future__ import annotations

from enum import StrEnum


class ReleaseStatus(StrEnum):
    """ops.releases.status: where a vintage stands."""

    NEW = "new"  # registered, nothing staged
    STAGED = "staged"  # parsed, not yet decided
    PUBLISHED = "published"  # in core
    QUARANTINED = "quarantined"  # failed a critical check
    DISCARDED = "discarded"  # quarantined, then set aside by a person (raw payload kept)


# A vintage in one of these is decided: never loaded again.
DECIDED = (ReleaseStatus.PUBLISHED, ReleaseStatus.QUARANTINED, ReleaseStatus.DISCARDED)


class QuarantineStatus(StrEnum):
    """ops.quarantine.status: open until a person decides."""

    OPEN = "open"
    RELEASED = "released"  # published anyway
    DISCARDED = "discarded"  # handled, raw payload kept


class AlertStatus(StrEnum):
    """ops.alerts.status."""

    OPEN = "open"
    RESOLVED = "resolved"
