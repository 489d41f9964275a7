"""What a reading was unsure of (a period carried over, a measure taken from the figure before)
and what may make a figure another series than the one it is checked against: an unsure claim is
never said to differ, only ambiguous."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from tradewh.claims.linking import PartnerLink
from tradewh.claims.periods import Period
from tradewh.claims.reading import ANAPHORS, PART_LINES, Read
from tradewh.claims.series import find_series


def reading_doubts(
    doc: Doc,
    read: Read,
    sentence: Span,
    period: Period | None,
    period_words: str | None,
    settled: bool,
) -> list[str]:
    """What the reading of the period and the measure was unsure of."""
    doubts = []
    if period_words and period_words.startswith("(carried over)") and not settled:
        # Sure while the story has named one period; after it has named several, the one
        # carried over may not be the figure's.
        doubts.append("period carried over from an earlier sentence")
    if period is not None and period.kind == "annualized":
        doubts.append("an annual rate, not a period's figure")
    if read.metric.index < sentence.start or doc[read.metric.index].lower_ in ANAPHORS:
        doubts.append("measure taken from the figure before")
    return doubts


# Words that put a headline figure on another basis or adjustment than the headline's (BOP,
# seasonally adjusted): the official figure compared would not be the article's.
_OTHER_BASIS = ("census basis", "seasonal adjustment", "not seasonally adjusted", "unadjusted")


def other_series_doubts(
    doc: Doc, read: Read, sentence: Span, series: str, link: PartnerLink
) -> list[str]:
    """What may make the figure another series than the one it is checked against."""
    doubts = []
    text = sentence.text.lower()
    if series == "headline" and read.kind in ("level", "change"):
        named = find_series(doc, sentence.start, sentence.end)
        if named is not None and named[0] in PART_LINES:
            # "German cars and parts ...: the U.S. imported $1.98 billion of them and ...,
            # leaving a $1.16 billion gap in the sector": perhaps the line's figure.
            doubts.append(f"the sentence names a release line ({named[0]})")
        if link.code == "-" and any(words in text for words in _OTHER_BASIS):
            doubts.append("the sentence names another basis or adjustment than the headline's")
    if read.kind == "share" and read.share_of is not None:
        i = read.share_of.index
        if i > 0 and doc[i - 1].lower_ == "bilateral":
            # A partner's share of its own bilateral balance: the part is some line, unnamed.
            doubts.append("a share of the bilateral balance whose part is not named")
    return doubts
