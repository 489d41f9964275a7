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


# Exit codes a cron job or monitor can tell apart.
EXIT_ATTENTION = 1
EXIT_BUSY = 3


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
    if state.is_cancelled():
        err.print(f"[yellow]{state.message}[/yellow]", highlight=False)
        raise typer.Exit(EXIT_BUSY)
    summary = state.result(raise_on_failure=False)
    if hasattr(summary, "render"):
        print(summary.render())
    else:
        err.print(f"[red]refresh crashed: {summary}[/red]")
    if not state.is_completed():
        raise typer.Exit(1)


def _table(rows: list[dict[str, Any]], title: str) -> None:
    if not rows:
        print(f"{title}: none")
        return
    columns = list(rows[0])
    print(title)
    sys.stdout.write(
        render(columns, [tuple(r[c] for c in columns) for r in rows], OutputFormat.table)
    )


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Last runs, freshness per source, open alerts, quarantined vintages, warehouse size.
    Exits 1 when something needs attention."""
    from tradewh.status import collect

    try:
        report = collect(get_settings())
    except WarehouseError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_ATTENTION) from None
    if as_json:
        print(json.dumps(report, default=str, indent=1))
    else:
        state = (
            "NEEDS ATTENTION: " + "; ".join(report["reasons"])
            if report["needs_attention"]
            else "OK"
        )
        print(f"tradewh status: {state}")
        print(f"warehouse {report['warehouse']} ({report['warehouse_bytes'] / 1e6:.1f} MB)")
        if report["writer"]:
            print(
                f"being written by pid {report['writer']['pid']} since {report['writer']['since']}"
            )
        _table(report["runs"], "last runs")
        _table(report["freshness"], "freshness")
        _table(report["open_alerts"], "open alerts")
        _table(report["quarantined"], "quarantined vintages")
    if report["needs_attention"]:
        raise typer.Exit(EXIT_ATTENTION)


quarantine_app = typer.Typer(help="Inspect quarantined vintages and decide on them.")
app.add_typer(quarantine_app, name="quarantine")


def _who() -> str:
    return os.environ.get("USER") or os.environ.get("LOGNAME") or "unknown"


@quarantine_app.command("list")
def quarantine_list(
    all_entries: Annotated[bool, typer.Option("--all", help="Decided ones too.")] = False,
) -> None:
    """Quarantined vintages awaiting a decision."""
    from tradewh import quarantine

    con = reader(get_settings())
    try:
        _table(quarantine.list_entries(con, all_entries), "quarantine")
    finally:
        con.close()


@quarantine_app.command("show")
def quarantine_show(quarantine_id: int) -> None:
    """The failed expectations, sample bad rows and where the raw payload is."""
    from tradewh import quarantine

    settings = get_settings()
    con = reader(settings)
    try:
        entry = quarantine.show(con, settings, quarantine_id)
    except quarantine.QuarantineError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    finally:
        con.close()
    print(
        f"quarantine {quarantine_id}: {entry['source']} vintage {entry['release_id']} "
        f"({entry['status']})"
    )
    print(entry["reason"])
    print(f"raw payload: {entry['raw_payload']}")
    print(f"staged rows: {entry['staged_rows']:,}")
    _table(entry["sample_rows"], "first staged rows")


@quarantine_app.command("release")
def quarantine_release(
    quarantine_id: int,
    reason: Annotated[str, typer.Option("--reason", help="Why it may be published.")],
    by: Annotated[str, typer.Option("--by", help="Who decides.")] = "",
) -> None:
    """Publish a quarantined vintage after all (recorded with who and why)."""
    from tradewh import quarantine
    from tradewh.lock import WriterBusy

    try:
        rows = quarantine.release(get_settings(), quarantine_id, by or _who(), reason)
    except (quarantine.QuarantineError, WriterBusy) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    print(f"quarantine {quarantine_id} released: {rows:,} rows published")


@quarantine_app.command("discard")
def quarantine_discard(
    quarantine_id: int,
    reason: Annotated[str, typer.Option("--reason", help="Why it is set aside.")],
    by: Annotated[str, typer.Option("--by", help="Who decides.")] = "",
) -> None:
    """Mark a quarantined vintage handled without publishing it (the raw payload is kept)."""
    from tradewh import quarantine
    from tradewh.lock import WriterBusy

    try:
        quarantine.discard(get_settings(), quarantine_id, by or _who(), reason)
    except (quarantine.QuarantineError, WriterBusy) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    print(f"quarantine {quarantine_id} discarded; raw payload kept")


@app.command()
def backfill(
    source: Annotated[str, typer.Option("--source", "-s", help="Source to re-fetch.")],
    start: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    end: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM.")],
) -> None:
    """Fetch a range of months again and publish what is new (idempotent)."""
    from datetime import date

    from rich.progress import Progress

    from tradewh import pipeline, warehouse
    from tradewh.lock import WriterBusy, writer_lock

    settings = get_settings()
    first, last = (date.fromisoformat(f"{value}-01") for value in (start, end))
    try:
        with (
            writer_lock(settings, f"backfill {source} {start}..{end}"),
            Progress(console=err, disable=not err.is_terminal) as progress,
        ):
            task = progress.add_task(f"backfill {source}", total=None)

            def advance(done: int, total: int, outcome: pipeline.ReleaseOutcome) -> None:
                progress.update(task, completed=done, total=total)
                if not err.is_terminal:
                    print(f"[{done}/{total}] {outcome.status}: {outcome.url}", flush=True)

            outcomes = pipeline.backfill(settings, source, first, last, advance)
            with warehouse.writer(settings) as con:
                warehouse.rebuild_views(con, settings.sql_dir)
    except WriterBusy as exc:
        err.print(f"[yellow]{exc}[/yellow]")
        raise typer.Exit(EXIT_BUSY) from None
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    print(
        f"backfill {source} {start}..{end}: {len(outcomes)} requests; "
        + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    )
    if counts.get("quarantined"):
        raise typer.Exit(EXIT_ATTENTION)


@app.command()
def claims(
    file: Annotated[Path, typer.Argument(help="A text file: an article, a draft.")],
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication date YYYY-MM-DD: resolves 'in March'."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Extract the trade figures a text quotes, with what they were read as and the evidence."""
    from datetime import date

    from tradewh.claims.render import claims_command

    if fmt not in ("table", "json"):
        err.print("--format is table or json")
        raise typer.Exit(2)
    try:
        day = date.fromisoformat(published) if published else None
    except ValueError:
        err.print(f"--published {published!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from None
    print(claims_command(file, day, fmt))


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
