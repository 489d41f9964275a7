"""Contracts beside the marts, as dbt keeps tests next to its models: sql/views/marts/<mart>.toml
declares the mart's grain (the columns that identify a row), its not_null columns and the closed
sets some columns take their values from (accepted_values). The rebuild checks every contract in
its own transaction, before COMMIT, with one query made from sql/checks/mart_contract.sql: a
broken mart raises ContractBroken, the transaction rolls back and readers keep the last good
marts.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from string import Template

import duckdb

from tradewh.store.connections import WarehouseError
from tradewh.store.sqlfiles import read_sql, read_toml

MARTS_DIR = Path("views") / "marts"
TEMPLATE = Path("checks") / "mart_contract.sql"
_KEYS = {"grain", "not_null", "accepted_values"}
_SAMPLES = 3  # offending rows named per rule (the template keeps as many)
_COUNTED = {
    "grain": "key(s) held by more than one row",
    "not_null": "NULL(s)",
    "accepted_values": "value(s) outside the set",
}


class ContractBroken(WarehouseError):
    """A mart does not keep its contract; the message names the mart, the rule and rows."""


@dataclass(frozen=True)
class Contract:
    mart: str  # schema.name
    grain: tuple[str, ...]
    not_null: tuple[str, ...]
    accepted_values: dict[str, tuple[str, ...]]
    path: Path


def contract_files(sql_dir: Path) -> list[Path]:
    return sorted((sql_dir / MARTS_DIR).glob("*.toml"))


def load(path: Path) -> Contract:
    """The contract in `path`, named for its mart (balance_monthly.toml: marts.balance_monthly)."""
    try:
        data = read_toml(path)
    except tomllib.TOMLDecodeError as exc:
        raise WarehouseError(f"contract {path} is not valid TOML: {exc}") from exc
    unknown = set(data) - _KEYS
    if unknown or not data.get("grain"):
        raise WarehouseError(
            f"contract {path}: needs a grain; knows only {sorted(_KEYS)}, not {sorted(unknown)}"
        )
    accepted = data.get("accepted_values", {})
    return Contract(
        mart=f"{path.parent.name}.{path.stem}",
        grain=tuple(data["grain"]),
        not_null=tuple(data.get("not_null", ())),
        accepted_values={column: tuple(map(str, values)) for column, values in accepted.items()},
        path=path,
    )


def contracts(sql_dir: Path) -> list[Contract]:
    return [load(path) for path in contract_files(sql_dir)]


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _texts(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(_text(v) for v in values) + "]"


def check_sql(sql_dir: Path, chosen: list[Contract]) -> str:
    """One query checking every contract of `chosen`: the template, once per mart."""
    template = Template(read_sql(sql_dir / TEMPLATE))
    parts = []
    for contract in chosen:
        schema, name = contract.mart.split(".")
        pairs = [
            "{'column_name': " + _text(column) + ", 'value': " + _text(value) + "}"
            for column, values in contract.accepted_values.items()
            for value in values
        ]
        parts.append(
            "("
            + template.substitute(
                mart=f'"{schema}"."{name}"',
                label=_text(contract.mart),
                grain=_texts(contract.grain),
                not_null=_texts(contract.not_null),
                accepted_columns=_texts(list(contract.accepted_values)),
                accepted="[" + ", ".join(pairs) + "]",
            )
            + ")"
        )
    return "\nUNION ALL\n".join(parts)


def check(con: duckdb.DuckDBPyConnection, sql_dir: Path, marts: set[str] | None = None) -> None:
    """Check the contracts (of `marts` only, when given) in the open transaction; raise
    ContractBroken naming each broken mart, rule and a few offending rows."""
    chosen = [c for c in contracts(sql_dir) if marts is None or c.mart in marts]
    if not chosen:
        return
    try:
        broken = con.execute(check_sql(sql_dir, chosen)).fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(f"the marts' contracts could not be checked: {exc}") from exc
    if broken:
        raise ContractBroken(_describe(broken, {c.mart: c.path for c in chosen}, sql_dir))


def _describe(broken: list[tuple], paths: dict[str, Path], sql_dir: Path) -> str:
    rules: dict[tuple[str, str, str | None], tuple[int, list[str]]] = {}
    for mart, contract, column, offending, count in broken:
        rules.setdefault((mart, contract, column), (count, []))[1].append(offending)
    lines = []
    for (mart, contract, column), (count, samples) in sorted(
        rules.items(), key=lambda item: tuple(str(part) for part in item[0])
    ):
        rule = f"{contract} {column}" if column else contract
        where = paths[mart].relative_to(sql_dir) if paths[mart].is_relative_to(sql_dir) else ""
        lines.append(
            f"{mart} breaks its contract ({where}): {rule}, {count} {_COUNTED[contract]}, e.g. "
            + "; ".join(samples[:_SAMPLES])
        )
    return "\n".join(lines)
