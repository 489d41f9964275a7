"""Claims as a journalist reads them: a table with, per figure, the sentence and the words its
period, partner and measure were read from; JSON for tools; and, with --check, each figure's
verdict against the warehouse."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from tradewh.claims.extract import extract_claims
from tradewh.claims.model import Claim
from tradewh.cli.output import json_default
from tradewh.settings import Settings

_TABLE_COLUMNS = (
    ("chars", lambda c: f"{c.start_char}-{c.end_char}"),
    ("quoted", lambda c: c.quoted_text.replace("\n", " ")),
    ("kind", lambda c: c.kind),
    ("metric", lambda c: c.metric),
    ("product", lambda c: c.product),
    (
        "partner",
        lambda c: (
            c.partner_code if c.partner_name is None else f"{c.partner_code} ({c.partner_name})"
        ),
    ),
    ("period", lambda c: f"{c.period} {c.period_kind or c.frequency}" if c.period else None),
    ("series", lambda c: None if c.series == "headline" else c.series),
    ("value $M", lambda c: _number(c.value_musd)),
    ("±", lambda c: _number(c.rounding_musd)),
    ("change", lambda c: _change(c)),
    ("share", lambda c: _share(c)),
    ("qualifiers", lambda c: ", ".join(c.qualifiers)),
)
_VERDICT_COLUMNS = (
    ("claimed", "claimed_value"),
    ("first print", "first_print_value"),
    ("as published", "as_of_value"),
    ("latest", "latest_value"),
    ("verdict", "verdict"),
)


def claims_command(path: Path, published: date | None, fmt: str) -> str:
    """What `tradewh claims FILE [--published] [--format]` prints."""
    return render_claims(extract_claims(path.read_text(encoding="utf-8"), published), fmt)


def render_claims(claims: list[Claim], fmt: str, checks: list[dict] | None = None) -> str:
    """A table (or JSON) of `claims`; with `checks` (check.check_claims), their verdicts."""
    if fmt == "json":
        return _json(claims, checks)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: table or json")
    if not claims:
        return "no trade figures found"
    return _table(claims, checks)


def _json(claims: list[Claim], checks: list[dict] | None) -> str:
    rows = [asdict(c) for c in claims]
    for row, check in zip(rows, checks or [], strict=False):
        row["check"] = check
    return json.dumps(rows, default=_json_value, indent=2)


def _table(claims: list[Claim], checks: list[dict] | None) -> str:
    """One row per claim, each followed by its evidence and, when checked, where the official
    figure came from and why it is ambiguous."""
    header = [name for name, _ in _TABLE_COLUMNS]
    by_claim = dict(enumerate(checks or []))
    if checks is not None:
        header += [name for name, _ in _VERDICT_COLUMNS]
    rows = [_row(claim, by_claim.get(i, {}), checks is not None) for i, claim in enumerate(claims)]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    for i, (claim, row) in enumerate(zip(claims, rows, strict=True)):
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        lines += [f"    {line}" for line in _evidence(claim)]
        lines += _check_notes(by_claim.get(i, {}), checks is not None)
    lines.append(f"{len(claims)} claims")
    return "\n".join(lines)


def _row(claim: Claim, check: dict, checked: bool) -> list[str]:
    row = [str(get(claim) or "") for _, get in _TABLE_COLUMNS]
    if checked:
        row += [_cell(check.get(key)) for _, key in _VERDICT_COLUMNS]
    return row


def _check_notes(check: dict, checked: bool) -> list[str]:
    notes = []
    if sources := _sources(check):
        notes.append(f"    official figure from: {sources}")
    if checked and (why := check.get("why_ambiguous")):
        notes.append(f"    ambiguous because: {why}")
    return notes


def _evidence(claim: Claim) -> list[str]:
    """Why the figure was read so: the sentence, and the words behind period, partner, metric."""
    read_from = [
        f"period <- {claim.period_words!r}" if claim.period_words else "period <- (none)",
        f"partner <- {claim.partner_words!r}" if claim.partner_words else None,
        f"metric <- {claim.metric_words!r}" if claim.metric_words else None,
    ]
    lines = [
        "evidence: " + " ".join(claim.sentence.split()),
        "read from: " + "; ".join(w for w in read_from if w),
    ]
    if claim.uncertain:
        lines.append("unsure of: " + "; ".join(claim.uncertain))
    return lines


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _number(value) or ""
    return str(value)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():,f}"


def _share(claim: Claim) -> str | None:
    if claim.kind == "share":
        return f"{_number(claim.percent)}% of {claim.share_of}"
    if claim.kind == "component_share":
        # "74.3% of balance (autos)": the line's part of the partner's balance
        return f"{_number(claim.percent)}% of {claim.share_of} ({claim.series})"
    return None


def _sources(check: dict) -> str | None:
    """'first print: ft900 Exhibit 14, year to date; latest: ...' (one part when both agree)."""
    first, latest = check.get("first_print_source"), check.get("latest_source")
    if first is None and latest is None:
        return None
    if first == latest:
        return first
    return f"first print: {first or '-'}; latest: {latest or '-'}"


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
    # Amounts as JSON numbers, as `tradewh sql --format json` gives them.
    return json_default(value)


def check_command(
    text: str, published: date | None, fmt: str, settings: Settings
) -> tuple[str, list[str], bool]:
    """What `tradewh claims FILE --check` prints, the notes for the reader, and whether a
    figure differs from the official one."""
    from tradewh.claims.check import check_claims

    notes = []
    day = published
    if day is None:
        day = date.today()
        notes.append(
            f"no --published date: periods without a year are read against today ({day}) "
            "and checked as published today"
        )
    claims = extract_claims(text, day)
    checks = check_claims(claims, day, settings) if claims else []
    differs = any(c["verdict"] == "differs" for c in checks)
    return render_claims(claims, fmt, checks), notes, differs
