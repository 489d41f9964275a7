"""Run a SQL file of several statements on the lake: comments DuckLake cannot keep (on macros, on a
view's columns) go to ops.docs."""

from __future__ import annotations

import re

import duckdb

_COMMENT = re.compile(
    r"^\s*COMMENT\s+ON\s+(MACRO\s+TABLE|MACRO|COLUMN)\s+([\w.\"]+)\s+IS\s+'(.*)'\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)


_CREATES_VIEW = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+([\w.\"]+)", re.I)


def run_script(con: duckdb.DuckDBPyConnection, text: str, views: set[str] | None = None) -> None:
    """Run a SQL file statement by statement. Comments DuckLake cannot keep (on a macro, on a
    view's column) go to ops.docs instead, where tradewh docs reads them. `views`, the views
    held (schema.name), is read when needed unless given, and kept up to date."""
    docs: list[tuple[str, str, str | None, str]] = []
    for statement in duckdb.extract_statements(text):
        query = _strip_leading_comments(statement.query)
        created = _CREATES_VIEW.match(query)
        if created:
            if views is None:
                views = _views_held(con)
            views.add(_name(created[1]))
        match = _COMMENT.match(query)
        if match:
            kind, name = match[1].upper(), _name(match[2])
            parts = name.split(".")
            if kind == "COLUMN" and len(parts) == 3 and views is None:
                views = _views_held(con)
            if kind.startswith("MACRO") or (
                kind == "COLUMN" and len(parts) == 3 and ".".join(parts[:2]) in (views or set())
            ):
                column = parts[2] if kind == "COLUMN" else None
                docs.append((parts[0], parts[1], column, match[3].replace("''", "'")))
                continue
        con.execute(statement.query)
    if docs:
        _record_docs(con, docs)


def _name(text: str) -> str:
    return text.replace('"', "")


def _views_held(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "SELECT schema_name, view_name FROM duckdb_views() "
            "WHERE database_name = current_database()"
        ).fetchall()
    }


def _strip_leading_comments(query: str) -> str:
    lines = query.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return "\n".join(lines)


def _record_docs(con: duckdb.DuckDBPyConnection, docs: list[tuple[str, str, str | None, str]]):
    import pyarrow as pa

    names = ["schema_name", "object_name", "column_name", "comment"]
    columns = [list(values) for values in zip(*docs, strict=True)]
    con.register("new_docs", pa.Table.from_arrays(columns, names=names))
    con.execute(
        "DELETE FROM ops.docs AS d WHERE EXISTS (SELECT 1 FROM new_docs AS n "
        "WHERE n.schema_name = d.schema_name AND n.object_name = d.object_name "
        "AND n.column_name IS NOT DISTINCT FROM d.column_name)"
    )
    con.execute("INSERT INTO ops.docs SELECT * FROM new_docs")
    con.unregister("new_docs")
