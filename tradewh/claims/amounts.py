"""Figures in a text: dollar amounts with their scale and rounding, percentages, and the
fractions shares are written in ("a third"). Found with spaCy's Matcher on a blank pipeline.

Dollars are written "$48.2 billion", "$48.2bn", "$650m", "$61.7-billion", "USD 71.3 billion",
"53.9 billion (U.S.) dollars"; a figure in another currency ("(£37bn)", "670 billion yen") is not
a dollar figure and is not matched. A bare "$2.7" is a trade figure only where the sentence
gives its unit ("in billions of dollars", as the release's country lists do)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans
from spacy.vocab import Vocab

from tradewh.claims.lexicon import SCALES

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
}  # fmt: skip
_FRACTION_ROUNDING = Decimal("2.5")
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
    hyphen = {"ORTH": "-", "OP": "?"}
    us = {"LOWER": {"IN": ["u.s.", "us"]}, "OP": "?"}
    matcher.add(
        "money",
        [
            [{"ORTH": {"IN": ["$", "US$"]}}, number, hyphen, {**scale, "OP": "?"}],
            [{"ORTH": {"IN": ["USD", "US$"]}}, number, scale],
            [number, scale, us, {"LOWER": {"IN": ["dollars", "usd"]}}],
        ],
    )
    matcher.add(
        "percent",
        [
            [number, {"ORTH": "%"}],
            [number, {"LOWER": {"IN": ["percent", "pct", "pc"]}}],
            [number, {"LOWER": "per"}, {"LOWER": "cent"}],
        ],
    )
    # "seven-tenths of 1 percent"
    matcher.add(
        "tenths",
        [
            [
                {"LOWER": {"IN": list(_WORD_NUMBERS)}},
                {"ORTH": "-"},
                {"LOWER": {"IN": ["tenth", "tenths"]}},
                {"LOWER": "of"},
                {"LOWER": {"IN": ["1", "one", "a"]}},
                {"LOWER": {"IN": ["percent", "per", "percentage"]}},
                {"LOWER": {"IN": ["cent", "point"]}, "OP": "?"},
            ]
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
        if label == "tenths":
            tenths = Decimal(_WORD_NUMBERS[span[0].lower_]) / 10
            figures.append(Figure(span.start, span.end, "percent", tenths, Decimal("0.05")))
            continue
        if label == "fraction":
            before = doc[span.start - 1].lower_ if span.start > 0 else ""
            if before in ("first", "second") or before.endswith("-"):
                continue  # "the first half of 2021": a period, not a share
            # A share in words is as precise as one rounded to the nearest 5 percent: "three-
            # quarters" stands for 72.5-77.5 ("about" doubles it, as for any figure).
            figures.append(
                Figure(
                    span.start,
                    span.end,
                    "fraction",
                    FRACTIONS[span[-1].lower_],
                    _FRACTION_ROUNDING,
                )
            )
            continue
        number_token = next(t for t in span if t.like_num)
        value = _number(number_token.text)
        if value is None:
            continue
        rounding = _half_last_unit(number_token.text)
        if label == "money":
            scale_word = next((t.lower_ for t in span if t.lower_ in SCALES), None)
            factor = Decimal(str(SCALES[scale_word])) if scale_word else _stated_unit(span.sent)
            if factor is None:
                continue  # "$0.76 a barrel": a price, not a trade figure
            figures.append(Figure(span.start, span.end, "money", value * factor, rounding * factor))
        else:
            figures.append(Figure(span.start, span.end, "percent", value, rounding))
    return figures


def _stated_unit(sentence) -> Decimal | None:
    """The unit a sentence gives its bare dollar figures: "in billions of dollars"."""
    words = [t.lower_ for t in sentence]
    for i, word in enumerate(words[:-1]):
        if word == "in" and words[i + 1] in ("billions", "millions"):
            return Decimal(1000) if words[i + 1] == "billions" else Decimal(1)
    return None
