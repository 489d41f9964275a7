"""Give memory a finished step no longer uses back to the system, so the next step (and the
next payload of a backfill) starts from the same footprint (issue 12: peak RSS under 1 GB).

Freed memory otherwise stays with the process: Arrow's allocator keeps its pages for reuse, and
glibc's malloc keeps freed heap in its arenas (pandas and Great Expectations free millions of
small objects per chunk). Neither is a leak, but both count in the resident set."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc

import pyarrow as pa

# Below this many rows a batch never held enough to matter, and a full collection costs about
# 0.3 s once GX and Prefect are loaded: on the sample's 36 small payloads that was a quarter
# of the nightly run.
LARGE_BATCH_ROWS = 100_000


@functools.cache
def _malloc_trim() -> object | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    return getattr(ctypes.CDLL(name), "malloc_trim", None)  # glibc only


def release(rows: int) -> None:
    """After a batch of `rows` rows: collect garbage, then hand free pages back (Arrow's pool,
    glibc's arenas); nothing for a small batch."""
    if rows < LARGE_BATCH_ROWS:
        return
    gc.collect()
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
