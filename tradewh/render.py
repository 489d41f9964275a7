"""Query results as text: an aligned table, CSV, JSON or a Markdown table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    parquet = "parquet"


TEXT_FORMATS = (OutputFormat.table, OutputFormat.csv, OutputFormat.json, OutputFormat.markdown)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # -5752.700000 -> -5752.7: exact, without the padding of the column's scale.
        return format(value.normalize(), "f") if value else "0"
    return str(value)


def _decimal_scale(values: Iterable[Any]) -> int | None:
    """Decimal places a DECIMAL column needs (so that its points line up), None if not one."""
    places = [
        max(0, -value.normalize().as_tuple().exponent)
        for value in values
        if isinstance(value, Decimal) and value.is_finite()
    ]
    return max(places) if places else None


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        # A DECIMAL(18,6) has at most 15 significant digits below a billion $M, which a float's
        # shortest repr gives back digit for digit.
        return float(value)
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _aligned_cells(columns: list[str], rows: Sequence[tuple[Any, ...]]) -> list[list[str]]:
    scales = [_decimal_scale(row[i] for row in rows) for i in range(len(columns))]
    return [
        [
            f"{v:.{scale}f}" if scale is not None and isinstance(v, Decimal) else _text(v)
            for v, scale in zip(row, scales, strict=True)
        ]
        for row in rows
    ]


def _numeric(rows: Sequence[tuple[Any, ...]], i: int) -> bool:
    return any(isinstance(row[i], int | float | Decimal) for row in rows)


def _row_count(shown: int, total: int | None) -> str:
    total = shown if total is None else total
    plural = "s" if total != 1 else ""
    if total <= shown:
        return f"{total:,} row{plural}"
    return (
        f"{total:,} row{plural}, {shown:,} shown: {total - shown:,} more rows not shown; "
        "use --format csv --output FILE"
    )


def _markdown(columns: list[str], rows: Sequence[tuple[Any, ...]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(cell(c) for c in columns) + " |",
        "|" + "|".join("---:" if _numeric(rows, i) else "---" for i in range(len(columns))) + "|",
    ]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in _aligned_cells(columns, rows)
    ]
    return "\n".join(lines) + "\n"


def render(
    columns: list[str],
    rows: Sequence[tuple[Any, ...]],
    fmt: OutputFormat,
    total_rows: int | None = None,
    row_count: bool = True,
) -> str:
    """The rows as text; a table ends with the row count (unless row_count is false), and says
    so when rows were cut (total_rows is how many the query gave when only some are passed)."""
    if fmt is OutputFormat.csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_text(v) for v in row] for row in rows)
        return out.getvalue()
    if fmt is OutputFormat.json:
        records = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        return json.dumps(records, indent=1) + "\n"
    if fmt is OutputFormat.markdown:
        return _markdown(columns, rows)
    if fmt is not OutputFormat.table:
        raise ValueError(f"{fmt} is not a text format")
    table = Table(box=box.SQUARE, header_style="bold")
    for i, column in enumerate(columns):
        justify = "right" if _numeric(rows, i) else "left"
        table.add_column(Text(column), justify=justify, no_wrap=True)
    for cells in _aligned_cells(columns, rows):
        # Text, not markup: a value such as "[R]" is data, not a style.
        table.add_row(*(Text(cell) for cell in cells))
    # As wide as the data needs: a query result is not to be folded or cut to the terminal.
    console = Console(file=io.StringIO(), width=100_000, record=True)
    if columns:
        console.print(table)
    if row_count:
        console.print(_row_count(len(rows), total_rows), highlight=False)
    return console.export_text()
