"""Source modules: each knows only what to ask for (`requests`) and how to read it (`parse`).

Landing, staging, validation and publishing are the shared pipeline's job (tradewh.pipeline).
A source module exposes:
    NAME: str                   source name, used in ops tables and the landing store
    DATASET: str                staging table, sql/pipeline/<DATASET>/, expectations/<DATASET>.json
    SUFFIX: str                 file suffix of its payloads in the landing store
    requests(settings) -> list[Request]
    parse(payload: bytes) -> Parsed      raises ParseError when the payload is not in its format
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import ModuleType

import pyarrow as pa


@dataclass(frozen=True)
class Request:
    url: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    """Rows in the shape of the source's staging table (without release_id) and their coverage."""

    table: pa.Table
    period_start: date | None
    period_end: date | None


class ParseError(ValueError):
    """The payload is not in the source's published format; the message says what is wrong."""


def registry() -> dict[str, ModuleType]:
    from tradewh.sources import census_country

    return {module.NAME: module for module in (census_country,)}


def get_source(name: str) -> ModuleType:
    sources = registry()
    if name not in sources:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(sources))}")
    return sources[name]
