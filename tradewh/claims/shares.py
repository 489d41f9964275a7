"""What a share figure is a share of: a measure named after it ("40 percent of the gap"), "the
total", a pronoun ("74% of it": the measure in play, or the one just quoted), or GDP ("3.1
percent of GDP")."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from tradewh.claims.amounts import Figure
from tradewh.claims.linking import Metric, governing_metric


def whole_of_share(
    doc: Doc,
    figure: Figure,
    metrics: list[Metric],
    clause: Span,
    sentence: Span,
    last: tuple[str, int] | None,
) -> Metric | None:
    """The measure a share figure is part of ("40 percent of the gap"); None if no share."""
    whole = _share_of(doc, figure, metrics, clause)
    if whole is None and _of_the_total(doc, figure, clause):
        # "accounted for more than half of the total": a share of the measure in play
        whole = governing_metric(doc, figure.start, figure.start, metrics, clause, sentence)
    pronoun = _of_a_pronoun(doc, figure, clause)
    if whole is None and pronoun is not None:
        # "the shortfall with Japan totaled $42.9 billion, and autos made up 74% of it": the
        # measure in play in the sentence, else the one just quoted.
        whole = governing_metric(doc, figure.start, figure.start, metrics, clause, sentence)
        if whole is None and last is not None:
            whole = Metric(pronoun, last[0], last[1], False)
    return whole


_PRONOUNS = frozenset({"it", "that", "this", "them"})


def _of_a_pronoun(doc: Doc, figure: Figure, clause: Span) -> int | None:
    """'74% of it', 'two-thirds of that.': the pronoun's index."""
    if figure.kind == "money" or figure.end + 1 >= min(len(doc), clause.end + 1):
        return None
    if doc[figure.end].lower_ != "of":
        return None
    pronoun = doc[figure.end + 1]
    following = doc[pronoun.i + 1].text if pronoun.i + 1 < len(doc) else "."
    # "of it" always points back; "of that", "of this" only where the phrase ends ("of that
    # total" names its own noun).
    if pronoun.lower_ == "it" or (
        pronoun.lower_ in _PRONOUNS and following in {".", ",", ";", ")", "--", "-"}
    ):
        return pronoun.i
    return None


_GDP = ("gdp", "gross domestic product", "economic output", "the economy")


def share_of_gdp(doc: Doc, figure: Figure, others: list[Figure], sentence: Span) -> Metric | None:
    """'3.1 percent of GDP', 'As a share of gross domestic product, the deficit was 3.2
    percent in 2020, up from 2.7 percent in 2019': a share of GDP, as the release gives it."""
    if figure.kind != "percent":
        return None
    text = sentence.text.lower()
    if not any(word in text for word in _GDP):
        return None
    after = doc[figure.end : min(sentence.end, figure.end + 8)].text.lower()
    before = doc[sentence.start : figure.start].text.lower()
    framed = any(f"of {word}" in after for word in _GDP) or (
        after.startswith("of ") and any(word in after for word in _GDP)
    )
    fronted = any(
        f"{frame} of" in before and any(word in before for word in _GDP)
        for frame in ("share", "percentage", "percent", "proportion")
    )
    sibling = (
        figure.start > 0
        and doc[figure.start - 1].lower_ == "from"
        and any(o.kind == "percent" and o.end <= figure.start for o in others)
    )
    if not (framed or fronted or sibling):
        return None
    anchor = next(
        (t.i for t in sentence if t.lower_ in ("gdp", "gross", "output", "economy")), figure.start
    )
    return Metric(anchor, "gdp", 1, False)


def _of_the_total(doc: Doc, figure: Figure, clause: Span) -> bool:
    if figure.kind == "money" or figure.end + 2 >= clause.end:
        return False
    words = [doc[i].lower_ for i in range(figure.end, min(clause.end, figure.end + 4))]
    return words[0] == "of" and "total" in words


def _share_of(doc: Doc, figure: Figure, metrics: list[Metric], clause: Span) -> Metric | None:
    """'40 percent of the gap', 'a third of US imports': the measure it is a share of."""
    if figure.kind == "money" or figure.end >= clause.end or doc[figure.end].lower_ != "of":
        return None
    by_index = {m.index: m for m in metrics}
    for i in range(figure.end + 1, min(clause.end, figure.end + 7)):
        if i in by_index:
            return by_index[i]
    return None
