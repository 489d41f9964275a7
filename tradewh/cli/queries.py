"""Saved queries: sql/queries/<name>.sql, each documented by its header comment block.

    -- name: partner_deficit
    -- description: One line saying what the query answers.
    -- param: partner_code = 5880 (Census country code; 5880 = Japan)
    -- param: year: year = 1994 (calendar year)
    -- Further comment lines are notes for the reader.

A parameter is used in the SQL as $partner_code. Its declared type (after a colon; text when
none) is checked and converted before the query runs, so a mistake is reported in the user's
terms, not as a DuckDB conversion error in SQL they never wrote: `text`, `integer`, `year`,
`month` (YYYY-MM or YYYY-MM-DD, bound as the first day of the month as a DATE) or a list of
choices such as `goods|services`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tradewh.cli import arguments
from tradewh.cli.adhoc import QueryError
from tradewh.store.sqlfiles import read_sql

_HEADER = re.compile(r"^--\s*(name|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s*(?::\s*(?P<kind>[a-z_|]+))?\s*"
    r"(?:=\s*(?P<default>\S+))?\s*(?:\((?P<about>.*)\))?$"
)
KINDS = ("text", "integer", "year", "month")


@dataclass(frozen=True)
class Param:
    name: str
    default: str | None
    description: str
    kind: str = "text"

    def convert(self, text: str) -> object:
        """The value to bind for `text`, checked against the declared type."""
        option = f"--param {self.name}"
        if self.kind == "month":
            try:
                return arguments.month(text, option)
            except arguments.BadArgument as exc:
                raise QueryError(str(exc)) from None
        if self.kind in ("integer", "year"):
            try:
                number = int(text)
            except ValueError:
                number = None
            if number is None or (self.kind == "year" and not 1800 <= number <= 2200):
                wanted = "a year (YYYY)" if self.kind == "year" else "a whole number"
                raise QueryError(f"{option} {text!r} is not {wanted}")
            return number
        if "|" in self.kind:
            choices = self.kind.split("|")
            if text not in choices:
                raise QueryError(f"{option} {text!r} is not one of {', '.join(choices)}")
        return text


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    sql: str
    path: Path

    def usage(self) -> str:
        return " ".join(
            f"--param {p.name}={p.default if p.default is not None else '...'}"
            + (f" ({p.kind})" if p.kind != "text" else "")
            for p in self.params
        )


def parse(path: Path) -> SavedQuery:
    """A saved query from its file; a header without name or description is an error."""
    text = read_sql(path)
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
        kind = param["kind"] or "text"
        if kind not in KINDS and "|" not in kind:
            raise QueryError(f"{path}: parameter type {kind!r} is none of {', '.join(KINDS)}")
        params.append(Param(param["name"], param["default"], param["about"] or "", kind))
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


def bind(query: SavedQuery, given: Mapping[str, str]) -> dict[str, object]:
    """The parameter values to run with: the given ones over the defaults, each converted to
    its declared type."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(
            f"{query.name} has no parameter {', '.join(unknown)} (its parameters: {accepted})"
        )
    values: dict[str, object] = {}
    for name, param in declared.items():
        value = given.get(name, param.default)
        if value is None:
            raise QueryError(
                f"{query.name} needs --param {name}=VALUE ({param.description or 'no default'})"
            )
        values[name] = param.convert(value)
    return values
