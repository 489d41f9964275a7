"""Figures in a text: dollar amounts with their scale and rounding, percentages, and the
fractions shares are written in ("a third"). Found with spaCy's Matcher on a blank pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans
from spacy.vocab import Vocab

from tradewh.claims.lexicon import SCALES

FRACTIONS = {
    "half": Decimal(50),
    "third": Decimal("33.3333"),
    "quarter": Decimal(25),
    "fifth": Decimal(20),
    "thirds": Decimal("66.6667"),
    "quarters": Decimal(75),
}


@dataclass(frozen=True)
class Figure:
    """A figure as written: tokens [start, end) of the doc, what it counts and its value
    (millions of dollars for money, percent otherwise), with half its last written unit."""

    start: int
    end: int
    kind: str  # money | percent | fraction
    value: Decimal
    rounding: Decimal


def figure_matcher(vocab: Vocab) -> Matcher:
    matcher = Matcher(vocab)
    number = {"LIKE_NUM": True}
    scale = {"LOWER": {"IN": list(SCALES)}}
    matcher.add(
        "money",
        [
            [{"ORTH": {"IN": ["$", "US$"]}}, number, {**scale, "OP": "?"}],
            [number, scale, {"LOWER": {"IN": ["dollars", "usd"]}}],
        ],
    )
    matcher.add(
        "percent",
        [
            [number, {"ORTH": "%"}],
            [number, {"LOWER": {"IN": ["percent", "pct"]}}],
            [number, {"LOWER": "per"}, {"LOWER": "cent"}],
        ],
    )
    matcher.add(
        "fraction",
        [
            [{"LOWER": {"IN": ["a", "one"]}}, {"LOWER": {"IN": ["third", "quarter", "fifth"]}}],
            [{"LOWER": "half"}],
            [
                {"LOWER": {"IN": ["two", "three"]}},
                {"ORTH": "-"},
                {"LOWER": {"IN": ["thirds", "quarters"]}},
            ],
        ],
    )
    return matcher


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None  # a word number ("ten") or a fraction ("1/2"): not read


def _half_last_unit(text: str) -> Decimal:
    digits = text.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Decimal(1).scaleb(-decimals) / 2


def find_figures(doc: Doc, matcher: Matcher) -> list[Figure]:
    figures = []
    for span in filter_spans(matcher(doc, as_spans=True)):
        label = span.label_
        if label == "fraction":
            figures.append(
                Figure(span.start, span.end, "fraction", FRACTIONS[span[-1].lower_], Decimal(0))
            )
            continue
        number_token = next(t for t in span if t.like_num)
        value = _number(number_token.text)
        if value is None:
            continue
        rounding = _half_last_unit(number_token.text)
        if label == "money":
            scale_word = next((t.lower_ for t in span if t.lower_ in SCALES), None)
            factor = Decimal(str(SCALES[scale_word])) if scale_word else Decimal("0.000001")
            figures.append(Figure(span.start, span.end, "money", value * factor, rounding * factor))
        else:
            figures.append(Figure(span.start, span.end, "percent", value, rounding))
    return figures
