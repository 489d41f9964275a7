"""Tidying up after killed runs: the temporary files of a write that never reached its rename.

Landing and the report write a temporary file and rename it into place, so a killed write leaves
a `.landing-*` or `.report-*` file and never a torn file under a real name. Those leftovers are
removed once old enough that no live writer can still own them.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from tradewh.settings import Settings

log = logging.getLogger("tradewh.ops.housekeeping")

# Far longer than any single file write takes.
STALE_AFTER_SECONDS = 3600.0


def leftovers(settings: Settings, older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Temporary files of interrupted writes, older than `older_than` seconds."""
    cutoff = time.time() - older_than
    found = []
    for root, pattern in (
        (settings.landing_dir, ".landing-*"),
        (settings.report_path.parent, ".report-*"),
    ):
        if root.is_dir():
            found += [p for p in root.rglob(pattern) if p.is_file() and p.stat().st_mtime < cutoff]
    return sorted(found)


def remove_leftovers(settings: Settings, older_than: float = STALE_AFTER_SECONDS) -> int:
    """Remove them; the number removed."""
    removed = 0
    for path in leftovers(settings, older_than):
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    if removed:
        log.warning("removed %d temporary files left by interrupted writes", removed)
    return removed
