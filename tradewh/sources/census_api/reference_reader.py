"""json.loads and a loop over the rows: the reading that defines what a payload means."""

from __future__ import annotations

from typing import Any

from tradewh.sources import Parsed, ParseError
from tradewh.sources.census_api.answer import (
    _VARYING,
    _cells,
    _commodity,
    _json_rows,
    _layout,
    _month,
    _partner,
    _table,
    _value,
)


def parse_reference(payload: bytes) -> Parsed:
    """json.loads and a loop over the rows: the reading that defines what a payload means."""
    varying: dict[str, list[Any]] = {name: [] for name in _VARYING}
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"the payload is not UTF-8 text: {exc}") from None
    if not text.strip():
        return Parsed(_table(varying, None), None, None)

    rows = _json_rows(text)
    layout = _layout(rows[0])
    for number, row in enumerate(rows[1:], start=1):
        code, name, time, value, commodity = _cells(row, layout, number)
        period = _month(time)
        if period is None:
            raise ParseError(f"data row {number}: time {time!r:.40} is not a YYYY-MM month")
        partner_code, is_aggregate = _partner(code)
        commodity_class, commodity_code = _commodity(commodity, layout.commodity_class)
        varying["period"].append(period)
        varying["partner_code"].append(partner_code)
        varying["partner_name"].append(name)
        varying["partner_is_aggregate"].append(is_aggregate)
        varying["commodity_class"].append(commodity_class)
        varying["commodity_code"].append(commodity_code)
        varying["value_text"].append(_value(value))
    periods = varying["period"]
    return Parsed(
        _table(varying, layout.flow),
        min(periods, default=None),
        max(periods, default=None),
    )
