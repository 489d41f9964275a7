"""Source modules: each knows only what to ask for (`requests`) and how to read it (`parse`),
and says so in one typed value, its `SOURCE` (tradewh.sources.spec.Source). Landing, staging,
validation and publishing are the shared pipeline's job (tradewh.ingest). docs/adding-a-source.md
walks through adding one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa

from tradewh.sources.spec import Source


@dataclass(frozen=True)
class Request:
    url: str
    params: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before this request: politeness towards a host asked several times.
    delay_before: float = 0.0
    # A 404/410 answer means "not published" (an exhibit an old release did not have), recorded
    # as no data rather than failing the source.
    missing_is_no_data: bool = False
    # The URL is a zip of files (a whole release); these members, each landed as its own payload
    # (`<url>#<member>`), are what is wanted of it; one the zip lacks is no data.
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parsed:
    """Rows in the shape of the source's staging table (without release_id) and their coverage."""

    table: pa.Table
    period_start: date | None
    period_end: date | None
    # The dataset (suite) of this payload where a source publishes several kinds of payload
    # (FT-900 exhibits by family); None = the source's DATASET.
    dataset: str | None = None


@dataclass(frozen=True)
class PathBatch:
    """A landed payload made the relation `batch` on a connection by a source's stage_path
    (read by DuckDB where it lies: no Arrow table of it exists): its coverage and row count,
    and `release`, which drops `batch` and whatever it reads once it is staged."""

    period_start: date | None
    period_end: date | None
    rows: int
    release: Callable[[Any], None]
    dataset: str | None = None


# The long shape every observation source (all but census_country, whose file needs its own
# staging for the annual cross-check) parses into; staged as staging.observations.
OBSERVATION_SCHEMA = pa.schema(
    [
        ("period", pa.date32()),  # first day of the month (frequency M) or year (A)
        ("frequency", pa.string()),  # M | A
        ("basis", pa.string()),  # census | bop
        ("adjustment", pa.string()),  # nsa | sa
        ("product", pa.string()),  # goods | services | goods_and_services
        ("flow", pa.string()),  # exports | imports | balance
        ("partner_code", pa.string()),  # Census CTY_CODE as text; "-" = all countries
        ("partner_name", pa.string()),
        ("partner_is_aggregate", pa.bool_()),
        ("commodity_class", pa.string()),  # total | enduse
        ("commodity_code", pa.string()),  # "-" for the total
        # The value exactly as published (text), in `unit`; staging turns it into DECIMAL $M.
        ("value_text", pa.string()),
        ("unit", pa.string()),  # usd (whole dollars) | musd (millions of dollars)
        ("series_id", pa.string()),  # the agency's series id where it has one (FRED: BOPGSTB)
        ("row_kind", pa.string()),  # month | annual | as_published_last_month | observation
        ("revised", pa.bool_()),  # the release marks the figure revised, e.g. FT-900 "(R)"
        ("vintage_start", pa.date32()),  # ALFRED realtime_start: first day the value was current
        ("vintage_end", pa.date32()),  # ALFRED realtime_end (9999-12-31 = still current)
    ]
)


class ParseError(ValueError):
    """The payload is not in the source's published format; the message says what is wrong."""


def registry() -> dict[str, Source]:
    """Every source, in the order a nightly refresh runs them by default."""
    from tradewh.sources import alfred, census_api, census_country, census_enduse, ft900, news

    modules = (census_country, census_api, ft900, alfred, news, census_enduse)
    return {module.SOURCE.name: module.SOURCE for module in modules}


def get_source(name: str) -> Source:
    sources = registry()
    if name not in sources:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(sorted(sources))}")
    return sources[name]
