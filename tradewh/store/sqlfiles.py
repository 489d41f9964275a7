"""The one way a .sql file is read: sql/<part>/.../<name>.sql, with an error naming the file."""

from __future__ import annotations

import tomllib
from pathlib import Path


class SqlFileError(FileNotFoundError):
    """A SQL file the code needs is not there; the message names it."""


def sql_path(sql_dir: Path, *parts: str) -> Path:
    """sql_dir/parts[0]/.../parts[-1].sql"""
    if not parts:
        raise ValueError("name the SQL file: sql_path(sql_dir, 'ops', 'due')")
    *folders, name = parts
    return sql_dir.joinpath(*folders, f"{name}.sql")


def read_sql(path: Path) -> str:
    """The text of a SQL file found by other means (a glob of sql/migrations, sql/queries)."""
    try:
        return path.read_text()
    except FileNotFoundError as exc:
        raise SqlFileError(f"SQL file not found: {path}") from exc


def sql_text(sql_dir: Path, *parts: str) -> str:
    """The text of sql_dir/<parts...>.sql, e.g. sql_text(sql_dir, "ops", "due")."""
    return read_sql(sql_path(sql_dir, *parts))


def read_toml(path: Path) -> dict:
    """A TOML file kept beside the SQL (a mart's contract, the shared column docs)."""
    with path.open("rb") as file:
        return tomllib.load(file)


def identifier(name: str) -> str:
    """A column or table name as a quoted SQL identifier (a quote inside doubled)."""
    return '"' + name.replace('"', '""') + '"'
