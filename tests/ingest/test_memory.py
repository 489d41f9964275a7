"""Handing memory back costs a full garbage collection: only after a batch large enough to have
held memory worth handing back."""

from __future__ import annotations

import gc

import pytest

from tradewh.ingest import memory


@pytest.mark.parametrize(
    ("rows", "collections"),
    [(0, 0), (memory.LARGE_BATCH_ROWS - 1, 0), (memory.LARGE_BATCH_ROWS, 1), (5_000_000, 1)],
)
def test_release_collects_only_after_a_large_batch(
    rows: int, collections: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append(1) or collect(*a))
    memory.release(rows)
    assert len(calls) == collections
