"""The claim record: one quoted trade figure, as core.news_claims stores it (no ids, times)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# Bump on any change to the rules: store.extract_new re-reads every article for a new version.
EXTRACTOR_VERSION = "claims-2.2"


@dataclass(frozen=True)
class Claim:
    """A figure quoted in a text. Column meanings are the COMMENTs of core.news_claims."""

    start_char: int
    end_char: int
    sentence: str
    quoted_text: str
    # level, change, share (a partner's part of all countries' figure, or of GDP) or
    # component_share (a release line's part of the partner's balance: series says which line,
    # share_of the whole's measure).
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
    # month, quarter, year, ytd (January through the month of `period`) or annualized (an
    # annual rate of the month or year-to-date span ending with `period`).
    period_kind: str | None = None
    # headline, or the release line it is about: current_account, real, petroleum,
    # non_petroleum, atp, autos, consumer_goods, capital_goods, industrial_supplies, foods,
    # moving_average, total_trade.
    series: str = "headline"
    # The words that gave the period, the partner and the metric (the evidence a reader sees);
    # "(carried over)" when the period came from an earlier sentence.
    period_words: str | None = None
    partner_words: str | None = None
    metric_words: str | None = None
    # What the reading was unsure of ("period carried over", "partner by list position", ...):
    # marts.claim_check never says differs for such a claim, only ambiguous.
    uncertain: tuple[str, ...] = field(default_factory=tuple)
    extractor_version: str = EXTRACTOR_VERSION
