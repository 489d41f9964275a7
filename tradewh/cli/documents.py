"""What the warehouse holds, taken away: `docs` (the data dictionary), `export`, `claims` (figures
quoted in the news, checked) and `report`."""

from __future__ import annotations

import json
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tradewh.cli import arguments
from tradewh.cli.app import EXIT_ATTENTION, _emit, _fail, _reader, _width, app, err
from tradewh.cli.ask import OutputOption
from tradewh.cli.export import ExportFormat
from tradewh.cli.output import OutputFormat
from tradewh.settings import get_settings
from tradewh.warehouse import WarehouseError


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
    from tradewh.cli.dictionary import SCHEMAS, describe, render_dictionary

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

    from tradewh.cli.export import export as export_schema

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
    from tradewh.cli.output import json_default

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
