"""Words that qualify a figure: how exact it is (roughly, almost, more than), how it ranks
(record, largest since, second-highest) and whether it is a revised figure."""

from __future__ import annotations

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from tradewh.claims import lexicon as lx
from tradewh.claims.amounts import Figure

_BEFORE_FIGURE = (
    ("approximately", lx.APPROXIMATELY),
    ("almost", lx.ALMOST),
    ("more_than", lx.MORE_THAN),
)


def rank_matcher(vocab: Vocab) -> Matcher:
    matcher = Matcher(vocab)
    superlative = {"LOWER": {"IN": list(lx.SUPERLATIVES)}}
    ordinal = {"LOWER": {"IN": list(lx.ORDINALS)}}
    matcher.add(
        "nth_highest",
        [
            [
                ordinal,
                {"ORTH": "-", "OP": "?"},
                superlative,
                {"LOWER": "on", "OP": "?"},
                {"LOWER": "record", "OP": "?"},
            ],
            [ordinal, {"LOWER": "only"}, {"LOWER": "to"}],
        ],
    )
    matcher.add(
        "record",
        [
            [{"LOWER": "record"}],
            [{"LOWER": "all"}, {"ORTH": "-", "OP": "?"}, {"LOWER": "time"}, {"LOWER": "high"}],
            [superlative, {"LOWER": "ever"}],
            [superlative, {"LOWER": "on"}, {"LOWER": "record"}],
        ],
    )
    matcher.add(
        "largest_since",
        [
            [
                superlative,
                {"LOWER": {"IN": ["since", "in"]}},
                {"LOWER": {"IN": ["more", "almost", "nearly", "over", "than", "about"]}, "OP": "*"},
                {"LIKE_NUM": True},
            ],
            [
                {"LOWER": {"IN": ["more", "than"]}, "OP": "*"},
                {"LIKE_NUM": True},
                {"ORTH": "-", "OP": "?"},
                {"LOWER": {"IN": ["year", "month"]}},
                {"LOWER": "high"},
            ],
        ],
    )
    return matcher


def rank_spans(doc: Doc, matcher: Matcher) -> list[Span]:
    return [
        span
        for span in filter_spans(matcher(doc, as_spans=True))
        # "on record" after a word other than a superlative ("the first deficit on record")
        # and "record" as a verb are not rankings; "a record" and "record $X" are.
        if not (span.label_ == "record" and span.start > 0 and doc[span.start - 1].lower_ == "on")
    ]


def precision_words(doc: Doc, figure: Figure) -> list[str]:
    """approximately / almost / more_than when the words stand right before the figure."""
    found = []
    for name, phrases in _BEFORE_FIGURE:
        for phrase in phrases:
            words = phrase.split()
            start = figure.start - len(words)
            if start >= 0 and [t.lower_ for t in doc[start : figure.start]] == words:
                found.append(name)
    return found


def is_revised(doc: Doc, figure: Figure, sentence: Span, other_figures: list[Figure]) -> bool:
    """'February's revised $6.8 billion', 'was revised up to $53.9 billion' - but not 'the
    previously reported $53.1 billion' that the revision replaced."""
    lo = max(sentence.start, figure.start - 8)
    if any(lo <= f.start < figure.start for f in other_figures if f.kind == "money"):
        lo = max(f.end for f in other_figures if f.kind == "money" and f.end <= figure.start)
    words = [doc[i].lower_ for i in range(lo, figure.start)]
    if "revised" not in words:
        return False
    recent = words[-4:]
    return not {"previously", "originally", "initially", "first"} & set(recent)
