"""Ask the warehouse: `sql`, `query` (saved queries) and `shell`, read-only, with a time limit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import pyarrow.parquet as pq
import typer

from tradewh.cli import adhoc, arguments, coverage, queries
from tradewh.cli.app import _colour, _emit, _fail, _reader, _width, app, err
from tradewh.cli.output import TEXT_FORMATS, OutputFormat, render
from tradewh.settings import get_settings

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
    from tradewh.store.lakeops import parse_at

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
    from tradewh.cli.shell import Shell, piped_lines, prompted_lines

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
