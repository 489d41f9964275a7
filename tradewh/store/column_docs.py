"""Column documentation written once: sql/views/columns.toml documents the columns many views
and marts share (product, basis, period, ...); a full build gives that text as the COMMENT of the
column in every view and mart of sql/views that has it, unless the object's own file comments
the column (COMMENT ON COLUMN), which wins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import duckdb

from tradewh.store.connections import WarehouseError
from tradewh.store.scripts import run_script
from tradewh.store.sqlfiles import read_sql, read_toml

COLUMNS_FILE = Path("views") / "columns.toml"
_OWN_COMMENT = re.compile(r"^\s*COMMENT\s+ON\s+COLUMN\s+([\w.\"]+)\s+IS\b", re.I | re.M)


def shared(sql_dir: Path) -> dict[str, str]:
    """column name -> its shared comment."""
    path = sql_dir / COLUMNS_FILE
    if not path.is_file():
        return {}
    try:
        return {str(name): str(text) for name, text in read_toml(path).items()}
    except tomllib.TOMLDecodeError as exc:
        raise WarehouseError(f"{path} is not valid TOML: {exc}") from exc


def apply(
    con: duckdb.DuckDBPyConnection, sql_dir: Path, files: list[Path], views: set[str]
) -> None:
    """Comment the shared columns of the objects `files` built (schema.name from layer and
    stem), in the open transaction; a view's column comments go where run_script puts them."""
    texts = shared(sql_dir)
    if not texts:
        return
    objects = {f"{path.parent.name}.{path.stem}": path for path in files}
    own = {
        match.replace('"', "") for path in files for match in _OWN_COMMENT.findall(read_sql(path))
    }
    statements = [
        f"COMMENT ON COLUMN {schema}.{table}.{column} IS {_text(texts[column])};"
        for schema, table, column in con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() ORDER BY ALL"
        ).fetchall()
        if f"{schema}.{table}" in objects
        and column in texts
        and f"{schema}.{table}.{column}" not in own
    ]
    if statements:
        run_script(con, "\n".join(statements), views)


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
