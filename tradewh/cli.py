"""The `tradewh` command: thin, it only calls the library and the flows."""

from __future__ import annotations

import json
import os
import shutil
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any, NoReturn

import click
import pyarrow.parquet as pq
import typer
from rich.console import Console

from tradewh import adhoc, queries
from tradewh.export import ExportFormat
from tradewh.render import TEXT_FORMATS, OutputFormat, render
from tradewh.settings import get_settings
from tradewh.warehouse import WarehouseError, reader

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
err = Console(stderr=True)


# Exit codes a cron job or monitor can tell apart.
EXIT_ATTENTION = 1
EXIT_BUSY = 3


def _emit(text: str, output: Path | None) -> None:
    """To the file, else to stdout: through a pager when a terminal cannot show it all."""
    if output is not None:
        output.write_text(text)
        err.print(f"wrote {output}", highlight=False)
    elif sys.stdout.isatty() and text.count("\n") > shutil.get_terminal_size().lines:
        click.echo_via_pager(text)
    else:
        sys.stdout.write(text)


def _fail(message: str, code: int = 1) -> NoReturn:
    # Plain text, not rich markup: DuckDB's caret under the error position must stay aligned.
    typer.echo(message.rstrip(), err=True)
    raise typer.Exit(code)


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (needed for parquet).")
]
LimitOption = Annotated[
    int, typer.Option("--limit", min=1, help="Rows shown in a table; csv/json/parquet get all.")
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=0.001,
        help=f"Seconds the query may run [{adhoc.TIMEOUT_ENV}, else 60].",
        show_default=False,
    ),
]


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="Answer as the warehouse stood then: a snapshot id (tradewh snapshots) or a time "
        "such as 2026-11-20T07:00 (UTC unless it says otherwise).",
        show_default=False,
    ),
]


def _answer(
    sql: str,
    params: dict[str, str],
    fmt: OutputFormat,
    output: Path | None,
    limit: int,
    timeout: float | None,
    at: str | None = None,
) -> None:
    """Run a read-only query and print or write its result."""
    from tradewh.lakeops import parse_at

    if fmt is OutputFormat.parquet and output is None:
        _fail("--format parquet needs --output FILE", 2)
    try:
        snapshot = parse_at(at) if at is not None else None
    except ValueError as exc:
        _fail(str(exc), 2)
    try:
        con = reader(get_settings(), at=snapshot)
    except WarehouseError as exc:
        _fail(str(exc))
    try:
        if fmt is OutputFormat.parquet:
            pq.write_table(adhoc.run_arrow(con, sql, params, timeout), output)
            err.print(f"wrote {output}", highlight=False)
            return
        # Only a table is cut to --limit: a file format is for all the rows.
        shown = limit if fmt is OutputFormat.table else None
        result = adhoc.run(con, sql, params, timeout, shown)
    except adhoc.QueryError as exc:
        _fail(str(exc))
    finally:
        con.close()
    _emit(render(result.columns, result.rows, fmt, result.total_rows), output)


@app.command()
def sql(
    query: Annotated[str | None, typer.Argument(help="SQL to run (read-only).")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the SQL from a file.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    limit: LimitOption = 1000,
    timeout: TimeoutOption = None,
    at: AtOption = None,
) -> None:
    """Run a read-only query against the warehouse and print the result."""
    if file is not None:
        query = file.read_text()
    if not query:
        _fail("give a query, or --file", 2)
    _answer(query, {}, fmt, output, limit, timeout, at)


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="Saved query (see --list).")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="name=value; repeatable.")
    ] = None,
    list_them: Annotated[
        bool, typer.Option("--list", help="The saved queries and their parameters.")
    ] = False,
    show: Annotated[bool, typer.Option("--show", help="Print the query's SQL.")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    limit: LimitOption = 1000,
    timeout: TimeoutOption = None,
) -> None:
    """Run a saved query from sql/queries/ by name."""
    directory = get_settings().sql_dir / "queries"
    try:
        if list_them or name is None:
            rows = [
                (q.name, q.description, q.usage()) for q in queries.catalogue(directory).values()
            ]
            _emit(render(["name", "description", "parameters"], rows, fmt), output)
            return
        saved = queries.find(directory, name)
        values = queries.bind(saved, queries.parse_assignments(param or []))
    except adhoc.QueryError as exc:
        _fail(str(exc))
    if show:
        _emit(saved.sql, output)
        return
    _answer(saved.sql, values, fmt, output, limit, timeout)


@app.command()
def shell(
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 1000,
    timeout: TimeoutOption = None,
) -> None:
    """An interactive read-only SQL prompt with history (reads statements from a pipe too)."""
    from tradewh.shell import Shell, piped_lines, prompted_lines

    if fmt not in TEXT_FORMATS:
        _fail(f"--format {fmt} is not shown in a shell: use table, csv, json or markdown", 2)
    session = Shell(get_settings(), sys.stdout, sys.stderr, fmt, timeout, limit)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    session.loop(prompted_lines(session) if interactive else piped_lines(sys.stdin))
    # Piped: fail like a script would when any statement failed.
    if session.failures and not interactive:
        raise typer.Exit(1)


@app.command()
def docs(
    name: Annotated[
        str | None, typer.Argument(help="One table or view (schema.name or name).")
    ] = None,
    schema: Annotated[
        list[str] | None, typer.Option("--schema", help="Only these schemas.")
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="table or markdown.")
    ] = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The data dictionary: every table, view and column with its type and comment."""
    from tradewh.dictionary import SCHEMAS, describe, render_dictionary

    if fmt not in (OutputFormat.table, OutputFormat.markdown):
        _fail("--format is table or markdown", 2)
    try:
        con = reader(get_settings())
    except WarehouseError as exc:
        _fail(str(exc))
    try:
        objects = describe(con, tuple(schema or SCHEMAS), name)
    finally:
        con.close()
    if not objects:
        _fail(f"no table or view {name!r}" if name else "no tables or views")
    _emit(render_dictionary(objects, fmt), output)


@app.command()
def export(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Where to write [the data directory/export]."),
    ] = None,
    fmt: Annotated[
        list[ExportFormat] | None,
        typer.Option("--format", help="parquet and/or csv [both]."),
    ] = None,
    schema: Annotated[str, typer.Option("--schema", help="Schema to export.")] = "marts",
) -> None:
    """Write every view of the marts to Parquet (comments as metadata) and CSV."""
    from rich.progress import Progress

    from tradewh.export import export as export_schema

    settings = get_settings()
    target = directory or settings.data_dir / "export"
    try:
        con = reader(settings)
    except WarehouseError as exc:
        _fail(str(exc))
    try:
        with Progress(console=err, disable=not err.is_terminal) as progress:
            task = progress.add_task(f"export {schema}", total=None)

            def advance(obj: str, done: int, total: int) -> None:
                progress.update(task, completed=done, total=total, description=obj)
                if not err.is_terminal:
                    print(f"[{done}/{total}] {obj}", flush=True)

            report = export_schema(
                con, target, tuple(fmt or ExportFormat), schema, on_written=advance
            )
    finally:
        con.close()
    print(f"export: {len(report.written)} files in {target}")
    for obj, message in report.failed.items():
        typer.echo(f"not exported: {obj}: {message}", err=True)
    if report.failed:
        raise typer.Exit(1)


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
    from tradewh import progress

    with progress.shown(err):
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
            # A backfill waits its turn behind another writer (they are serialised); a second
            # nightly refresh does not (it would only repeat the first).
            writer_lock(
                settings, f"backfill {source} {start}..{end}", wait=settings.writer_wait_seconds
            ),
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
    check: Annotated[
        bool,
        typer.Option("--check", help="Give each figure's verdict against the warehouse."),
    ] = False,
) -> None:
    """Extract the trade figures a text quotes, with what they were read as and the evidence;
    with --check, each figure's verdict against the warehouse (exit 1 when one differs)."""
    from datetime import date

    from tradewh.claims.render import check_command, claims_command

    if fmt not in ("table", "json"):
        err.print("--format is table or json")
        raise typer.Exit(2)
    try:
        day = date.fromisoformat(published) if published else None
    except ValueError:
        err.print(f"--published {published!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from None
    if not check:
        if day is None:
            err.print("no --published date: months without a year are left unresolved")
        print(claims_command(file, day, fmt))
        return
    settings = get_settings()
    try:
        output, notes, differs = check_command(file, day, fmt, settings)
    except WarehouseError as exc:
        _fail(str(exc))
    for note in notes:
        err.print(note)
    print(output)
    if differs:
        raise typer.Exit(EXIT_ATTENTION)


@app.command()
def report(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write the HTML file.")
    ] = None,
) -> None:
    """Write the analysts' report: one self-contained HTML file (charts, revisions, claim check,
    data quality), openable offline. The nightly refresh rewrites it when data changed."""
    from tradewh.report import write_report

    settings = get_settings()
    try:
        with (
            err.status("building the report", spinner="dots") if err.is_terminal else nullcontext()
        ):
            path = write_report(settings, output)
    except WarehouseError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    print(f"report written: {path}")


@app.command()
def migrate() -> None:
    """Apply pending migrations and rebuild the views (the refresh does this too)."""
    from tradewh import warehouse

    settings = get_settings()
    with warehouse.writer(settings) as con:
        applied = warehouse.migrate(con, settings.sql_dir)
        views = warehouse.rebuild_views(con, settings.sql_dir)
    print(f"{len(applied)} migrations applied, {len(views)} views rebuilt")


@app.command()
def connect(
    python: Annotated[bool, typer.Option("--python", help="Only the Python lines.")] = False,
) -> None:
    """Print how to open the warehouse read-only from the duckdb CLI or Python, alongside the
    nightly refresh (readers never wait for it, nor it for them)."""
    from tradewh import lake

    settings = get_settings()
    setup = (
        f"SET extension_directory = '{lake.extension_dir(settings).resolve()}'; "
        f"{lake.attach_sql(settings, read_only=True)}; USE {lake.CATALOG_NAME};"
    )
    cli = shutil.which("duckdb") or str(Path(sys.prefix) / "bin" / "duckdb")
    if not python:
        print("# duckdb CLI (installed with tradewh, the same DuckDB version):")
        print(f'{cli} -cmd "{setup}"')
        print()
    print("# Python, with tradewh installed:")
    print("import tradewh; con = tradewh.connect()")
    print("# Python, with duckdb==1.5.5 alone:")
    print(f'import duckdb; con = duckdb.connect(); con.execute("""{setup}""")')


@app.command()
def snapshots(
    every: Annotated[
        bool, typer.Option("--all", help="Every commit, not only publishes and rebuilds.")
    ] = False,
    limit: LimitOption = 50,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The warehouse's snapshots, newest first: when, which run, which release, what it did.
    `tradewh sql --at ID` answers as of any of them."""
    from tradewh.lakeops import snapshots as list_snapshots

    settings = get_settings()
    try:
        con = reader(settings)
    except WarehouseError as exc:
        _fail(str(exc))
    try:
        columns, rows = list_snapshots(con, settings, every=every, limit=limit)
    finally:
        con.close()
    _emit(render(columns, rows, fmt), None)


@app.command()
def maintain() -> None:
    """Merge small files, expire snapshots past the retention (TRADEWH_SNAPSHOT_RETENTION_DAYS)
    and delete the files only they used, a grace period (TRADEWH_SNAPSHOT_GRACE_HOURS) later.
    The nightly refresh does this too."""
    from tradewh import lakeops, warehouse
    from tradewh.lock import WriterBusy, writer_lock

    settings = get_settings()
    try:
        with writer_lock(settings, "maintain"), warehouse.writer(settings) as con:
            done = lakeops.maintain(con, settings)
    except WriterBusy as exc:
        err.print(f"[yellow]{exc}[/yellow]")
        raise typer.Exit(EXIT_BUSY) from None
    print(done.describe())


@app.command()
def rebuild(
    data_dir: Annotated[
        Path, typer.Option("--data-dir", help="Directory of the new warehouse (must be new).")
    ],
    catalog: Annotated[
        str | None, typer.Option("--catalog", help="Its catalog [sqlite:DATA_DIR/catalog.sqlite].")
    ] = None,
    data_path: Annotated[
        str | None, typer.Option("--data-path", help="Its Parquet files [DATA_DIR/lake/].")
    ] = None,
) -> None:
    """Build a new warehouse from the landing store alone, replaying every landed payload in
    the order it was first fetched: the way to move to another catalog or a new version."""
    from tradewh import rebuild as replay

    source = get_settings()
    target = source.model_copy(
        update={"data_dir": data_dir, "catalog": catalog, "data_path": data_path}
    )
    try:
        done = replay.rebuild(source, target)
    except (WarehouseError, replay.RebuildError) as exc:
        _fail(str(exc))
    print(done.describe())


if __name__ == "__main__":
    app()
