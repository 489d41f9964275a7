"""`tradewh quarantine`: what was held back, and releasing or discarding it."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from tradewh.cli.app import _reader, _require_warehouse, app, err
from tradewh.cli.running import _table
from tradewh.settings import get_settings

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
    from tradewh.ingest import quarantine

    con = _reader()
    try:
        _table(quarantine.list_entries(con, all_entries), "quarantine")
    finally:
        con.close()


@quarantine_app.command("show")
def quarantine_show(quarantine_id: int) -> None:
    """The failed expectations, sample bad rows and where the raw payload is."""
    from tradewh.ingest import quarantine

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
    from tradewh.ingest import quarantine
    from tradewh.store.lock import WriterBusy

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
    from tradewh.ingest import quarantine
    from tradewh.store.lock import WriterBusy

    try:
        _require_warehouse()
        quarantine.discard(get_settings(), quarantine_id, by or _who(), reason)
    except (quarantine.QuarantineError, WriterBusy) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    print(f"quarantine {quarantine_id} discarded; raw payload kept")
