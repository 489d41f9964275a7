"""What runs after publishing (tradewh.ops.plan): a pure decision, checked case by case without
Prefect or a warehouse."""

from __future__ import annotations

import pytest

from tradewh.ingest.after_publish import Due
from tradewh.ops.plan import AfterPublish, after_publish

NOTHING_DUE = Due(cross_check=False, news=False, report=False)

# (what the night published, what a killed run left due) -> what runs
CASES = {
    "a quiet night stays quick": (0, NOTHING_DUE, AfterPublish(False, False, False, False)),
    "new vintages: compare, maintain, report": (
        3,
        NOTHING_DUE,
        AfterPublish(read_news=False, cross_check=True, maintain=True, write_report=True),
    ),
    "new articles: read them too": (
        1,
        Due(cross_check=True, news=True, report=True),
        AfterPublish(read_news=True, cross_check=True, maintain=True, write_report=True),
    ),
    "a killed run's comparison is caught up": (
        0,
        Due(cross_check=True, news=False, report=False),
        AfterPublish(read_news=False, cross_check=True, maintain=False, write_report=False),
    ),
    "a killed run's articles are read": (
        0,
        Due(cross_check=False, news=True, report=False),
        AfterPublish(read_news=True, cross_check=False, maintain=False, write_report=False),
    ),
    "a missing or stale report is written": (
        0,
        Due(cross_check=False, news=False, report=True),
        AfterPublish(read_news=False, cross_check=False, maintain=False, write_report=True),
    ),
}


@pytest.mark.parametrize(("published", "due", "expected"), CASES.values(), ids=CASES.keys())
def test_after_publish(published: int, due: Due, expected: AfterPublish) -> None:
    assert after_publish(published, due) == expected
