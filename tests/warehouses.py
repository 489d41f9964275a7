"""Copies of small local warehouses for tests that start many cases from one state (migrating
a lake costs seconds): the SQLite catalog, its WAL and the Parquet files, with the catalog's
data path pointed at the copy."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from tradewh import warehouse
from tradewh.settings import Settings


def catalog_file(settings: Settings) -> Path:
    return Path(settings.catalog_url.split(":", 1)[1])


def copy_warehouse(source: Settings, target: Settings) -> None:
    """Make target's warehouse a copy of source's (both SQLite catalogs on local disk)."""
    catalog = catalog_file(target)
    catalog.parent.mkdir(parents=True, exist_ok=True)
    # SQLite's backup: a consistent copy, what the WAL holds included, while others hold it open.
    # Every connection is closed here, not left to the garbage collector (a sqlite3 connection
    # is in a reference cycle with its statement cache): this process's DuckDB carries its own
    # copy of SQLite, and two copies of SQLite on one file in one process break each other's
    # POSIX locks; a late close then checkpoints a stale WAL over DuckDB's commits
    # (sqlite.org/howtocorrupt.html, 2.2). That lost a just-committed ledger row in full runs.
    with closing(sqlite3.connect(catalog_file(source))) as old:
        with closing(sqlite3.connect(catalog)) as new:
            old.backup(new)
    lake = Path(source.lake_data_path)
    if lake.is_dir():
        shutil.copytree(lake, target.lake_data_path, dirs_exist_ok=True)
    with closing(sqlite3.connect(catalog)) as con, con:
        con.execute(
            "UPDATE ducklake_metadata SET value = ? WHERE key = 'data_path'",
            [str(Path(target.lake_data_path).resolve()) + "/"],
        )


def load_sample(settings: Settings) -> Settings:
    """The sample archive loaded as the nightly flow loads it, without Prefect (its temporary
    server costs more than the load): every source, claims, search index, calendar, views,
    cross-source checks."""
    from tradewh import pipeline
    from tradewh.ingest.rebuild import after_publishing

    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
    for source in settings.sources:
        for item in pipeline.fetch(settings, source):
            if not isinstance(item, pipeline.NotModified):
                pipeline.ingest(settings, source, item)
    after_publishing(settings)
    return settings


_templates: dict[str, Settings] = {}


def from_template(name: str, build: Callable[[Settings], object], target: Settings) -> Settings:
    """target as a copy of a warehouse `build` made once per test session: building a lake
    costs seconds, copying one a few milliseconds."""
    if name not in _templates:
        root = Path(tempfile.mkdtemp(prefix=f"tradewh-template-{name}-"))
        template = Settings(data_dir=root / "data", landing_dir=root / "landing")
        build(template)
        _templates[name] = template
    copy_warehouse(_templates[name], target)
    return target
