"""The `tradewh` command: thin, it only calls the library and the flows."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from tradewh.settings import get_settings
from tradewh.warehouse import WarehouseError, reader

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
err = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


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


def render(columns: list[str], rows: list[tuple[Any, ...]], fmt: OutputFormat) -> str:
    if fmt is OutputFormat.csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_text(v) for v in row] for row in rows)
        return out.getvalue()
    if fmt is OutputFormat.json:
        return (
            json.dumps(
                [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows],
                indent=1,
            )
            + "\n"
        )
    table = Table(box=box.SQUARE, header_style="bold")
    scales = [_decimal_scale(row[i] for row in rows) for i in range(len(columns))]
    for i, column in enumerate(columns):
        numeric = any(isinstance(row[i], int | float | Decimal) for row in rows)
        table.add_column(column, justify="right" if numeric else "left", no_wrap=True)
    for row in rows:
        table.add_row(
            *(
                f"{v:.{scale}f}" if scale is not None and isinstance(v, Decimal) else _text(v)
                for v, scale in zip(row, scales, strict=True)
            )
        )
    # As wide as the data needs: a query result is not to be folded or cut to the terminal.
    console = Console(file=io.StringIO(), width=100_000, record=True)
    console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    return console.export_text()


@app.command()
def sql(
    query: Annotated[str | None, typer.Argument(help="SQL to run (read-only).")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the SQL from a file.")
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    """Run a read-only query against the warehouse and print the result."""
    if file is not None:
        query = file.read_text()
    if not query:
        err.print("give a query, or --file")
        raise typer.Exit(2)
    settings = get_settings()
    try:
        con = reader(settings)
    except WarehouseError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    try:
        result = con.execute(query)
        columns = [d[0] for d in result.description] if result.description else []
        rows = result.fetchall() if columns else []
    except duckdb.Error as exc:
        err.print(f"[red]{type(exc).__name__}: {exc}[/red]", highlight=False)
        raise typer.Exit(1) from None
    finally:
        con.close()
    sys.stdout.write(render(columns, rows, fmt))


@app.command()
def refresh(
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Only these sources.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Run the nightly refresh flow once, now, and print its summary."""
    # Offline-first: no usage reports from the temporary Prefect server, and Prefect's own
    # task chatter only with --verbose (the summary below says what happened).
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from flows.nightly import nightly_refresh

    state = nightly_refresh(sources=source or None, return_state=True)
    summary = state.result(raise_on_failure=False)
    if hasattr(summary, "render"):
        print(summary.render())
    else:
        err.print(f"[red]refresh crashed: {summary}[/red]")
    if not state.is_completed():
        raise typer.Exit(1)


@app.command()
def migrate() -> None:
    """Apply pending migrations and rebuild the views (the refresh does this too)."""
    from tradewh import warehouse

    settings = get_settings()
    with warehouse.writer(settings) as con:
        applied = warehouse.migrate(con, settings.sql_dir)
        views = warehouse.rebuild_views(con, settings.sql_dir)
    print(f"{len(applied)} migrations applied, {len(views)} views rebuilt")


if __name__ == "__main__":
    app()
