"""Run and watch the refresh: `refresh`, `status`, `backfill`."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated, Any

import typer

from tradewh.cli import arguments, entry
from tradewh.cli.app import EXIT_ATTENTION, EXIT_BUSY, _fail, _require_warehouse, _width, app, err
from tradewh.cli.output import OutputFormat, render
from tradewh.settings import get_settings
from tradewh.warehouse import WarehouseError


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
    from tradewh.ops import progress

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
    from tradewh.ops.status import collect

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


@app.command(
    epilog=(
        "Examples:\n\n  tradewh backfill census_api --from 2013-01 --to 2024-12 --hs-level HS10"
        "\n\n  tradewh backfill ft900 --from 2021-01 --to 2021-08"
    )
)
def backfill(
    source_argument: Annotated[
        str | None,
        typer.Argument(
            metavar="SOURCE",
            show_default=False,
            help="Source to fetch again (census_api, census_country, ft900, ...).",
        ),
    ] = None,
    source_option: Annotated[
        str | None,
        typer.Option("--source", "-s", metavar="SOURCE", help="The same, as an option."),
    ] = None,
    start: Annotated[
        str,
        typer.Option("--from", metavar="YYYY-MM", help="First month (YYYY-MM or YYYY-MM-DD)."),
    ] = "",
    end: Annotated[
        str, typer.Option("--to", metavar="YYYY-MM", help="Last month (YYYY-MM or YYYY-MM-DD).")
    ] = "",
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
    from tradewh.store.lock import WriterBusy, writer_lock

    source = _one_source(source_argument, source_option)
    if not start or not end:
        raise arguments.BadArgument(f"give both --from and --to, each {arguments.MONTH_FORMAT}")
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


def _one_source(argument: str | None, option: str | None) -> str:
    """SOURCE as written first (`backfill census_api`) or as --source, not two different ones."""
    if argument and option and argument != option:
        raise arguments.BadArgument(f"two sources given ({argument}, {option}): give one")
    source = argument or option
    if not source:
        raise arguments.BadArgument(
            "name the source: tradewh backfill SOURCE --from YYYY-MM --to YYYY-MM"
        )
    return source


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"
