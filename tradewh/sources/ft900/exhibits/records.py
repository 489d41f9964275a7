"""One published cell of an exhibit as a row of the one series model (OBSERVATION_SCHEMA)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tradewh.sources.ft900.exhibits.partners import ALL, Partner
from tradewh.sources.ft900.exhibits.periods import Period

WORLD = Partner(*ALL, True)
TOTAL = ("total", "-")


@dataclass(frozen=True)
class Series:
    """What a column (or block) of an exhibit measures, apart from partner and period."""

    flow: str  # exports | imports | balance
    basis: str  # census | bop
    adjustment: str  # sa | nsa
    product: str = "goods"  # goods | services | goods_and_services
    commodity: tuple[str, str] = TOTAL  # (commodity_class, commodity_code)
    unit: str = "musd"  # musd | usd


def observation(
    series: Series,
    period: Period,
    value: str,
    *,
    partner: Partner = WORLD,
    revised: bool | None = None,
) -> dict[str, Any]:
    return {
        "period": period.period,
        "frequency": period.frequency,
        "basis": series.basis,
        "adjustment": series.adjustment,
        "product": series.product,
        "flow": series.flow,
        "partner_code": partner.code,
        "partner_name": partner.name,
        "partner_is_aggregate": partner.is_aggregate,
        "commodity_class": series.commodity[0],
        "commodity_code": series.commodity[1],
        "value_text": value,
        "unit": series.unit,
        "series_id": None,
        "row_kind": period.row_kind,
        "revised": revised,
        "vintage_start": None,
        "vintage_end": None,
    }
