"""What runs after publishing: the cross-source checks, and which steps a killed run left due."""

from __future__ import annotations

from dataclasses import dataclass

from tradewh.ingest.ledger import record_validation
from tradewh.ingest.publish import suite_path
from tradewh.ingest.validation import ValidationReport, validate_frame
from tradewh.settings import Settings
from tradewh.store.sqlfiles import sql_text
from tradewh.warehouse import writer

CROSS_SOURCE = "cross_source"


def cross_check(settings: Settings) -> ValidationReport:
    """Validate what several sources publish alike (sql/checks/cross_source.sql) with its
    suite, after publishing; recorded in ops.validations without a release."""
    with writer(settings) as con:
        # Fetched whole: the writer connection is let go before GX runs.
        table = con.sql(sql_text(settings.sql_dir, "checks", CROSS_SOURCE)).to_arrow_table()
    report = validate_frame(table, CROSS_SOURCE, suite_path(settings, CROSS_SOURCE))
    with writer(settings) as con:
        record_validation(con, None, report)
    return report


@dataclass(frozen=True)
class Due:
    """The steps after publishing that are behind what is published: a run killed after a
    publish leaves them undone, and the next run, finding nothing new, must still do them."""

    cross_check: bool
    news: bool
    report: bool


def due(settings: Settings) -> Due:
    # The claim extractor's version, without importing the extractor (spaCy) on a quiet night.
    from tradewh.claims.model import EXTRACTOR_VERSION

    with writer(settings) as con:
        cross_check, news, newest_load = con.execute(
            sql_text(settings.sql_dir, "ops", "due"), [EXTRACTOR_VERSION]
        ).fetchone()
    report = settings.report_path
    stale = not report.exists() or (
        newest_load is not None and report.stat().st_mtime < newest_load.timestamp()
    )
    return Due(cross_check=bool(cross_check), news=bool(news), report=stale)
