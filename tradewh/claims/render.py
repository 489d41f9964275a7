"""Claims as a journalist reads them: a table, or JSON for tools."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from tradewh.claims.extract import extract_claims
from tradewh.claims.model import Claim

_TABLE_COLUMNS = (
    ("chars", lambda c: f"{c.start_char}-{c.end_char}"),
    ("quoted", lambda c: c.quoted_text),
    ("kind", lambda c: c.kind),
    ("metric", lambda c: c.metric),
    ("product", lambda c: c.product),
    (
        "partner",
        lambda c: (
            c.partner_code if c.partner_name is None else f"{c.partner_code} ({c.partner_name})"
        ),
    ),
    ("period", lambda c: f"{c.period} {c.frequency}" if c.period else None),
    ("value $M", lambda c: _number(c.value_musd)),
    ("±", lambda c: _number(c.rounding_musd)),
    ("change", lambda c: _change(c)),
    ("share", lambda c: f"{_number(c.percent)}% of {c.share_of}" if c.kind == "share" else None),
    ("qualifiers", lambda c: ", ".join(c.qualifiers)),
)


def claims_command(path: Path, published: date | None, fmt: str) -> str:
    """What `tradewh claims FILE [--published] [--format]` prints."""
    return render_claims(extract_claims(path.read_text(encoding="utf-8"), published), fmt)


def render_claims(claims: list[Claim], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(c) for c in claims], default=_json_value, indent=2)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: table or json")
    if not claims:
        return "no trade figures found"
    rows = [[str(get(c) or "") for _, get in _TABLE_COLUMNS] for c in claims]
    header = [name for name, _ in _TABLE_COLUMNS]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    for claim, row in zip(claims, rows, strict=True):
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        lines.append(f"    evidence: {claim.sentence}")
    lines.append(f"{len(claims)} claims")
    return "\n".join(lines)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():,f}"


def _change(claim: Claim) -> str | None:
    if claim.kind != "change":
        return None
    size = (
        f"{_number(claim.change_percent)}%"
        if claim.change_percent is not None
        else f"{_number(claim.change_musd)} $M"
    )
    since = f" since {claim.compared_period}" if claim.compared_period else ""
    return f"{claim.change_direction} {size}{since}"


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value))
