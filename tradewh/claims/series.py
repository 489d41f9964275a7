"""Which release line a figure is about when it is not the headline: the current account, the
inflation-adjusted (real) balance, petroleum and non-petroleum, advanced technology products,
end-use categories, a three-month average, exports and imports combined.

Read from the measure's own noun phrase ("the petroleum deficit", "exports of capital goods"),
a phrase fronting the sentence ("Adjusted for inflation, the goods deficit ..."), a "with" aside
naming the line ("exports fell $1.1 billion, with autos down $0.6 billion"), or, for a bare
measure ("imports were $32.4 billion"), the line an earlier figure of the sentence is about. Not
from a cause ("a surge in imports of consumer goods pushed the deficit to ..."): that names what
moved the headline, not the figure's line.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from tradewh.claims import lexicon as lx
from tradewh.claims.linking import Metric

# Phrases (lower-case token sequences) -> series. Longest first wins where they overlap.
SERIES_PHRASES: dict[tuple[str, ...], str] = {
    ("current", "account"): "current_account",
    ("current", "-", "account"): "current_account",
    ("advanced", "technology"): "atp",
    ("advanced", "-", "technology"): "atp",
    ("high", "-", "tech"): "atp",
    ("non", "-", "petroleum"): "non_petroleum",
    ("nonpetroleum",): "non_petroleum",
    ("non", "-", "oil"): "non_petroleum",
    ("excluding", "oil"): "non_petroleum",
    ("excluding", "petroleum"): "non_petroleum",
    ("strip", "out", "petroleum"): "non_petroleum",
    ("petroleum",): "petroleum",
    ("oil",): "petroleum",
    ("crude",): "petroleum",
    ("real",): "real",
    ("inflation", "-", "adjusted"): "real",
    ("adjusted", "for", "inflation"): "real",
    ("adjusted", "for", "price"): "real",
    ("chained",): "real",
    ("autos",): "autos",
    ("auto",): "autos",
    ("automotive",): "autos",
    ("vehicles", "and", "parts"): "autos",
    ("motor", "vehicles"): "autos",
    ("automobiles",): "autos",
    ("automobile",): "autos",
    ("cars", "and", "parts"): "autos",
    ("consumer", "goods"): "consumer_goods",
    ("capital", "goods"): "capital_goods",
    ("industrial", "supplies"): "industrial_supplies",
    ("foods", ","): "foods",
    ("foods", "and"): "foods",
    ("average",): "moving_average",
    ("averaged",): "moving_average",
    ("three", "months", "ending"): "moving_average",
}
_LONGEST = max(len(p) for p in SERIES_PHRASES)
# Words a measure's noun phrase may be made of, besides series words: "the real goods deficit",
# "the U.S. petroleum trade deficit", "Sales of American autos and parts abroad".
_NP_WORDS = frozenset(
    "the a an u.s. us american america's nation's country's trade goods services merchandise "
    "and - 's total overall monthly annual average goods-trade merchandise-trade".split()
)
_CAUSES = frozenset({"led", "driven", "by", "as", "because", "on", "amid", "after"})


def find_series(doc: Doc, lo: int, hi: int) -> tuple[str, int, int] | None:
    """The first series phrase in tokens [lo, hi): (series, start, end)."""
    for i in range(lo, hi):
        for n in range(min(_LONGEST, hi - i), 0, -1):
            words = tuple(doc[j].lower_ for j in range(i, i + n))
            if words in SERIES_PHRASES:
                return SERIES_PHRASES[words], i, i + n
    return None


def noun_phrase(doc: Doc, metric: Metric, clause: Span) -> tuple[int, int]:
    """Tokens [lo, hi) of the measure's own noun phrase: its modifiers and an of/in phrase."""
    lo = metric.index
    while lo > clause.start:
        phrase = _phrase_ending(doc, lo, clause.start)
        if phrase:
            lo -= phrase
        elif doc[lo - 1].lower_ in _NP_WORDS or doc[lo - 1].is_title:
            lo -= 1
        else:
            break
    hi = metric.index + 1
    if hi < clause.end and doc[hi].lower_ in {"of", "in", "on", "for"}:
        hi += 1
        while hi < clause.end and hi - metric.index <= 6:
            token = doc[hi]
            if token.like_num or token.is_punct or token.lower_ in ("were", "was", "is", "are"):
                break
            if token.lower_ in {"rose", "fell", "climbed", "jumped", "dropped", "slid"}:
                break
            hi += 1
    return lo, hi


def _phrase_ending(doc: Doc, end: int, floor: int) -> int:
    """Length of a series phrase ending right before token `end` (0 if none)."""
    for n in range(min(_LONGEST, end - floor), 0, -1):
        if tuple(doc[j].lower_ for j in range(end - n, end)) in SERIES_PHRASES:
            return n
    return 0


def series_of(
    doc: Doc,
    metric: Metric,
    figure_start: int,
    clause: Span,
    sentence: Span,
    earlier: str | None,
) -> tuple[str, str | None]:
    """The series of a figure governed by `metric`, and the words that say so. `earlier` is
    the series of the sentence's previous figure, for a bare measure."""
    lo, hi = noun_phrase(doc, metric, clause)
    found = find_series(doc, lo, hi)
    if found is None:
        found = _predicate(doc, metric, clause)
    if found is None:
        found = _fronted(doc, sentence)
    if found is None:
        found = _aside(doc, metric, figure_start, clause)
    if found is None:
        found = _verb(doc, metric, figure_start, clause)
    if found is None:
        found = _goods_after(doc, figure_start, clause)
    if found is not None:
        series, start, end = found
        return series, doc[start:end].text
    # A flow told by a verb ("and sold it just $1.5 billion") has no noun phrase of its own.
    verb = doc[metric.index].lower_ in lx.IMPORT_VERBS | lx.EXPORT_VERBS
    bare = (hi - lo <= 2 or verb) and earlier not in (None, "headline")
    if bare and earlier is not None:
        return earlier, "(as the sentence's earlier figure)"
    return "headline", None


def _fronted(doc: Doc, sentence: Span) -> tuple[str, int, int] | None:
    """'Adjusted for inflation, ...', 'Excluding oil, ...': a phrase before the first comma."""
    first = next((t.i for t in sentence if not t.is_space), sentence.start)
    comma = next((t.i for t in sentence if t.text == "," and t.i - first <= 6), None)
    if comma is None:
        return None
    if doc[first].lower_ in {"even", "while", "as", "although", "though", "despite", "but"}:
        return None
    return find_series(doc, first, comma)


# Verbs whose object measure is the subject's line: "the balance in advanced technology
# products swung to a deficit of $210 million", "..., resulting in a deficit of $6.9 billion".
_PREDICATE_VERBS = frozenset(
    {"to", "in", "posted", "ran", "recorded", "showed", "logged", "had", "registered"}
)


def _predicate(doc: Doc, metric: Metric, clause: Span) -> tuple[str, int, int] | None:
    i = metric.index
    if i - 2 < clause.start or doc[i - 1].lower_ not in ("a", "an"):
        return None
    if doc[i - 2].lower_ not in _PREDICATE_VERBS:
        return None
    subject = [doc[j].lower_ for j in range(clause.start, i)]
    if set(subject) & _CAUSES:
        return None
    return find_series(doc, clause.start, i - 2)


def _aside(
    doc: Doc, metric: Metric, figure_start: int, clause: Span
) -> tuple[str, int, int] | None:
    """'Exports of goods fell $1.1 billion, with autos down $0.6 billion'; 'the deficit reached
    $69.1 billion, of which autos and parts accounted for $63.5 billion'."""
    for i in range(max(metric.index + 1, clause.start), figure_start):
        found = None
        if doc[i].lower_ == "with":
            found = find_series(doc, i + 1, min(i + 4, figure_start))
        elif doc[i].lower_ == "which" and doc[i - 1].lower_ == "of":
            found = find_series(doc, i + 1, figure_start)
        if found is not None:
            return found
    return None


def _goods_after(doc: Doc, figure_start: int, clause: Span) -> tuple[str, int, int] | None:
    """'$33.4 billion of motor vehicles and parts', '$1.98 billion worth of them': the goods
    right after the figure (not 'of which ...', a part of it)."""
    for i in range(figure_start + 1, min(clause.end, figure_start + 5)):
        if doc[i].lower_ == "of":
            if i + 1 < clause.end and doc[i + 1].lower_ in ("which", "that", "it", "the"):
                return None
            return find_series(doc, i + 1, min(clause.end, i + 7))
    return None


def _verb(doc: Doc, metric: Metric, figure_start: int, clause: Span) -> tuple[str, int, int] | None:
    """'the deficit averaged about $85 billion': the verb between measure and figure."""
    lo = max(metric.index + 1, clause.start)
    words = {doc[i].lower_ for i in range(lo, figure_start)}
    if words & _CAUSES:
        return None
    for i in range(lo, figure_start):
        if doc[i].lower_ == "averaged":
            return "moving_average", i, i + 1
    return None
