"""Saved queries: sql/queries/<name>.sql, each documented by its header comment block.

    -- name: partner_deficit
    -- description: One line saying what the query answers.
    -- param: partner_code = 5880 (Census country code; 5880 = Japan)
    -- Further comment lines are notes for the reader.

A parameter is used in the SQL as $partner_code and bound as text (DuckDB casts it where it is
compared with a number or a date; cast it in the SQL where the context does not say).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tradewh.adhoc import QueryError

_HEADER = re.compile(r"^--\s*(name|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s*(?:=\s*(?P<default>\S+))?\s*(?:\((?P<about>.*)\))?$"
)


@dataclass(frozen=True)
class Param:
    name: str
    default: str | None
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    sql: str
    path: Path

    def usage(self) -> str:
        return " ".join(
            f"--param {p.name}={p.default if p.default is not None else '...'}" for p in self.params
        )


def parse(path: Path) -> SavedQuery:
    """A saved query from its file; a header without name or description is an error."""
    text = path.read_text()
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key != "param":
            fields[key] = value
            continue
        param = _PARAM.match(value)
        if not param:
            raise QueryError(f"{path}: cannot read the parameter line {line!r}")
        params.append(Param(param["name"], param["default"], param["about"] or ""))
    for key in ("name", "description"):
        if not fields.get(key):
            raise QueryError(f"{path}: the header has no `-- {key}:` line")
    if fields["name"] != path.stem:
        raise QueryError(f"{path}: named {fields['name']!r}, but the file is {path.name}")
    return SavedQuery(fields["name"], fields["description"], tuple(params), text, path)


def catalogue(directory: Path) -> dict[str, SavedQuery]:
    """Every saved query in the directory, by name."""
    return {path.stem: parse(path) for path in sorted(directory.glob("*.sql"))}


def find(directory: Path, name: str) -> SavedQuery:
    queries = catalogue(directory)
    if name not in queries:
        known = ", ".join(queries) or "none"
        raise QueryError(f"no saved query {name!r} (saved queries: {known}; see --list)")
    return queries[name]


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """--param k=v options as a mapping."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {item!r}: write it as name=value")
        values[name.strip()] = value
    return values


def bind(query: SavedQuery, given: Mapping[str, str]) -> dict[str, str]:
    """The parameter values to run with: the given ones over the defaults."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(
            f"{query.name} has no parameter {', '.join(unknown)} (its parameters: {accepted})"
        )
    values: dict[str, str] = {}
    for name, param in declared.items():
        value = given.get(name, param.default)
        if value is None:
            raise QueryError(
                f"{query.name} needs --param {name}=VALUE ({param.description or 'no default'})"
            )
        values[name] = value
    return values
