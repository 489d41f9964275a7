"""The warehouse, as the rest of the code and analysts' scripts reach it (the modules behind it are
in tradewh.store):

- ``connections``: the lake attached to an in-memory DuckDB, the one writer, read-only readers,
  time travel, ids, commit messages;
- ``migrations``: sql/migrations, applied in one transaction;
- ``views``: sql/views built in full or refreshed where the loads fell (``mart_refresh``);
- ``scripts``: multi-statement SQL files on the lake.
"""

from tradewh.store.connections import (
    WarehouseError,
    close_databases,
    connect,
    current_run,
    next_id,
    now_utc,
    reader,
    require,
    set_commit_message,
    table_checksums,
    warehouse_bytes,
    writer,
    writer_connection,
)
from tradewh.store.migrations import migrate, migration_files
from tradewh.store.scripts import run_script
from tradewh.store.views import VIEW_LAYERS, rebuild_views, view_files

__all__ = [
    "VIEW_LAYERS",
    "WarehouseError",
    "close_databases",
    "connect",
    "current_run",
    "migrate",
    "migration_files",
    "next_id",
    "now_utc",
    "reader",
    "rebuild_views",
    "require",
    "run_script",
    "set_commit_message",
    "table_checksums",
    "view_files",
    "warehouse_bytes",
    "writer",
    "writer_connection",
]
