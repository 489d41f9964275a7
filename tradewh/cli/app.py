"""tradewh: ask the trade-statistics warehouse questions (sql, query, shell, docs, export,
claims), and run and watch its refresh (refresh, status, backfill, quarantine, report)."""

from __future__ import annotations

import os
import shutil
import sys
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, NoReturn

import click
import duckdb
import typer
from rich.console import Console

from tradewh.cli import adhoc, entry, helpstyle
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
