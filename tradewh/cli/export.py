"""The marts as files for pandas, R or a BI tool: Parquet with the COMMENTs in its metadata,
CSV, and the data dictionary beside them (CSV has nowhere to carry comments)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from tradewh.cli.dictionary import DocumentedObject, describe, render_dictionary
from tradewh.cli.output import OutputFormat

# Keys of the Parquet metadata: pyarrow.parquet.read_schema(path).metadata[b"comment"] is the
# view's comment, schema.field(name).metadata[b"comment"] the column's.
COMMENT_KEY = b"comment"
OBJECT_KEY = b"tradewh.object"


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # object -> DuckDB's error


def with_comments(table: pa.Table, obj: DocumentedObject) -> pa.Table:
    """The table with the object's comment on its schema and each column's on its field."""
    comments = {c.name: c.comment for c in obj.columns}
    fields = [
        field.with_metadata({COMMENT_KEY: comments.get(field.name, "").encode()})
        for field in table.schema
    ]
    metadata = {COMMENT_KEY: obj.comment.encode(), OBJECT_KEY: obj.qualified.encode()}
    return pa.Table.from_arrays(table.columns, schema=pa.schema(fields, metadata=metadata))


def export(
    con: duckdb.DuckDBPyConnection,
    directory: Path,
    formats: tuple[ExportFormat, ...] = (ExportFormat.parquet, ExportFormat.csv),
    schema: str = "marts",
    on_written: Callable[[str, int, int], None] | None = None,
) -> ExportReport:
    """Write every view and table of the schema to <directory>/<name>.<format>, and
    <directory>/dictionary.md; on_written(object, done, total) after each object. A view that
    fails to compute is reported and the others are still written."""
    objects = [o for o in describe(con, (schema,)) if o.kind != "macro"]
    directory.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    for done, obj in enumerate(objects, start=1):
        try:
            table = con.sql(f'SELECT * FROM "{schema}"."{obj.name}"').to_arrow_table()
        except duckdb.Error as exc:
            report.failed[obj.qualified] = str(exc)
        else:
            table = with_comments(table, obj)
            for fmt in formats:
                path = directory / f"{obj.name}.{fmt}"
                if fmt is ExportFormat.parquet:
                    pq.write_table(table, path)
                else:
                    # DuckDB's CSV writer takes every type (lists too), pyarrow's does not.
                    con.from_arrow(table).write_csv(str(path))
                report.written.append(path)
        if on_written is not None:
            on_written(obj.qualified, done, len(objects))
    dictionary = directory / "dictionary.md"
    dictionary.write_text(f"# {schema}\n\n" + render_dictionary(objects, OutputFormat.markdown))
    report.written.append(dictionary)
    return report
