"""Partners given by the shape of a list rather than a preposition: "China ($29.9 billion),
Mexico ($5.1 billion)", "followed by China at $29.5 billion", and "the deficits with Mexico,
Vietnam and Canada were $9.0 billion, $8.1 billion and $5.3 billion, respectively"."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from tradewh.claims.amounts import Figure
from tradewh.claims.linking import PartnerMention


def listed_partners(
    doc: Doc, sentence: Span, figures: list[Figure], partners: list[PartnerMention]
) -> dict[Figure, tuple[PartnerMention, str]]:
    """The partner each listed figure of `sentence` belongs to, and how it was read
    ("listed", or "respectively" when only the order pairs them)."""
    in_sentence = [p for p in partners if sentence.start <= p.start < sentence.end]
    ends = {p.end: p for p in in_sentence}
    found: dict[Figure, tuple[PartnerMention, str]] = {}
    for f in figures:
        # "China ($29.9 billion)" / "China at $29.5 billion"
        i = f.start - 1
        if i > sentence.start and doc[i].text in ("(", "at") and i in ends:
            found[f] = (ends[i], "listed")
    word = next((t for t in sentence if t.lower_ == "respectively"), None)
    if word is not None:
        found.update(_respectively(doc, word.i, figures, in_sentence))
    return found


def _respectively(
    doc: Doc, at: int, figures: list[Figure], partners: list[PartnerMention]
) -> dict[Figure, tuple[PartnerMention, str]]:
    # The run of figures the word closes: "$9.0 billion, $8.1 billion and $5.3 billion".
    money = []
    for f in sorted(
        (f for f in figures if f.kind == "money" and f.end <= at), key=lambda f: -f.start
    ):
        end = money[0].start if money else at
        if {doc[i].lower_ for i in range(f.end, end)} <= {",", "and"}:
            money.insert(0, f)
        else:
            break
    if not money:
        return {}
    # The coordinated partners before them: "with the European Union and Mexico".
    listed = [p for p in partners if p.end <= money[0].start]
    chain: list[PartnerMention] = []
    for p in reversed(listed):
        if chain and not _joined(doc, p, chain[0]):
            break
        chain.insert(0, p)
    run = [f for f in money if f.start >= chain[-1].end] if chain else []
    if len(chain) < 2 or len(run) != len(chain):
        return {}
    return {f: (p, "respectively") for f, p in zip(run, chain, strict=True)}


def _joined(doc: Doc, first: PartnerMention, second: PartnerMention) -> bool:
    between = {doc[i].lower_ for i in range(first.end, second.start)}
    return bool(between) and between <= {",", "and", "the"}
