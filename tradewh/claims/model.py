"""The claim record: one quoted trade figure, as core.news_claims stores it (no ids, times)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# Bump on any change to the rules: store.extract_new re-reads every article for a new version.
EXTRACTOR_VERSION = "claims-1.0"


@dataclass(frozen=True)
class Claim:
    """A figure quoted in a text. Column meanings are the COMMENTs of core.news_claims."""

    start_char: int
    end_char: int
    sentence: str
    quoted_text: str
    kind: str
    value_musd: Decimal | None = None
    rounding_musd: Decimal | None = None
    percent: Decimal | None = None
    metric: str | None = None
    product: str | None = None
    partner_code: str | None = None
    partner_name: str | None = None
    period: date | None = None
    frequency: str | None = None
    change_direction: str | None = None
    change_musd: Decimal | None = None
    change_percent: Decimal | None = None
    compared_period: date | None = None
    share_of: str | None = None
    qualifiers: tuple[str, ...] = field(default_factory=tuple)
    rounding_percent: Decimal | None = None
    extractor_version: str = EXTRACTOR_VERSION
