"""The test harness's warehouse copies (tests/warehouses.py) leave nothing open on the copy.

This process's DuckDB carries its own copy of SQLite; a Python sqlite3 connection left open on
a catalog DuckDB then writes breaks SQLite's locking, and its late close (by the garbage
collector) once overwrote a just-committed ledger row during a full test run."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

from tests.ingest.test_pipeline import migrated
from tests.warehouses import catalog_file
from tradewh.settings import Settings


def _open_paths() -> set[str]:
    paths = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            paths.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # closed since listed (the listing's own descriptor)
            continue
    return paths


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_a_copied_warehouse_has_no_connection_left_open_on_its_catalog(
    settings: Settings,
) -> None:
    gc.disable()  # what is open must be closed by the copy itself, not by a collection
    try:
        migrated(settings)
        catalog = catalog_file(settings).resolve()
        held = {p for p in _open_paths() if Path(p).name.startswith(catalog.name)}
        held = {p for p in held if Path(p).parent == catalog.parent}
    finally:
        gc.enable()
    assert held == set()
