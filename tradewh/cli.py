"""tradewh: ask the trade-statistics warehouse questions (sql, query, shell, docs, export,
claims), and run and watch its refresh (refresh, status, backfill, quarantine, report)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from contextlib import nullcontext
from enum import StrEnum
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any, NoReturn

import click
import duckdb
import pyarrow.parquet as pq
import typer
from rich.console import Console

from tradewh import adhoc, arguments, coverage, entry, helpstyle, queries
from tradewh.export import ExportFormat
from tradewh.render import TEXT_FORMATS, OutputFormat, render
from tradewh.settings import get_settings, use_warehouse
from tradewh.warehouse import WarehouseError, reader

helpstyle.install()
app = typer.Typer(
    cls=entry.Group,
    add_completion=False,
    no_args_is_help=True,
    help=__doc__,
    pretty_exceptions_enable=False,
    epilog="Run `tradewh COMMAND --help` for a command's options and examples.",
)
err = Console(stderr=True)


# Exit codes a cron job or monitor can tell apart.
EXIT_ATTENTION = 1
EXIT_BUSY = 3


def _print_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"tradewh {package_version('tradewh')} (duckdb {duckdb.__version__})")
        raise typer.Exit()


@app.callback()
def global_options(
    warehouse: Annotated[
        Path | None,
        typer.Option(
            "--warehouse",
            "-w",
            metavar="DIR",
            help="The warehouse's data directory (its catalog.sqlite, lake/, reports) "
            "[TRADEWH_DATA_DIR, else data]; a shared catalog is named by TRADEWH_CATALOG.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    if warehouse is not None:
        use_warehouse(warehouse)


def _reader(at: str | None = None) -> duckdb.DuckDBPyConnection:
    try:
        return reader(get_settings(), at=at)
    except WarehouseError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:  # while the lake was being attached: the query never started
        raise adhoc.Cancelled("query cancelled (Ctrl-C)") from None


def _require_warehouse() -> None:
    """Before a command that writes into an existing warehouse: opening it for writing would
    otherwise create an empty one wherever the path points, and then fail inside it."""
    _reader().close()


def _width() -> int | None:
    """The terminal's width for a table, None when stdout is a file or a pipe (a script wants
    every character)."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _emit(text: str, output: Path | None) -> None:
    """To the file, else to stdout: through a pager when a terminal cannot show it all."""
    if output is not None:
        output.write_text(text)
        err.print(f"wrote {output}", highlight=False)
    elif (
        # A pager reads its keys from stdin: both ends must be a terminal.
        sys.stdin.isatty()
        and sys.stdout.isatty()
        and text.count("\n") > shutil.get_terminal_size().lines
    ):
        click.echo_via_pager(text)
    else:
        sys.stdout.write(text)


def _fail(message: str, code: int = 1) -> NoReturn:
    # Plain text, not rich markup: DuckDB's caret under the error position must stay aligned.
    typer.echo(message.rstrip(), err=True)
    raise typer.Exit(code)


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="table (fits the terminal), line (one line per column), csv, json, markdown or "
        "parquet.",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to this file (needed for parquet)."),
]
LimitOption = Annotated[
    int,
    typer.Option(
        "--limit", min=1, metavar="N", help="Rows shown in a table; csv/json/parquet get all."
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=0.001,
        metavar="SECONDS",
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
    params: dict[str, Any],
    fmt: OutputFormat,
    output: Path | None,
    limit: int,
    timeout: float | None,
    at: str | None = None,
) -> None:
    """Run a read-only query and print or write each statement's result."""
    from tradewh.lakeops import parse_at

    if fmt is OutputFormat.parquet and output is None:
        raise arguments.BadArgument("--format parquet needs --output FILE")
    if output is not None:
        arguments.output_file(output)
    try:
        snapshot = parse_at(at) if at is not None else None
    except ValueError as exc:
        raise arguments.BadArgument(str(exc)) from None
    settings = get_settings()
    con = _reader(at=snapshot)
    try:
        if fmt is OutputFormat.parquet:
            pq.write_table(adhoc.run_arrow(con, sql, params, timeout), output)
            err.print(f"wrote {output}", highlight=False)
            return
        # Only what people read is cut to --limit: a file format is for all the rows.
        shown = limit if fmt in (OutputFormat.table, OutputFormat.line) else None
        texts: list[str] = []
        for result in adhoc.results(con, sql, params, timeout, shown):
            text = render(
                result.columns,
                result.rows,
                fmt,
                result.total_rows,
                width=_width() if output is None else None,
                colour=_colour() and output is None,
            )
            if fmt in (OutputFormat.table, OutputFormat.line):
                text += coverage.empty_note(result, settings, con)
            # Each result as soon as it is there, a blank line between them: a later statement
            # that fails leaves the earlier results on the screen.
            if output is None:
                _emit(("\n" if texts else "") + text, None)
            texts.append(text)
    except adhoc.QueryError as exc:
        _fail(str(exc))
    finally:
        con.close()
    if output is not None:
        _emit("".join(texts), output)


SQL_EXAMPLES = """Examples:

  tradewh sql "select partner_name, balance_musd from marts.balance_annual limit 5"

  tradewh sql --file question.sql --format csv --output answer.csv

  echo "select 1; select 2" | tradewh sql --file -

Ctrl-C stops a running query (exit 130).
"""


@app.command(epilog=SQL_EXAMPLES)
def sql(
    query: Annotated[
        str | None,
        typer.Argument(
            metavar="QUERY",
            help="SQL to run (read-only); several statements, each result shown.",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file", "-f", metavar="FILE", help="Read the SQL from a file (- for stdin)."
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    limit: LimitOption = 1000,
    timeout: TimeoutOption = None,
    at: AtOption = None,
) -> None:
    """Run a read-only query against the warehouse and print the result."""
    if file is not None and query:
        raise arguments.BadArgument("give the SQL as an argument or with --file, not both")
    if file is not None:
        query = arguments.text_input(file, "SQL file")
        if not query.strip():
            raise arguments.BadArgument(f"{file} is empty: no SQL to run")
    if not query or not query.strip():
        raise arguments.BadArgument('give a query: tradewh sql "select ..." (or --file FILE)')
    _answer(query, {}, fmt, output, limit, timeout, at)


QUERY_EXAMPLES = """Examples:

  tradewh query --list

  tradewh query top_deficit_partners --param year=1995 --param n=3

  tradewh query first_vs_latest -p period=1994-03 --format json
"""


@app.command(epilog=QUERY_EXAMPLES)
def query(
    name: Annotated[
        str | None,
        typer.Argument(metavar="NAME", help="Saved query (see --list).", show_default=False),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="A parameter, checked against its declared type; repeatable.",
            show_default=False,
        ),
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
    if output is not None:
        arguments.output_file(output)
    if list_them or name is None:
        if fmt not in TEXT_FORMATS:
            raise arguments.BadArgument(f"--list is shown as text: not --format {fmt}")
        try:
            saved = queries.catalogue(directory).values()
        except adhoc.QueryError as exc:
            _fail(str(exc))
        rows = [(q.name, q.description, q.usage()) for q in saved]
        width = _width() if output is None else None
        _emit(render(["name", "description", "parameters"], rows, fmt, width=width), output)
        return
    try:
        chosen = queries.find(directory, name)
        values = queries.bind(chosen, queries.parse_assignments(param or []))
    except adhoc.QueryError as exc:
        # Everything here is about what was typed: the name or a parameter.
        raise arguments.BadArgument(f"query {name}: {exc}") from None
    if show:
        _emit(chosen.sql, output)
        return
    _answer(chosen.sql, values, fmt, output, limit, timeout)


SHELL_EXAMPLES = (
    "Examples:\n\n  tradewh shell\n\n  tradewh shell --bail < questions.sql\n\n"
    "At the prompt: statements end with ';'; .help lists the dot-commands; \\x switches to one "
    "line per column; Tab completes schemas, tables and columns; Ctrl-C cancels the running "
    "query or the statement being typed; .quit, \\q, exit or Ctrl-D leaves.\n"
)


@app.command(epilog=SHELL_EXAMPLES)
def shell(
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 1000,
    timeout: TimeoutOption = None,
    bail: Annotated[
        bool,
        typer.Option("--bail", help="Stop at the first statement that fails (for scripts)."),
    ] = False,
) -> None:
    """An interactive read-only SQL prompt with history (reads statements from a pipe too)."""
    from tradewh.shell import Shell, piped_lines, prompted_lines

    if fmt not in TEXT_FORMATS:
        raise arguments.BadArgument(
            f"--format {fmt} is not shown in a shell: use table, line, csv, json or markdown"
        )
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    session = Shell(
        get_settings(),
        sys.stdout,
        sys.stderr,
        fmt,
        timeout,
        limit,
        bail=bail,
        width=_width if interactive else None,
        colour=_colour(),
    )
    session.loop(prompted_lines(session) if interactive else piped_lines(sys.stdin))
    # Piped: fail like a script would when any statement failed.
    if session.failures and not interactive:
        raise typer.Exit(1)


class DocsFormat(StrEnum):
    table = "table"
    markdown = "markdown"


@app.command(
    epilog="Examples:\n\n  tradewh docs marts.balance_monthly\n\n"
    "  tradewh docs --schema marts --format markdown -o dictionary.md"
)
def docs(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME", help="One table or view (schema.name or name).", show_default=False
        ),
    ] = None,
    schema: Annotated[
        list[str] | None,
        typer.Option(
            "--schema", metavar="SCHEMA", help="Only this schema; repeatable.", show_default=False
        ),
    ] = None,
    fmt: Annotated[DocsFormat, typer.Option("--format", help="table or markdown.")] = (
        DocsFormat.table
    ),
    output: OutputOption = None,
) -> None:
    """The data dictionary: every table, view and column with its type and comment."""
    from tradewh.dictionary import SCHEMAS, describe, render_dictionary

    if output is not None:
        arguments.output_file(output)
    con = _reader()
    try:
        objects = describe(con, tuple(schema or SCHEMAS), name)
    finally:
        con.close()
    if not objects:
        _fail(f"no table or view {name!r}" if name else "no tables or views")
    width = _width() if output is None else None
    _emit(render_dictionary(objects, OutputFormat(fmt.value), width), output)


@app.command(epilog="Example:\n\n  tradewh export --dir /tmp/marts --format parquet")
def export(
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            metavar="DIR",
            help="Where to write \\[export/ in the data directory].",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        list[ExportFormat] | None,
        typer.Option(
            "--format", help="parquet and/or csv; repeatable \\[both].", show_default=False
        ),
    ] = None,
    schema: Annotated[
        str, typer.Option("--schema", metavar="SCHEMA", help="Schema to export.")
    ] = "marts",
) -> None:
    """Write every view of the marts to Parquet (comments as metadata) and CSV."""
    from rich.progress import Progress

    from tradewh.export import export as export_schema

    settings = get_settings()
    target = arguments.output_dir(directory or settings.data_dir / "export")
    con = _reader()
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


class ClaimsFormat(StrEnum):
    table = "table"
    json = "json"


def _source_names() -> list[str]:
    # Only when checking: importing every source's parser costs every command half a second.
    from tradewh.sources import registry

    return sorted(registry())


@app.command(
    epilog="Examples:\n\n  tradewh refresh\n\n  tradewh refresh --source ft900 --source alfred"
)
def refresh(
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            metavar="SOURCE",
            help="Only this source (census_country, ft900, ...); repeatable \\[all].",
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Run the nightly refresh flow once, now, and print its summary."""
    if source:
        arguments.known(source, _source_names(), "source")
    # Offline-first: no usage reports from the temporary Prefect server, and Prefect's own
    # task chatter only with --verbose (the summary below says what happened).
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from flows.nightly import nightly_refresh
    from tradewh import progress

    stopped = (
        "refresh stopped (Ctrl-C): what was published stays, nothing is half-written; "
        "the next refresh picks up the rest"
    )
    with entry.ctrl_c_exits_at_once(stopped), progress.shown(err):
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


def _table(rows: list[dict[str, Any]], title: str, columns: list[str] | None = None) -> None:
    if not rows:
        print(f"{title}: none")
        return
    columns = columns or list(rows[0])
    print(title)
    sys.stdout.write(
        render(
            columns,
            [tuple(r.get(c) for c in columns) for r in rows],
            OutputFormat.table,
            row_count=False,
            width=_width(),
        )
    )


def _say(text: str) -> None:
    """A line of the status, wrapped to the terminal with its continuation indented."""
    import textwrap

    width = _width() or 100
    print(textwrap.fill(text, width, initial_indent="  ", subsequent_indent="    "))


def _month(value: Any) -> str | None:
    return value.strftime("%Y-%m") if value is not None else None


def _day(value: Any) -> str | None:
    return value.strftime("%Y-%m-%d") if value is not None else None


@app.command(epilog="Exit code: 0 all is well, 1 something needs attention.")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Last runs, freshness per source, open alerts, quarantined vintages, warehouse size.
    Exits 1 when something needs attention."""
    from tradewh.status import collect

    try:
        report = collect(get_settings())
    except WarehouseError as exc:
        _fail(str(exc), EXIT_ATTENTION)
    if as_json:
        print(json.dumps(report, default=str, indent=1))
    else:
        print(f"tradewh status: {'NEEDS ATTENTION' if report['needs_attention'] else 'OK'}")
        for reason in report["reasons"]:
            _say(f"needs attention: {reason}")
        for note in report["deliberately_off"]:
            _say(f"off in the {report['profile']} profile: {note}")
        print(f"warehouse {report['warehouse']} ({report['warehouse_bytes'] / 1e6:.1f} MB)")
        if report["writer"]:
            print(
                f"being written by pid {report['writer']['pid']} since {report['writer']['since']}"
            )
        _table(report["runs"], "last runs", ["run_id", "started_at", "seconds", "state"])
        _table(
            [
                {
                    "source": row["source"],
                    "newest": _month(row.get("newest_period")),
                    "fetched": _day(row.get("last_fetched_at")),
                    "next due": _day(row.get("next_release_due_at")),
                    "status": row["status"],
                    "days late": row.get("days_late"),
                }
                for row in report["freshness"]
            ],
            "freshness",
        )
        _table(
            report["open_alerts"],
            "open alerts",
            ["alert_id", "source", "severity", "title", "occurrences", "last_seen_at"],
        )
        _table(report["quarantined"], "quarantined vintages")
    if report["needs_attention"]:
        raise typer.Exit(EXIT_ATTENTION)


quarantine_app = typer.Typer(
    help="Inspect quarantined vintages and decide on them.", no_args_is_help=True
)
app.add_typer(quarantine_app, name="quarantine")


def _who() -> str:
    return os.environ.get("USER") or os.environ.get("LOGNAME") or "unknown"


@quarantine_app.command("list")
def quarantine_list(
    all_entries: Annotated[bool, typer.Option("--all", help="Decided ones too.")] = False,
) -> None:
    """Quarantined vintages awaiting a decision."""
    from tradewh import quarantine

    con = _reader()
    try:
        _table(quarantine.list_entries(con, all_entries), "quarantine")
    finally:
        con.close()


@quarantine_app.command("show")
def quarantine_show(quarantine_id: int) -> None:
    """The failed expectations, sample bad rows and where the raw payload is."""
    from tradewh import quarantine

    settings = get_settings()
    con = _reader()
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
        _require_warehouse()
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
        _require_warehouse()
        quarantine.discard(get_settings(), quarantine_id, by or _who(), reason)
    except (quarantine.QuarantineError, WriterBusy) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    print(f"quarantine {quarantine_id} discarded; raw payload kept")


@app.command(
    epilog="Example:\n\n  tradewh backfill --source census_api --from 2019-01 --to 2019-12"
)
def backfill(
    source: Annotated[
        str,
        typer.Option(
            "--source",
            "-s",
            metavar="SOURCE",
            help="Source to fetch again (census_api, census_country, ...).",
        ),
    ],
    start: Annotated[
        str, typer.Option("--from", metavar="YYYY-MM", help="First month (YYYY-MM or YYYY-MM-DD).")
    ],
    end: Annotated[
        str, typer.Option("--to", metavar="YYYY-MM", help="Last month (YYYY-MM or YYYY-MM-DD).")
    ],
    hs_level: Annotated[
        str | None,
        typer.Option(
            "--hs-level",
            metavar="LEVEL",
            help="Census API: HS detail too, one month a request (HS2, HS4, HS6, HS10).",
        ),
    ] = None,
    refetch: Annotated[
        bool,
        typer.Option("--refetch", help="Ask again for what an earlier backfill already decided."),
    ] = False,
) -> None:
    """Fetch a range of months again and publish what is new (idempotent).

    Ctrl-C or SIGTERM stops it at once; the same command then resumes: what a stopped run
    landed is loaded first, and what is already published or quarantined is not asked again."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from tradewh import pipeline, warehouse
    from tradewh.lock import WriterBusy, writer_lock

    arguments.known([source], _source_names(), "source")
    if hs_level is not None:
        arguments.known([hs_level], ["HS2", "HS4", "HS6", "HS10"], "HS level")
    first, last = arguments.month_range(start, end)
    _require_warehouse()
    settings = get_settings()
    stopped = (
        f"backfill {source} stopped: what was published stays, nothing is half-written; "
        "run the same command again to resume"
    )
    try:
        with (
            entry.ctrl_c_exits_at_once(stopped, also_sigterm=True),
            # A backfill waits its turn behind another writer (they are serialised); a second
            # nightly refresh does not (it would only repeat the first).
            writer_lock(
                settings, f"backfill {source} {start}..{end}", wait=settings.writer_wait_seconds
            ),
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rows]:,} rows, {task.fields[rate]:,.0f} rows/s"),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=err,
                disable=not err.is_terminal,
            ) as progress,
        ):
            task = progress.add_task(f"backfill {source}", total=None, rows=0, rate=0.0)

            def advance(state: pipeline.BackfillProgress, outcome: pipeline.ReleaseOutcome) -> None:
                progress.update(
                    task, completed=state.done, total=state.total, rows=state.rows, rate=state.rate
                )
                if not err.is_terminal:
                    eta = state.eta_seconds
                    print(
                        f"[{state.done}/{state.total}] {outcome.status} "
                        f"{outcome.rows_published:,} rows ({state.rows:,} rows, "
                        f"{state.rate:,.0f} rows/s, ETA {_duration(eta)}): {outcome.url}",
                        flush=True,
                    )

            done = pipeline.backfill(
                settings, source, first, last, advance, hs_level=hs_level, refetch=refetch
            )
            with warehouse.writer(settings) as con:
                warehouse.rebuild_views(con, settings.sql_dir)
    except WriterBusy as exc:
        err.print(f"[yellow]{exc}[/yellow]")
        raise typer.Exit(EXIT_BUSY) from None
    print(
        f"backfill {source} {start}..{end}: {done.total} requests, {done.rows:,} rows; "
        + ", ".join(f"{n} {status}" for status, n in sorted(done.statuses.items()))
    )
    if done.statuses.get("quarantined"):
        raise typer.Exit(EXIT_ATTENTION)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"


@app.command(
    epilog="Examples:\n\n  tradewh claims draft.txt --published 1994-05-20\n\n"
    "  pbpaste | tradewh claims - --format json"
)
def claims(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help="A UTF-8 text file: an article, a draft (- for stdin)."
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            metavar="YYYY-MM-DD",
            help="Publication date: resolves 'in March'.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ClaimsFormat, typer.Option("--format", help="table or json.")
    ] = ClaimsFormat.table,
    check: Annotated[
        bool,
        typer.Option("--check", help="Give each figure's verdict against the warehouse."),
    ] = False,
) -> None:
    """Extract the trade figures a text quotes, with what they were read as and the evidence;
    with --check, each figure's verdict against the warehouse (exit 1 when one differs)."""
    from dataclasses import asdict

    from tradewh.claims.extract import extract_claims
    from tradewh.claims.render import check_command, render_claims
    from tradewh.render import json_default

    day = arguments.day(published, "--published") if published else None
    text = arguments.text_input(file, "file")
    if check:
        try:
            output, notes, differs = check_command(text, day, fmt.value, get_settings())
        except WarehouseError as exc:
            _fail(str(exc))
        for note in notes:
            err.print(note)
        print(output)
        if differs:
            raise typer.Exit(EXIT_ATTENTION)
        return
    if day is None:
        err.print("no --published date: months without a year are left unresolved")
    found = extract_claims(text, day)
    if fmt is ClaimsFormat.json:
        # Amounts as JSON numbers, as `tradewh sql --format json` gives them.
        print(json.dumps([asdict(c) for c in found], default=json_default, indent=2))
    else:
        print(render_claims(found, "table"))


@app.command()
def report(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the HTML file \\[report/index.html beside the warehouse].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the analysts' report: one self-contained HTML file (charts, revisions, claim check,
    data quality), openable offline. The nightly refresh rewrites it when data changed."""
    from tradewh.report import write_report

    if output is not None:
        arguments.output_file(output)
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
def migrate(
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Rebuild every view and mart from all of core, not only the marts' rows "
            "published since the last build.",
        ),
    ] = False,
) -> None:
    """Apply pending migrations and bring the views and marts up to date (the refresh does
    this too): in full after a change to sql/, else only what was published since."""
    from tradewh import warehouse

    settings = get_settings()
    with warehouse.writer(settings) as con:
        applied = warehouse.migrate(con, settings.sql_dir)
        views = warehouse.rebuild_views(con, settings.sql_dir, full=full)
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
