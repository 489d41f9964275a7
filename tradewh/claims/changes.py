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
    i = figure.start - 1
    if i >= clause.start and doc[i].lower_ == "or":
        # "increased $4.1 billion, or 10.4 percent": the same change in other units
        previous = _figure_ending_at(doc, i - 1 if doc[i - 1].text != "," else i - 2)
        if previous is not None and previous.start >= clause.start:
            return direction(doc, previous, clause)
    while i >= clause.start and (doc[i].lower_ in SKIP_BACK or doc[i].lower_.endswith("ly")):
        i -= 1
    if i >= clause.start and doc[i].text == "," and doc[i + 1].lower_ == "by":
        # "rose even faster, by 12%": the verb before the aside
        for j in range(i - 1, max(clause.start - 1, i - 5), -1):
            if doc[j].lower_ in lx.UP_WORDS | lx.DOWN_WORDS:
                i = j
                break
    candidates = [doc[i].lower_] if i >= clause.start else []
    if figure.end < clause.end:
        after = doc[figure.end].lower_
        then = doc[figure.end + 1].lower_ if figure.end + 1 < len(doc) else ""
        # "$2.1 billion more than August exports", "9.4 percent less than in May", "42
        # percent above the 2003 level"
        if after == "ahead":
            return "up"  # "running 6 percent ahead of the same period last year"
        if after == "behind":
            return "down"
        if then in ("than", "the", "its", "a") or after in ("above", "below"):
            if after in ("more", "higher", "larger", "bigger", "wider", "above", "greater"):
                return "up"
            if after in ("less", "lower", "smaller", "narrower", "below", "fewer"):
                return "down"
        candidates.append(after)
    for word in candidates:
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
