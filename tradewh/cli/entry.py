"""How the `tradewh` command ends: a usage mistake or a checked argument in one line (exit 2),
Ctrl-C in one line (exit 130), and a traceback only for a bug, and then in a log file with one
line saying where (exit 70, EX_SOFTWARE).

In standalone mode typer ends a Ctrl-C silently, lets any other exception through as a
traceback and prints usage errors in a box; so the app's group (Group, below) runs its commands
with standalone_mode=False and this decides instead. Being the group's own `main`, it is what
the installed script and typer's CliRunner (the tests) both go through.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
import typer.core

from tradewh.cli.adhoc import Cancelled
from tradewh.cli.arguments import BadArgument

EXIT_USAGE = 2
EXIT_BUG = 70
EXIT_INTERRUPTED = 130


def error_log() -> Path:
    """Where a bug's traceback goes: $XDG_STATE_HOME/tradewh/errors.log."""
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state) / "tradewh" / "errors.log"


def _log_bug(argv: list[str]) -> str:
    text = "".join(traceback.format_exc())
    path = error_log()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as fh:
            fh.write(f"--- {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC: tradewh {' '.join(argv)}\n")
            fh.write(text)
    except OSError:
        # Nowhere to write it: the traceback itself is the only report left.
        sys.stderr.write(text)
        return "above"
    return f"in {path}"


def quiet_second_ctrl_c() -> None:
    """After a Ctrl-C has been dealt with, a second one while exiting must not traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def ctrl_c_exits_at_once(message: str, also_sigterm: bool = False) -> Iterator[None]:
    """While the block runs, Ctrl-C prints `message` and ends the process at once (exit 130).

    For the refresh: Prefect turns a KeyboardInterrupt into a crashed run and then hangs on its
    temporary server (which got the same Ctrl-C from the terminal), so the usual unwinding is
    no way out. Leaving at once is safe because the refresh is built to be killed: every write
    is a transaction or a write-then-rename, and the writer lock is released by the OS
    (tests/crash kills it with SIGKILL at every step)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, frame: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.stderr.write(f"\n{message}\n")
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)

    previous = signal.signal(signal.SIGINT, leave)
    # SIGTERM (a service manager stopping a backfill) leaves the same way.
    previous_term = signal.signal(signal.SIGTERM, leave) if also_sigterm else None
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)


def run(command: Callable[..., Any], argv: list[str] | None = None) -> int:
    """Run the click command on argv; the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        result = command(args=argv, prog_name="tradewh", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except (Cancelled, typer.Abort) as exc:
        quiet_second_ctrl_c()
        typer.echo(str(exc) if isinstance(exc, Cancelled) else "interrupted", err=True)
        return EXIT_INTERRUPTED
    except typer.TyperException as exc:
        return _typer_error(exc)
    except BadArgument as exc:
        typer.echo(str(exc), err=True)
        return EXIT_USAGE
    except BrokenPipeError:
        # `tradewh sql ... | head`: the reader has what it wanted.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        where = _log_bug(argv)
        typer.echo(
            f"tradewh: unexpected error, a bug: {type(exc).__name__}: {exc} "
            f"(traceback {where}; please report it)",
            err=True,
        )
        return EXIT_BUG
    # Typer returns the exit code of a typer.Exit it caught, else the command's return value;
    # a Ctrl-C outside a query reaches here as 130 (typer turns KeyboardInterrupt into Exit).
    if result == EXIT_INTERRUPTED:
        quiet_second_ctrl_c()
        typer.echo("interrupted", err=True)
    return result if isinstance(result, int) else 0


def _typer_error(exc: typer.TyperException) -> int:
    """typer's own click errors: a usage error (exit 2: unknown option, bad value, no such
    command) carries its context; one line, with where to look for help."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and exc.exit_code == EXIT_USAGE:
        if type(exc).__name__ == "NoArgsIsHelpError":
            # `tradewh` or `tradewh quarantine` alone: the help is the answer.
            typer.echo(ctx.get_help())
            return 0
        where = ctx.command_path
        typer.echo(f"{where}: {exc.format_message()} (see {where} --help)", err=True)
        return EXIT_USAGE
    typer.echo(exc.format_message(), err=True)
    return exc.exit_code


class Group(typer.core.TyperGroup):
    """The app's command group, ending every run through `run` above."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        def command(**kwargs: Any) -> Any:
            return super(Group, self).main(**{**extra, **kwargs})

        code = run(command, list(args) if args is not None else None)
        if standalone_mode:
            sys.exit(code)
        return code
