"""Reading one figure: whether it is a US trade claim at all (not a forecast, a rate, a range,
a price, a figure about something else), and if so its kind (level, change, share,
component_share) and the measure that governs it, from the structure of its clause."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from tradewh.claims import lexicon as lx
from tradewh.claims.amounts import Figure
from tradewh.claims.changes import direction
from tradewh.claims.clauses import clause_of, first_word
from tradewh.claims.linking import Metric, governing_metric
from tradewh.claims.periods import MONTHS
from tradewh.claims.series import find_series, noun_phrase
from tradewh.claims.shares import share_of_gdp, whole_of_share


@dataclass(frozen=True)
class Read:
    """A figure read as a claim, before its period is known."""

    figure: Figure
    kind: str
    metric: Metric
    clause: Span
    share_of: Metric | None = None
    # For a component_share: the release line that is the part (series, first, end token).
    line: tuple[str, int, int] | None = None


def read_figure(
    doc: Doc,
    figure: Figure,
    others: list[Figure],
    sentence: Span,
    metrics: list[Metric],
    last: tuple[str, int] | None,
) -> Read | None:
    """The figure read as a claim: a share (of GDP, or of a measure), else a level or a
    change; None when it is no US trade claim."""
    clause = clause_of(doc, sentence, figure.start)
    if _left_out(doc, figure, others, sentence, clause):
        return None
    metrics = _metrics_in_play(doc, figure, sentence, clause, metrics, last)
    gdp = share_of_gdp(doc, figure, others, sentence)
    if gdp is not None:
        return _gdp_share(doc, figure, gdp, metrics, clause, sentence)
    whole = whole_of_share(doc, figure, metrics, clause, sentence, last)
    if whole is not None:
        return _share(doc, figure, whole, metrics, clause)
    return _level_or_change(doc, figure, metrics, clause, sentence)


def _metrics_in_play(
    doc: Doc,
    figure: Figure,
    sentence: Span,
    clause: Span,
    metrics: list[Metric],
    last: tuple[str, int] | None,
) -> list[Metric]:
    """The measures found, plus one the words imply: "imports exceeded exports by", or the
    measure just quoted when the sentence names none ("June's figure was revised to")."""
    exceeded = _exceeded(doc, figure, clause)
    if exceeded is not None:
        return [*metrics, exceeded]
    if last is not None and not any(sentence.start <= m.index < sentence.end for m in metrics):
        anaphor = _anaphor(doc, sentence, figure)
        if anaphor is not None:
            return [*metrics, Metric(anaphor, last[0], last[1], False)]
    return metrics


def _gdp_share(
    doc: Doc, figure: Figure, gdp: Metric, metrics: list[Metric], clause: Span, sentence: Span
) -> Read | None:
    part = governing_metric(doc, figure.start, figure.start, metrics, clause, sentence)
    if part is None or _blocked(doc, part, clause):
        return None
    return Read(figure, "share", part, clause, gdp)


def _share(
    doc: Doc, figure: Figure, whole: Metric, metrics: list[Metric], clause: Span
) -> Read | None:
    # The part is what the clause says before the share: "The Japanese deficit made up a third
    # of the gap"; without one ("Japan accounted for 40 percent of the deficit") it is the same
    # measure as the whole.
    part = governing_metric(doc, figure.start, figure.start, metrics, clause, clause)
    part = part if part is not None and part.index < figure.start else whole
    if _blocked(doc, whole, clause) or _blocked(doc, part, clause):
        return None
    line = _line_subject(doc, figure, part is whole, whole, clause)
    if line is None and part is not whole:
        # "The automotive deficit of $16.9 billion accounted for 17 percent of the overall
        # deficit": the part is the line's own balance.
        lo, hi = noun_phrase(doc, part, clause)
        named = find_series(doc, lo, hi)
        line = named if named is not None and named[0] in PART_LINES else None
    if line is not None:
        # "Autos and parts made up 74% of the deficit with Japan": the line's part of the
        # partner's balance, not the partner's part of the world's.
        return Read(figure, "component_share", whole, clause, whole, line)
    return Read(figure, "share", part, clause, whole)


def _level_or_change(
    doc: Doc, figure: Figure, metrics: list[Metric], clause: Span, sentence: Span
) -> Read | None:
    way = direction(doc, figure, clause)
    if figure.kind != "money" and way is None:
        return None  # a bare percentage or fraction: a tariff rate, a poll, ...
    metric = governing_metric(doc, figure.start, figure.end, metrics, clause, sentence)
    if metric is not None and _total_trade(doc, figure, clause):
        # Exports and imports together: recorded as total trade, which the release does not
        # print as such (marts.claim_check: no_official_figure).
        return Read(figure, "level", Metric(metric.index, "trade", 1, False), clause)
    if (
        metric is None
        or _blocked(doc, metric, clause)
        or _about_other_things(doc, figure, metric, clause)
    ):
        return None
    return Read(figure, "change" if way else "level", metric, clause)


_EXCEED = frozenset({"exceeded", "outpaced", "outstripped", "topped", "surpassed"})
ANAPHORS = frozenset({"figure", "reading", "number", "tally"})


def _total_trade(doc: Doc, figure: Figure, clause: Span) -> bool:
    """'exports to Mexico and imports from Mexico combined hit $52.0 billion', '$52.4 billion in
    exports and imports combined', 'two-way trade of $X'."""
    words = [t.lower_ for t in clause]
    flows = {"exports", "imports"} <= set(words)
    together = {"combined", "together", "two-way"} & set(words)
    near = [doc[i].lower_ for i in range(max(clause.start, figure.start - 3), figure.start)]
    return (flows and bool(together)) or ("two" in near and "way" in near)


def _exceeded(doc: Doc, figure: Figure, clause: Span) -> Metric | None:
    """'Imports exceeded exports by $6.3 billion': a balance, negative when imports lead."""
    words = [doc[i].lower_ for i in range(clause.start, figure.start)]
    for k, word in enumerate(words):
        if word in _EXCEED and k > 0:
            first = next(
                (j for j in range(k - 1, max(-1, k - 4), -1) if words[j] in ("imports", "exports")),
                None,
            )
            second = [w for w in words[k + 1 : k + 4] if w in ("imports", "exports")]
            if first is not None and second and "by" in words[k:]:
                sign = -1 if words[first] == "imports" else 1
                return Metric(clause.start + k, "balance", sign, False)
    return None


def _anaphor(doc: Doc, sentence: Span, figure: Figure) -> int | None:
    """'June's figure, first put at $65.5 billion, was cut to ...', 'March was revised to
    $68.6 billion': a sentence naming no measure that refers to the one just quoted."""
    first = first_word(sentence)
    for i in range(first, min(figure.start, first + 4)):
        if doc[i].lower_ in ANAPHORS:
            return i
    if doc[first].text in MONTHS and doc[first + 1].lower_ in ("was", "'s", "is", "had"):
        return first
    return None


def _blocked(doc: Doc, metric: Metric, clause: Span) -> bool:
    """A commodity's figure ("soybean exports") is left out; a release line's ("exports of
    vehicles and parts", "petroleum imports") is read, with its series."""
    if not metric.blocked:
        return False
    lo, hi = noun_phrase(doc, metric, clause)
    return find_series(doc, lo, hi) is None


def _left_out(doc: Doc, figure: Figure, others: list[Figure], sentence: Span, clause: Span) -> bool:
    if _expected(doc, figure, others, sentence):
        return True
    before = [doc[i].lower_ for i in range(max(sentence.start, figure.start - 7), figure.start)]
    clause_before = {doc[i].lower_ for i in range(clause.start, figure.start)}
    if clause_before & lx.WITHDRAWN or (before and before[-1] == "not"):
        return True
    return _is_rate(doc, figure, clause) or _in_range(doc, figure, others, sentence)


def _expected(doc: Doc, figure: Figure, others: list[Figure], sentence: Span) -> bool:
    """A forecast, aim or hypothesis: "economists had forecast $43 billion", "the $9.5 billion
    that economists had expected". An expectation word governs the figure when it stands
    before it with no other money figure or dated possessive between ("would top last year's
    $358.3 billion" is an actual), or after it with no punctuation between."""
    lo = max(sentence.start, figure.start - 9)
    for other in others:
        if other.kind == "money" and other.end <= figure.start:
            lo = max(lo, other.end)
    for i in range(figure.start - 1, lo - 1, -1):
        word = doc[i].lower_
        if word in ("'s", ",", ";"):
            break
        # "a smaller-than-expected deficit of $41.9 billion", "wider than forecast": actual
        compared = i > 0 and doc[i - 1].lower_ in ("than", "-", "as")
        if word in lx.NOT_REPORTED and not compared:
            return True
    for i in range(figure.end, min(sentence.end, figure.end + 7)):
        word = doc[i]
        if word.is_punct or word.like_num:
            break
        if word.lower_ in lx.NOT_REPORTED:
            return True
    return False


def _is_rate(doc: Doc, figure: Figure, clause: Span) -> bool:
    for i in range(figure.end, min(clause.end - 1, figure.end + 6)):
        if doc[i].lower_ in lx.RATE_WORDS and doc[i + 1].lower_ in lx.RATE_UNITS:
            follower = doc[i + 2].lower_ if i + 2 < len(doc) else ""
            return follower not in {"earlier", "ago", "before", "prior", "later"}
    return False


def _in_range(doc: Doc, figure: Figure, others: list[Figure], sentence: Span) -> bool:
    """'$8.5 billion to $9 billion', 'between 3% and 4%': no single figure to check."""
    if figure.start > 0 and doc[figure.start - 1].lower_ == "between":
        return True
    if any(t.lower_ == "respectively" for t in sentence):
        return False  # "$13.1 billion and $5.8 billion, respectively": two figures
    for other in others:
        if other.kind != figure.kind:
            continue
        first, second = (figure, other) if other.start > figure.start else (other, figure)
        joined = second.start - first.end == 1 and doc[first.end].lower_ in {"to", "and", "-"}
        if (
            joined
            and first.start > 0
            and doc[first.start - 1].lower_ != "from"
            and (direction(doc, first, clause_of(doc, sentence, first.start)) is None)
        ):
            return True
    return False


# Release lines that are parts of a partner's goods balance (a share of GDP, an average or the
# real balance are not).
PART_LINES = frozenset(
    {
        "autos",
        "petroleum",
        "non_petroleum",
        "atp",
        "consumer_goods",
        "capital_goods",
        "industrial_supplies",
        "foods",
    }
)


# Words that make a line named after the whole its source: "two-thirds of the deficit came
# from motor vehicles and parts", "82% of the gap was due to cars and auto parts". Not a cause
# ("driven by autos"): Japan's share of the deficit, driven by autos, is still Japan's.
_SOURCE_CUES = (("came", "from"), ("due", "to"), ("accounted", "for", "by"), ("attributable", "to"),
                ("stemmed", "from"), ("was", "from"), ("were", "from"))  # fmt: skip


def _line_subject(
    doc: Doc, figure: Figure, no_measure_before: bool, whole: Metric, clause: Span
) -> tuple[str, int, int] | None:
    """The release line a share is of ("Motor vehicles and parts accounted for about two-thirds
    of ...", "With Germany, autos accounted for 17.4 percent of the gap", "two-thirds of the
    deficit came from motor vehicles and parts"), when the clause names no measure of its own
    before the share."""
    if not no_measure_before:
        return None
    found = find_series(doc, clause.start, figure.start)
    if found is None:
        _, hi = noun_phrase(doc, whole, clause)
        after = find_series(doc, hi, clause.end)
        # The cue right before the line, or a few words before it ("came from motor vehicles
        # and parts", "was due to cars and auto parts").
        words = [t.lower_ for t in doc[hi : after[1]]] if after is not None else []
        if any(
            any(
                tuple(words[i : i + len(cue)]) == cue
                for i in range(max(0, len(words) - len(cue) - 3), len(words) - len(cue) + 1)
            )
            for cue in _SOURCE_CUES
        ):
            found = after
    return found if found is not None and found[0] in PART_LINES else None


def _about_other_things(doc: Doc, figure: Figure, metric: Metric, clause: Span) -> bool:
    lo = max(clause.start, figure.start - 4)
    if metric.index < figure.start:
        lo = max(lo, metric.index + 1)
    for i in range(figure.start - 1, lo - 1, -1):
        if doc[i].text in (",", ";", "("):
            lo = i + 1  # "a broader measure that includes investment income, reached $X"
            break
    words = [doc[i].lower_ for i in range(lo, figure.start)]
    # Right after the figure only its own noun counts: "$20 billion rescue package", "$75
    # billion in damage" - not "$31.6 billion as tariffs bit".
    for i in range(figure.end, min(clause.end, figure.end + 2)):
        if i == metric.index or doc[i].lower_ in {"as", "while", "and", "but", ",", "."}:
            break
        words.append(doc[i].lower_)
    return bool(set(words) & lx.OTHER_THINGS)
