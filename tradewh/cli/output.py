"""Query results as text: a table that fits the terminal, a record view (one line per column,
as `.mode line` in the duckdb CLI), CSV, JSON or a Markdown table.

A table and the record view are for reading, so they are formatted for people: thousands
separators, money to a tenth of a million dollars (the precision Census and BEA publish $M in),
timestamps to the second, NULL spelled out. CSV, JSON and Markdown are for programs and
documents: every digit, no separators.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rich.cells import cell_len

from tradewh.cli import boxtable


class OutputFormat(StrEnum):
    table = "table"
    line = "line"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    parquet = "parquet"


TEXT_FORMATS = (
    OutputFormat.table,
    OutputFormat.line,
    OutputFormat.csv,
    OutputFormat.json,
    OutputFormat.markdown,
)
# Money is DECIMAL(18,6) $M throughout the warehouse (exact to the dollar); read as 0.1 $M.
MONEY_SCALE, MONEY_SHOWN = 6, 1
# Whole numbers that name something rather than count it keep their digits together
# ("1994", not "1,994"; run 12345, not 12,345).
_NOT_A_QUANTITY = re.compile(r"(^|_)(year|id|code|version|rank|months|seen)$")


def _text(value: Any) -> str:
    """A value for CSV and Markdown: exact, no separators."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as SQL writes them; Python's True is not data
    if isinstance(value, Decimal):
        # -5752.700000 -> -5752.7: exact, without the padding of the column's scale.
        return format(value.normalize(), "f") if value else "0"
    return str(value)


def _is_money(value: Decimal) -> bool:
    return -value.as_tuple().exponent == MONEY_SCALE


def _decimal_scale(values: Sequence[Any], shown: bool = False) -> int | None:
    """Decimal places a DECIMAL column needs (so that its points line up), None if not one;
    `shown`: as a person reads it, money to at most 0.1 $M, other decimals (percentages) to the
    scale they were computed to."""
    places = []
    for value in values:
        if not isinstance(value, Decimal) or not value.is_finite():
            continue
        if not shown:
            places.append(max(0, -value.normalize().as_tuple().exponent))
        elif _is_money(value):
            places.append(max(0, -round(value, MONEY_SHOWN).normalize().as_tuple().exponent))
        else:
            places.append(max(0, -value.as_tuple().exponent))  # as declared: 43.60 (%)
    return max(places) if places else None


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        # A DECIMAL(18,6) has at most 15 significant digits below a billion $M, which a float's
        # shortest repr gives back digit for digit.
        return float(value)
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def json_default(value: Any) -> Any:
    """`default=` for json.dumps: numbers as numbers, anything else as its text."""
    return _json_value(value)


def _aligned_cells(columns: list[str], rows: Sequence[tuple[Any, ...]]) -> list[list[str]]:
    scales = [_decimal_scale([row[i] for row in rows]) for i in range(len(columns))]
    return [
        [
            f"{v:.{scale}f}" if scale is not None and isinstance(v, Decimal) else _text(v)
            for v, scale in zip(row, scales, strict=True)
        ]
        for row in rows
    ]


def _shown(value: Any, scale: int | None, grouped: bool) -> str:
    """A value as a person reads it in a table or the record view."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal) and value.is_finite():
        return f"{value:{',' if grouped else ''}.{scale or 0}f}"
    if isinstance(value, int):
        return f"{value:,}" if grouped else str(value)
    if isinstance(value, float):
        # 15 significant digits: the float's value without its binary noise (0.1 + 0.2).
        return format(value, ",.15g" if grouped else ".15g")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value).replace("\n", " ")


def _readable_cells(columns: list[str], rows: Sequence[tuple[Any, ...]]) -> list[list[str]]:
    scales = [_decimal_scale([row[i] for row in rows], shown=True) for i in range(len(columns))]
    grouped = [not _NOT_A_QUANTITY.search(c.lower()) for c in columns]
    return [
        [_shown(v, scale, group) for v, scale, group in zip(row, scales, grouped, strict=True)]
        for row in rows
    ]


def _numeric(rows: Sequence[tuple[Any, ...]], i: int) -> bool:
    return any(
        isinstance(row[i], int | float | Decimal) and not isinstance(row[i], bool) for row in rows
    )


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


def _records(columns: list[str], rows: Sequence[tuple[Any, ...]]) -> str:
    """One `name = value` line per column, a blank line between rows (duckdb's .mode line)."""
    width = max((cell_len(c) for c in columns), default=0)
    blocks = [
        "\n".join(
            " " * (width - cell_len(c)) + f"{c} = {v}" for c, v in zip(columns, cells, strict=True)
        )
        for cells in _readable_cells(columns, rows)
    ]
    return "\n\n".join(blocks) + ("\n\n" if blocks else "")


def render(
    columns: list[str],
    rows: Sequence[tuple[Any, ...]],
    fmt: OutputFormat,
    total_rows: int | None = None,
    row_count: bool = True,
    width: int | None = None,
    colour: bool = False,
) -> str:
    """The rows as text; a table ends with the row count (unless row_count is false), and says
    so when rows were cut (total_rows is how many the query gave when only some are passed).
    A table fits `width` columns (None: as wide as the data); `colour`: bold headers."""
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
    if fmt is OutputFormat.line:
        text = _records(columns, rows)
        return text + (_row_count(len(rows), total_rows) + "\n" if row_count else "")
    if fmt is not OutputFormat.table:
        raise ValueError(f"{fmt} is not a text format")
    text, hidden = "", 0
    if columns:
        numeric = [_numeric(rows, i) for i in range(len(columns))]
        text, hidden = boxtable.box(columns, _readable_cells(columns, rows), numeric, width, colour)
    footer = [_row_count(len(rows), total_rows)] if row_count else []
    if hidden:
        footer.append(
            f"{len(columns)} columns, {len(columns) - hidden} shown "
            "(--format line or \\x in the shell shows every column)"
        )
    return text + "".join(line + "\n" for line in footer)
