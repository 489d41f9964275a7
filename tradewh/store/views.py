"""Build the views and marts of sql/views: in full when the files changed, else only the marts'
rows the loads since the last build can change (tradewh.store.mart_refresh)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb

from tradewh import failpoints
from tradewh.store import column_docs, contracts
from tradewh.store.connections import WarehouseError, now_utc, set_commit_message
from tradewh.store.scripts import run_script
from tradewh.store.sqlfiles import read_sql, sql_text
from tradewh.store.transaction import transaction

VIEW_LAYERS = ("staging", "core", "intermediate", "marts")


def view_files(sql_dir: Path) -> list[Path]:
    """View files in build order: layer by layer, and within the layers, after the views they use.

    A view's name is its layer and file stem (sql/views/marts/revisions.sql -> marts.revisions);
    a file mentioning another view's name depends on it, which spares us a hand-kept order.
    """
    files = [
        path for layer in VIEW_LAYERS for path in sorted((sql_dir / "views" / layer).glob("*.sql"))
    ]
    return _in_build_order(files, _uses(files))


def files_for(sql_dir: Path, name: str, layers: tuple[str, ...]) -> list[Path]:
    """The file of view `name` (schema.name) after the files of `layers` it uses, directly or
    not, in build order: what an in-memory copy of that view needs (tradewh.claims.check)."""
    files = view_files(sql_dir)
    uses = _uses(files)
    by_name = {f"{path.parent.name}.{path.stem}": path for path in files}
    needed: set[Path] = set()
    todo = [by_name[name]]
    while todo:
        path = todo.pop()
        needed.add(path)
        todo += [p for p in uses[path] if p not in needed and p.parent.name in layers]
    return [path for path in files if path in needed]


def _uses(files: list[Path]) -> dict[Path, set[Path]]:
    names = {f"{path.parent.name}.{path.stem}": path for path in files}
    return {
        path: {
            other
            for name, other in names.items()
            if other != path and re.search(rf"\b{re.escape(name)}\b", read_sql(path))
        }
        for path in files
    }


def _in_build_order(files: list[Path], uses: dict[Path, set[Path]]) -> list[Path]:
    ordered: list[Path] = []
    visiting: set[Path] = set()

    def visit(path: Path) -> None:
        if path in ordered:
            return
        if path in visiting:
            raise WarehouseError(f"views depend on each other in a cycle: {path}")
        visiting.add(path)
        for dependency in sorted(uses[path]):
            visit(dependency)
        visiting.discard(path)
        ordered.append(path)

    for path in files:
        visit(path)
    return ordered


_CREATES = re.compile(r"^CREATE OR REPLACE (VIEW|TABLE) ", re.MULTILINE)


def _kinds_held(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """schema.name -> VIEW or TABLE, for every view and table held (one catalog read)."""
    return {
        f"{schema}.{name}": kind
        for schema, name, kind in con.execute(
            "SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() "
            "WHERE database_name = current_database() UNION ALL "
            "SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() "
            "WHERE database_name = current_database()"
        ).fetchall()
    }


def _files_sha256(sql_dir: Path, files: list[Path]) -> str:
    """What a build is made of: the view files, the marts' refresh scopes and contracts."""
    from tradewh.store import mart_refresh

    digest = hashlib.sha256()
    extra = mart_refresh.refresh_files(sql_dir) + contracts.contract_files(sql_dir)
    extra += [sql_dir / contracts.TEMPLATE, sql_dir / column_docs.COLUMNS_FILE]
    for path in files + extra:
        # Named from sql/: the same files elsewhere (a moved checkout) are the same build.
        name = path.relative_to(sql_dir).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _fingerprint(con: duckdb.DuckDBPyConnection, sql_dir: Path, files_sha256: str) -> str:
    inputs = con.execute(sql_text(sql_dir, "ops", "views_fingerprint")).fetchone()
    return hashlib.sha256(files_sha256.encode() + repr(inputs).encode()).hexdigest()


def rebuild_views(
    con: duckdb.DuckDBPyConnection, sql_dir: Path, force: bool = True, full: bool = False
) -> list[str]:
    """Bring the views and materialized marts up to date in one transaction, so readers see
    all or none.

    A full build (re)creates every view from sql/views; a file may create a table instead (a
    mart analysts query often, materialized from the views below it), and one that changes from
    view to table or back replaces the other kind. It is done for the first build, when a file
    changed since the last one (views, marts or their refresh scopes), or when `full` is asked.
    Otherwise only the marts' rows that the loads since the last build can change are
    recomputed (tradewh.store.mart_refresh): the nightly cost follows what was published, not the
    size of the warehouse. Without `force`, nothing is done (and nothing returned) when neither
    the files nor what is published changed since the last build (a quiet night stays quick).
    Returns the names built (all of them) or refreshed (the marts whose rows changed)."""
    from tradewh.store import mart_refresh

    files = view_files(sql_dir)
    files_sha256 = _files_sha256(sql_dir, files)
    fingerprint = _fingerprint(con, sql_dir, files_sha256)
    last = con.execute(
        "SELECT fingerprint, files_sha256, last_load_id FROM ops.view_builds"
    ).fetchone()
    if not force and not full and last is not None and last[0] == fingerprint:
        return []
    incremental = not full and last is not None and last[1] == files_sha256 and last[2] is not None
    with transaction(con):
        last_load_id = con.execute("SELECT coalesce(max(load_id), 0) FROM ops.loads").fetchone()[0]
        if incremental:
            built = mart_refresh.refresh(con, sql_dir, files, since_load=last[2])
        else:
            built = _build_all(con, sql_dir, files)
        # Before COMMIT: a mart that breaks its contract rolls the whole build back. A full
        # build (new SQL) checks every mart, views included; a refresh the marts it changed.
        contracts.check(con, sql_dir, set(built) if incremental else None)
        con.execute("DELETE FROM ops.view_builds")
        con.execute(
            "INSERT INTO ops.view_builds (fingerprint, objects, built_at, files_sha256, "
            "last_load_id) VALUES (?, ?, ?, ?, ?)",
            [fingerprint, len(built), now_utc(), files_sha256, last_load_id],
        )
        what = "marts refreshed" if incremental else "views rebuilt"
        set_commit_message(con, f"{what}: {len(built)}")
    return built


def _build_all(con: duckdb.DuckDBPyConnection, sql_dir: Path, files: list[Path]) -> list[str]:
    """(Re)create every view and mart of `files`, in the open transaction, with the shared
    column comments (sql/views/columns.toml)."""
    built: list[str] = []
    kinds = _kinds_held(con)
    views = {name for name, kind in kinds.items() if kind == "VIEW"}
    for path in files:
        text = read_sql(path)
        creates = _CREATES.search(text)
        name = f"{path.parent.name}.{path.stem}"
        held = kinds.get(name)
        if creates and held and held != creates.group(1):
            con.execute(f'DROP {held} "{path.parent.name}"."{path.stem}"')
            views.discard(name)
        try:
            run_script(con, text, views)
        except duckdb.Error as exc:
            raise WarehouseError(f"view {path} does not build: {exc}") from exc
        built.append(name)
        if len(built) == 3:
            failpoints.reach("views.mid")
    column_docs.apply(con, sql_dir, files, views)
    return built
