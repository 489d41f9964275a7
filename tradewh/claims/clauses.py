"""Sentences cut into clauses, and where a sentence's words start: the scope within which a
figure finds its measure, partner and period."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from tradewh.claims import lexicon as lx


def starts_paragraph(doc: Doc, sentence: Span) -> bool:
    before = doc.text[max(0, sentence.start_char - 2) : sentence.start_char]
    return sentence.start == 0 or "\n\n" in before or sentence[0].text.startswith("\n\n")


def clauses(doc: Doc, sentence: Span) -> list[Span]:
    cuts = [first_word(sentence)]
    # "Even as the gap with China widened, the overall deficit shrank": the subordinate
    # clause ends at its comma, and lends the main clause neither partner nor measure.
    subordinate = doc[cuts[0]].lower_ in lx.SUBORDINATORS or (
        doc[cuts[0]].lower_ == "even" and doc[cuts[0] + 1].lower_ in ("as", "though", "if")
    )
    for token in doc[cuts[0] + 1 : sentence.end]:
        after_comma = doc[token.i - 1].text == "," and token.lower_ in {"and", "but", "as"}
        if token.lower_ in lx.CLAUSE_BREAKS or after_comma:
            cuts.append(token.i)
        elif subordinate and token.text == ",":
            cuts.append(token.i + 1)
            subordinate = False
    cuts.append(sentence.end)
    return [doc[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def main_part(doc: Doc, sentence: Span, clause: Span) -> Span:
    """The sentence without a subordinate clause the figure is not in ("Even as the gap with
    China narrowed, imports rose ..." -> "imports rose ...")."""
    parts = clauses(doc, sentence)
    first = doc[first_word(sentence)].lower_
    if (
        len(parts) > 1
        and clause.start > parts[0].start
        and (first in lx.SUBORDINATORS or first == "even")
    ):
        return doc[parts[1].start : sentence.end]
    return sentence


def first_word(sentence: Span) -> int:
    """Sentences after a paragraph break start with the break's whitespace token."""
    return next((t.i for t in sentence if not t.is_space), sentence.start)


def clause_of(doc: Doc, sentence: Span, index: int) -> Span:
    return next(c for c in clauses(doc, sentence) if c.start <= index < c.end)
