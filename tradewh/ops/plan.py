"""What runs after publishing, decided in one place: from what the sources published tonight
and what a killed run left due. Pure: no warehouse, no Prefect."""

from __future__ import annotations

from dataclasses import dataclass

from tradewh.ingest.after_publish import Due


@dataclass(frozen=True)
class AfterPublish:
    """The steps after publishing that run tonight. The views are always brought up to date
    (a rebuild with nothing new since the last one is a no-op), so they are not a choice here."""

    read_news: bool  # extract the quoted figures of articles without claims, index them
    cross_check: bool  # compare the sources (needs the views: skipped when they failed)
    maintain: bool  # merge the small files the night's commits left, expire old snapshots
    write_report: bool  # the analysts' HTML report


def after_publish(new_vintages: int, due: Due) -> AfterPublish:
    """A night with nothing new stays quick: nothing to compare, merge or report. What a killed
    run published but did not get to read, compare or report is `due`, and runs now."""
    published = new_vintages > 0
    return AfterPublish(
        read_news=due.news,
        cross_check=published or due.cross_check,
        maintain=published,
        write_report=published or due.report,
    )
