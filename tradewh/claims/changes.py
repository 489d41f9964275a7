"""Change words: whether a figure is a change ("rose 3%", "widened by $1.2 billion", "9.7
percent larger", "a $2.7 billion decline") and which way, or a level ("rose to $X")."""

from __future__ import annotations

from decimal import Decimal

from spacy.tokens import Doc, Span

from tradewh.claims import lexicon as lx
from tradewh.claims.amounts import Figure

# Qualifier words that may stand between a direction word and its figure ("rose by about 3%").
SKIP_BACK = frozenset(
    {
        "by",
        "of",  # "a drop of 9.4 percent"
        # "up a steep 11.2 percent"
        "steep",
        "sharp",
        "modest",
        "slight",
        "hefty",
        "solid",
        "whopping",
        "even",
        "a",
        "about",
        "roughly",
        "around",
        "approximately",
        "some",
        "almost",
        "nearly",
        "more",
        "than",
        "just",
        "an",
        "estimated",
        "over",
    }
)


def direction(doc: Doc, figure: Figure, clause: Span) -> str | None:
    """up or down when a change word governs the figure ('rose 3%', 'widened by $1.2 billion',
    '9.7 percent larger', 'a $2.7 billion decline'); None for a level ('rose to $X')."""
    restated = _restated(doc, figure, clause)
    if restated is not None:
        return direction(doc, restated, clause)
    i = _word_before(doc, figure, clause)
    candidates = [doc[i].lower_] if i >= clause.start else []
    if figure.end < clause.end:
        compared = _comparative(doc, figure)
        if compared is not None:
            return compared
        candidates.append(doc[figure.end].lower_)
    return next((way for way in map(_way_of, candidates) if way is not None), None)


def _restated(doc: Doc, figure: Figure, clause: Span) -> Figure | None:
    """'increased $4.1 billion, or 10.4 percent': the figure of the same change in other
    units, whose words say which way it went."""
    i = figure.start - 1
    if i < clause.start or doc[i].lower_ != "or":
        return None
    previous = _figure_ending_at(doc, i - 1 if doc[i - 1].text != "," else i - 2)
    return previous if previous is not None and previous.start >= clause.start else None


def _word_before(doc: Doc, figure: Figure, clause: Span) -> int:
    """The token that may be the change word before the figure, past qualifiers ("rose by
    about 3%") and an aside ("rose even faster, by 12%": the verb before the comma)."""
    i = figure.start - 1
    while i >= clause.start and (doc[i].lower_ in SKIP_BACK or doc[i].lower_.endswith("ly")):
        i -= 1
    if i >= clause.start and doc[i].text == "," and doc[i + 1].lower_ == "by":
        for j in range(i - 1, max(clause.start - 1, i - 5), -1):
            if doc[j].lower_ in lx.UP_WORDS | lx.DOWN_WORDS:
                return j
    return i


# "running 6 percent ahead of the same period last year"
_AHEAD = {"ahead": "up", "behind": "down"}
# "$2.1 billion more than August exports", "9.4 percent less than in May", "42 percent above
# the 2003 level"
_COMPARATIVES = {
    **dict.fromkeys(("more", "higher", "larger", "bigger", "wider", "above", "greater"), "up"),
    **dict.fromkeys(("less", "lower", "smaller", "narrower", "below", "fewer"), "down"),
}


def _comparative(doc: Doc, figure: Figure) -> str | None:
    """The way a comparative right after the figure says, if any."""
    after = doc[figure.end].lower_
    then = doc[figure.end + 1].lower_ if figure.end + 1 < len(doc) else ""
    if after in _AHEAD:
        return _AHEAD[after]
    if then in ("than", "the", "its", "a") or after in ("above", "below"):
        return _COMPARATIVES.get(after)
    return None


def _way_of(word: str) -> str | None:
    # "more" and "less" say a change only in a comparison ("$2.1 billion more than"), which
    # _comparative reads.
    if word in lx.UP_WORDS and word != "more":
        return "up"
    if word in lx.DOWN_WORDS and word != "less":
        return "down"
    return None


_FIGURE_WORDS = frozenset(
    {"$", "us$", "usd", "%", "percent", "per", "cent", "pc", "-", "dollars", "u.s."}
)


def _figure_ending_at(doc: Doc, end: int) -> Figure | None:
    """The figure whose last token is `end` ("$4.1 billion", "10.4 percent"), if any."""
    if end < 0 or not (doc[end].like_num or doc[end].lower_ in lx.SCALES.keys() | _FIGURE_WORDS):
        return None
    start = end
    while start > 0 and (
        doc[start - 1].like_num or doc[start - 1].lower_ in lx.SCALES.keys() | _FIGURE_WORDS
    ):
        start -= 1
    if not any(doc[i].like_num for i in range(start, end + 1)):
        return None
    return Figure(start, end + 1, "money", Decimal(0), Decimal(0))
