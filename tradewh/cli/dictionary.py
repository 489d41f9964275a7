"""The data dictionary: every table and view with its columns, types and COMMENTs, read from
the warehouse itself (so it cannot drift from what is there)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from tradewh.cli.output import OutputFormat, render

SCHEMAS = ("marts", "core", "ops", "staging")


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    comment: str


@dataclass(frozen=True)
class DocumentedObject:
    schema: str
    name: str
    kind: str  # table, view or macro
    comment: str
    columns: tuple[Column, ...]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


def describe(
    con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = SCHEMAS, name: str | None = None
) -> list[DocumentedObject]:
    """Objects in the schemas (in that order), or the one called `name` (schema.name or name)."""
    objects = con.execute(
        """
        SELECT schema_name, table_name, 'table', coalesce(comment, '') FROM duckdb_tables()
        WHERE database_name = current_database()
        UNION ALL
        SELECT schema_name, view_name, 'view', coalesce(comment, '') FROM duckdb_views()
        WHERE database_name = current_database() AND NOT internal
        UNION ALL
        SELECT DISTINCT schema_name, function_name, 'macro', coalesce(comment, '')
        FROM duckdb_functions()
        WHERE database_name = current_database() AND function_type = 'table_macro'
            AND NOT internal
        """
    ).fetchall()
    # Comments DuckLake cannot keep (on macros, on a view's columns) are in ops.docs.
    kept = {
        (schema, name, column): comment
        for schema, name, column, comment in con.execute(
            "SELECT schema_name, object_name, column_name, comment FROM ops.docs"
        ).fetchall()
    }
    objects = [
        (schema, name, kind, comment or kept.get((schema, name, None), ""))
        for schema, name, kind, comment in objects
    ]
    columns: dict[tuple[str, str], list[Column]] = {}
    for schema, table, column, data_type, comment in con.execute(
        """
        SELECT schema_name, table_name, column_name, data_type, coalesce(comment, '')
        FROM duckdb_columns() WHERE database_name = current_database()
        ORDER BY schema_name, table_name, column_index
        """
    ).fetchall():
        comment = comment or kept.get((schema, table, column), "")
        columns.setdefault((schema, table), []).append(Column(column, data_type, comment))
    found = [
        DocumentedObject(schema, table, kind, comment, tuple(columns.get((schema, table), [])))
        for schema, table, kind, comment in objects
        if schema in schemas
    ]
    if name is not None:
        found = [o for o in found if name in (o.name, o.qualified)]
    return sorted(found, key=lambda o: (schemas.index(o.schema), o.name))


def render_dictionary(
    objects: list[DocumentedObject], fmt: OutputFormat, width: int | None = None
) -> str:
    """One section per object: its kind and comment, then its columns as a table (`width`: a
    terminal's, which the table fits)."""
    parts: list[str] = []
    for obj in objects:
        rows = [(c.name, c.data_type, c.comment) for c in obj.columns]
        if fmt is OutputFormat.markdown:
            parts.append(f"## `{obj.qualified}` ({obj.kind})\n\n{obj.comment}\n\n")
            if rows:
                parts.append(render(["column", "type", "comment"], rows, fmt) + "\n")
        else:
            parts.append(f"{obj.qualified} ({obj.kind}): {obj.comment}\n")
            if rows:
                parts.append(
                    render(
                        ["column", "type", "comment"],
                        rows,
                        OutputFormat.table,
                        row_count=False,
                        width=width,
                    )
                )
            parts.append("\n")
    return "".join(parts)
