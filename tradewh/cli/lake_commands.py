"""Looking after the lake: `migrate`, `connect`, `snapshots`, `maintain`, `rebuild`."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from tradewh.cli.app import EXIT_BUSY, _emit, _fail, app, err
from tradewh.cli.ask import FormatOption, LimitOption
from tradewh.cli.output import OutputFormat, render
from tradewh.settings import get_settings
from tradewh.warehouse import WarehouseError, reader


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
    from tradewh.store import lake

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
    from tradewh.store.lakeops import snapshots as list_snapshots

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
    from tradewh import warehouse
    from tradewh.store import lakeops
    from tradewh.store.lock import WriterBusy, writer_lock

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
    from tradewh.ingest import rebuild as replay

    source = get_settings()
    target = source.model_copy(
        update={"data_dir": data_dir, "catalog": catalog, "data_path": data_path}
    )
    try:
        done = replay.rebuild(source, target)
    except (WarehouseError, replay.RebuildError) as exc:
        _fail(str(exc))
    print(done.describe())
