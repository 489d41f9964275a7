"""Named points in the write path where a crash test can stop a refresh dead.

`TRADEWH_FAILPOINT=name[:n]` makes the n-th time (default the first) the process reaches
`reach(name)` announce itself and hang, so the test can kill it with SIGKILL from outside at a
known moment: after landing, inside the publish transaction, during alert delivery, ... The
announcement is a file, `TRADEWH_FAILPOINT_FILE`, holding the point's name and the pid.

Unset (always, outside crash tests) a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import time

ENV = "TRADEWH_FAILPOINT"
FILE_ENV = "TRADEWH_FAILPOINT_FILE"

# Every point, where it is, so a test can prove each is reached.
POINTS = {
    "fetch.after_land": "a payload's bytes and fetch row are stored, nothing of it ingested",
    "ingest.after_register": "the vintage has its ledger row ('new'), nothing staged",
    "parse.mid": "half way through reading a payload (between sheets, rows or entries)",
    "stage.mid": "the batch staged (a view over what the parser read), nothing in the lake",
    "validate.mid": "the suite has run on the staged rows; its result is not recorded yet",
    "publish.mid": "inside the publish transaction, rows in core, no ledger rows yet",
    "publish.before_commit": "inside the publish transaction, everything written but COMMIT",
    "publish.after_commit": "the vintage is published and its transaction committed",
    "quarantine.mid": "inside the quarantine transaction",
    "views.mid": "inside the view rebuild transaction, some views replaced",
    "claims.mid": "news claims extracted, not yet committed",
    "alerts.mid_delivery": "an alert recorded and being sent, its delivery not yet recorded",
    "report.mid": "the analysts' report being written",
}

_hits: dict[str, int] = {}


def reach(name: str) -> None:
    """Hang here if a crash test asked for this point (its n-th passage)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] != int(nth or 1):
        return
    announce = os.environ.get(FILE_ENV)
    if announce:
        with open(announce, "w") as fh:
            fh.write(f"{name} {os.getpid()}\n")
    while True:  # until the test's SIGKILL
        time.sleep(1)
