"""Refresh the materialized marts in proportion to what was published since their last build.

The rows of the loads after the last build (ops.loads) name the series and periods that
changed (sql/refresh/touched.sql). Each mart has a refresh scope, sql/refresh/<mart>.sql: the
mart's own key columns whose rows those keys can change (a year-ago change reads the month 12
earlier, a year to date the earlier months of its year, a rank every partner of the month).
The mart's rows in scope are deleted and recomputed with the mart's own query (its file,
sql/views/marts/<mart>.sql, its CREATE TABLE ... AS left off) kept to the rows in scope: a row
recomputed is the row a full rebuild makes, whatever the query, so the scope is the one thing
to get right. A mart with nothing in scope is not touched at all (HS detail, which no mart
reads, refreshes none). Runs inside the caller's transaction: readers see all or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from tradewh import failpoints
from tradewh.store.sqlfiles import read_sql, sql_text

REFRESH_DIR = "refresh"
_CREATES_TABLE = re.compile(
    r"^\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+([\w.\"]+)\s+AS\s+(.*)$", re.I | re.DOTALL
)


@dataclass(frozen=True)
class Mart:
    name: str  # schema.table
    query: str  # the SELECT the mart is built from
    scope: str | None  # its refresh scope (a query on `touched`), None: rebuilt whole


def _strip_comments(sql: str) -> str:
    lines = sql.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return "\n".join(lines)


def materialized(path: Path, sql_dir: Path) -> Mart | None:
    """The mart a view file materializes as a table (None for a view or macro)."""
    for statement in duckdb.extract_statements(read_sql(path)):
        created = _CREATES_TABLE.match(_strip_comments(statement.query))
        if created:
            scope_file = sql_dir / REFRESH_DIR / f"{path.stem}.sql"
            scope = read_sql(scope_file) if scope_file.is_file() else None
            return Mart(created[1].replace('"', ""), created[2].rstrip().rstrip(";"), scope)
    return None


def refresh_files(sql_dir: Path) -> list[Path]:
    """The scope files: part of what a build is made from (a change means a full rebuild)."""
    return sorted((sql_dir / REFRESH_DIR).glob("*.sql"))


def refresh(
    con: duckdb.DuckDBPyConnection, sql_dir: Path, files: list[Path], since_load: int
) -> list[str]:
    """Refresh every materialized mart of `files` (in build order) for the loads after
    `since_load`, in the open transaction; return the marts changed."""
    con.execute("SET VARIABLE since_load = ?", [since_load])
    touched = con.execute(sql_text(sql_dir, REFRESH_DIR, "touched")).to_arrow_table()
    con.register("touched", touched)
    refreshed: list[str] = []
    try:
        for path in files:
            mart = materialized(path, sql_dir)
            if mart is None or touched.num_rows == 0:
                continue
            try:
                if mart.scope is None:
                    # No scope declared: correct, not proportional.
                    con.execute(f"CREATE OR REPLACE TABLE {mart.name} AS {mart.query}")
                elif not _refresh_scope(con, mart):
                    continue
            except duckdb.Error as exc:
                from tradewh.warehouse import WarehouseError

                raise WarehouseError(f"mart {mart.name} does not refresh: {exc}") from exc
            refreshed.append(mart.name)
            if len(refreshed) == 3:
                failpoints.reach("views.mid")
    finally:
        con.unregister("touched")
    return refreshed


# A key column with at most this many values is also given to the query as a literal list.
_LISTED = 1000


def _bounds(keys: pa.Table) -> str:
    """The keys' values as constant filters (each column's values listed, or its range): the
    semi join alone is exact, but DuckDB pushes only constants down into the mart's query (to
    the scans of core, through the groupings and windows keyed on the column), so that the
    rows out of scope are not computed at all."""
    terms = ["true"]
    for name in keys.column_names:
        column = keys.column(name)
        if column.null_count:
            continue
        values = pc.unique(column)
        if len(values) <= _LISTED and _literal(values[0]) is not None:
            listed = ", ".join(_literal(v) for v in values)
            terms.append(f'm."{name}" IN ({listed})')
        elif pa.types.is_date(column.type) or pa.types.is_integer(column.type):
            low, high = pc.min(column), pc.max(column)
            terms.append(f'm."{name}" BETWEEN {_literal(low)} AND {_literal(high)}')
    return " AND ".join(terms)


def _literal(value: pa.Scalar) -> str | None:
    if pa.types.is_string(value.type) or pa.types.is_large_string(value.type):
        return "'" + value.as_py().replace("'", "''") + "'"
    if pa.types.is_date(value.type):
        return f"DATE '{value.as_py().isoformat()}'"
    if pa.types.is_integer(value.type):
        return str(value.as_py())
    return None


def _refresh_scope(con: duckdb.DuckDBPyConnection, mart: Mart) -> bool:
    """Delete and recompute the rows of `mart` in its scope; False where the scope is empty."""
    keys = con.execute(mart.scope).to_arrow_table()
    if keys.num_rows == 0:
        return False
    con.register("refresh_keys", keys)
    try:
        # IS NOT DISTINCT FROM: a NULL key (a product never set) is a key like any other.
        match = " AND ".join(f'k."{c}" IS NOT DISTINCT FROM m."{c}"' for c in keys.column_names)
        con.execute(
            f"DELETE FROM {mart.name} AS m "
            f"WHERE EXISTS (SELECT 1 FROM refresh_keys AS k WHERE {match})"
        )
        con.execute(
            f"INSERT INTO {mart.name} SELECT m.* FROM ({mart.query}) AS m "
            f"SEMI JOIN refresh_keys AS k ON {match} WHERE {_bounds(keys)}"
        )
    finally:
        con.unregister("refresh_keys")
    return True
