"""The shared pipeline every source goes through, as the flow and the commands call it:
fetch -> land -> parse -> stage -> validate -> publish, or quarantine; then the checks after
publishing. Each step lives in tradewh.ingest:

- ``fetch``: conditional GETs, landing, payloads a killed run left undecided;
- ``publish``: write-audit-publish of one landed payload, or its quarantine;
- ``backfill``: a range of months, a request at a time, resumable;
- ``after_publish``: the cross-source checks, and the steps a killed run left due;
- ``outcomes``: what happened, for the flow and the run summary.

Each step opens the warehouse for a short unit of work and takes plain values (names, ids,
paths), so the Prefect flow can run them as tasks. Publishing a vintage and writing its ledger
row happen in one transaction; a vintage already decided is never loaded twice.
"""

from tradewh.ingest.after_publish import CROSS_SOURCE, Due, cross_check, due
from tradewh.ingest.backfill import BackfillProgress, backfill, decided_urls
from tradewh.ingest.fetch import fetch, fetch_one, newest_period_held, undecided_payloads
from tradewh.ingest.landing import LandedPayload
from tradewh.ingest.outcomes import (
    NotModified,
    ReleaseOutcome,
    SourceFetchError,
    stage_listeners,
)
from tradewh.ingest.publish import audit_sql, ingest, publish_release, sql_file, suite_path

__all__ = [
    "CROSS_SOURCE",
    "BackfillProgress",
    "Due",
    "LandedPayload",
    "NotModified",
    "ReleaseOutcome",
    "SourceFetchError",
    "audit_sql",
    "backfill",
    "cross_check",
    "decided_urls",
    "due",
    "fetch",
    "fetch_one",
    "ingest",
    "newest_period_held",
    "publish_release",
    "sql_file",
    "stage_listeners",
    "suite_path",
    "undecided_payloads",
]
