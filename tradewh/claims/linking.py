"""What a figure is about: the trade measure it is governed by (deficit, exports, ...), the
product the words name, and the partner, from the United States' side."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from tradewh.claims import lexicon as lx
from tradewh.claims.partners import PARTNERS
from tradewh.claims.us_side import is_us, us_subject

# Words that may stand between a figure and the measure it precedes: "a $3.5 billion
# September gap", "$14 billion of the shortfall", "$1.8 billion in exports".
_PRENOMINAL_FILLER = frozenset(
    {
        "in",
        # "a $36bn jump in imports": the change noun between figure and measure
        "jump",
        "rise",
        "increase",
        "drop",
        "decline",
        "fall",
        "gain",
        "surge",
        "decrease",
        "of",
        "the",
        "trade",
        "merchandise",
        "goods",
        "services",
        "-",
        "'s",
        "total",
        "overall",
        "monthly",
        "annual",
    }
)
_PREPOSITIONS = frozenset({"with", "to", "from", "toward", "towards", "vis-a-vis", "and"})
_SUBJECT_OPENERS = frozenset({"the", "but", "and", "meanwhile", ",", "while", "whereas"})
# Words a measure's own noun phrase is made of: "the U.S. goods and services trade deficit".
_NOUN_PHRASE = frozenset(
    {
        "trade",
        "goods",
        "services",
        "merchandise",
        "and",
        "-",
        "'s",
        "total",
        "overall",
        "the",
        "monthly",
        "annual",
    }
)
_WORLD_CUES = frozenset(
    {
        "overall",
        "total",
        "global",
        "worldwide",
        "nation",
        "country",
        "nation's",
        "country's",
        "trade",
        "headline",
    }
)


@dataclass(frozen=True)
class Metric:
    """A measure word at token `index`: metric, sign of a balance (-1 deficit, +1 surplus),
    and whether it is about something the warehouse does not hold (a commodity, total trade)."""

    index: int
    metric: str
    sign: int
    blocked: bool


@dataclass(frozen=True)
class PartnerMention:
    start: int
    end: int
    code: str
    name: str


def partner_matcher(nlp: Language) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for code, _name, words in PARTNERS:
        matcher.add(code, [nlp.make_doc(word) for word in words])
    return matcher


def find_partners(doc: Doc, matcher: PhraseMatcher) -> list[PartnerMention]:
    names = {code: name for code, name, _ in PARTNERS}
    return [
        PartnerMention(span.start, span.end, span.label_, names[span.label_])
        for span in filter_spans(matcher(doc, as_spans=True))
    ]


def find_metrics(doc: Doc) -> list[Metric]:
    metrics = []
    for token in doc:
        found = _metric_of(doc, token.i)
        if found is not None and not _inside_between(doc, token.i):
            metric, sign = found
            metrics.append(Metric(token.i, metric, sign, _is_blocked(doc, token.i)))
    return metrics


def _inside_between(doc: Doc, i: int) -> bool:
    """'the gap between what the U.S. imports and exports': the flows name the gap, they are
    not measures of their own."""
    if doc[i].lower_ not in lx.EXPORT_WORDS | lx.IMPORT_WORDS:
        return False
    for j in range(i - 1, max(-1, i - 8), -1):
        if doc[j].lower_ == "between":
            return j > 0 and doc[j - 1].lower_ in lx.BALANCE_DEFICIT | {"difference", "balance"}
        if doc[j].is_punct or doc[j].like_num:
            return False
    return False


def _metric_of(doc: Doc, i: int) -> tuple[str, int] | None:
    word = doc[i].lower_
    if word in lx.BALANCE_DEFICIT:
        return "balance", -1
    if word in lx.BALANCE_SURPLUS:
        return "balance", 1
    if word in lx.EXPORT_WORDS or (word == "export" and _next(doc, i) == "of"):
        return "exports", 1  # "Export of goods and services hits record $190 billion"
    if word in lx.IMPORT_WORDS and (word.endswith("s") or _next(doc, i) == "bill"):
        return "imports", 1
    near = {_next(doc, i), _next(doc, i, 2), doc[i - 1].lower_ if i else ""}
    if word in lx.EXPORT_NOUNS_WITH_ABROAD and _next(doc, i) == "of":
        # "Sales of American autos and parts abroad"
        near |= {_next(doc, i, k) for k in range(3, 8)}
    abroad = bool(near & lx.ABROAD_WORDS)
    if word in lx.EXPORT_NOUNS_WITH_ABROAD and (abroad or _next(doc, i) == "to"):
        return "exports", 1
    if word in lx.IMPORT_NOUNS_WITH_ABROAD and abroad:
        return "imports", 1
    if word in lx.IMPORT_VERBS | lx.EXPORT_VERBS and us_subject(doc, i):
        return ("imports" if word in lx.IMPORT_VERBS else "exports"), 1
    return None


def _next(doc: Doc, i: int, step: int = 1) -> str:
    return doc[i + step].lower_ if i + step < len(doc) else ""


def _is_blocked(doc: Doc, i: int) -> bool:
    """'soybean exports', 'imports of German cars', 'exports and imports combined'."""
    before = {doc[j].lower_ for j in range(max(0, i - 2), i)}
    if before & lx.COMMODITIES:
        return True
    if _next(doc, i) == "of" and {_next(doc, i, k) for k in (2, 3)} & lx.COMMODITIES:
        return True
    # Exports and imports together are total trade, which no release reports as such.
    flows = {"exports", "imports"}
    if doc[i].lower_ not in flows:
        return False
    follows = _next(doc, i) == "and" and _next(doc, i, 2) in flows
    leads = i >= 2 and doc[i - 1].lower_ == "and" and doc[i - 2].lower_ in flows
    return follows or leads


def governing_metric(
    doc: Doc,
    figure_start: int,
    figure_end: int,
    metrics: list[Metric],
    clause: Span,
    sentence: Span,
) -> Metric | None:
    """The measure a figure is the value of: one it directly precedes ("$227 million surplus",
    "$14 billion of the shortfall"), else the nearest before it in its clause, else in its
    sentence (a clause after a semicolon may leave the measure to the first)."""
    by_index = {m.index: m for m in metrics}
    for i in range(figure_end, min(figure_end + 5, clause.end)):
        if i in by_index:
            return by_index[i]
        token = doc[i]
        if not (token.lower_ in _PRENOMINAL_FILLER or token.like_num or token.is_title):
            break
    for scope in (clause, sentence):
        before = [m for m in metrics if scope.start <= m.index < figure_start]
        outside = [m for m in before if not _in_aside(doc, m.index, figure_start)]
        if outside or before:
            return (outside or before)[-1]
    return None


def _in_aside(doc: Doc, i: int, figure_start: int) -> bool:
    """'The deficit with Mexico, which had been in surplus before ..., reached $15.4 billion':
    a measure in a relative clause closed before the figure does not govern it."""
    opened = next((j for j in range(i - 1, max(-1, i - 8), -1) if doc[j].text == ","), None)
    if opened is None or doc[opened + 1].lower_ not in ("which", "who", "that", "where"):
        return False
    return any(doc[j].text == "," for j in range(i + 1, figure_start))


def product_of(doc: Doc, metric: Metric, clause: Span) -> str | None:
    """goods_and_services, goods or services where the measure's own words say so: "the goods
    and services deficit", "exports of services", "purchases of foreign goods" - not "a surge
    in imports of consumer goods pushed the deficit"."""
    lo = metric.index
    while lo > clause.start and (doc[lo - 1].lower_ in _NOUN_PHRASE or doc[lo - 1].is_title):
        lo -= 1
    hi = metric.index + 1
    if hi < clause.end and doc[hi].lower_ in {"of", "in", "on", "for"}:
        hi = min(clause.end, hi + 5)
    if doc[metric.index].lower_ in lx.IMPORT_VERBS | lx.EXPORT_VERBS:
        # "shipped $42.17 billion of goods overseas": the goods named after the figure.
        hi = min(clause.end, hi + 7)
    words = [doc[i].lower_ for i in range(lo, hi)]
    text = " ".join(words)
    if "goods and services" in text:
        return "goods_and_services"
    for word in words:
        if word in lx.PRODUCT_WORDS:
            return lx.PRODUCT_WORDS[word]
    return _topic_product(doc, clause, metric.index)


def _topic_product(doc: Doc, clause: Span, before: int) -> str | None:
    """The product a clause opens with, when the measure itself names none: "Trade in services,
    which ..., showed a surplus", "Services such as tourism earned a surplus"."""
    opening = [doc[i].lower_ for i in range(clause.start, min(before, clause.start + 3))]
    if opening[:2] == ["trade", "in"]:
        opening = opening[2:]
    if opening and opening[0] in lx.PRODUCT_WORDS:
        return lx.PRODUCT_WORDS[opening[0]]
    return None


@dataclass(frozen=True)
class PartnerLink:
    """The partner of a figure: code (None = not said or more than one), name as written,
    whether the words take the partner's side ("China's surplus with the United States"),
    and skip = a foreign country's own figure (not a US one)."""

    code: str | None
    name: str | None
    flipped: bool = False
    skip: bool = False


def link_partner(
    doc: Doc,
    figure_start: int,
    metric: Metric,
    clause: Span,
    sentence: Span,
    partners: list[PartnerMention],
) -> PartnerLink:
    in_clause = [p for p in partners if clause.start <= p.start < clause.end]
    us_in_clause = any(is_us(doc, i) for i in range(clause.start, clause.end))
    candidates: list[tuple[int, PartnerMention, str]] = []
    for p in in_clause:
        role = _role(doc, p, figure_start, metric, clause)
        if role is not None:
            candidates.append((abs(p.start - figure_start), p, role))
    if not candidates:
        return _unlinked(doc, metric, sentence, partners, us_in_clause)
    _, best, role = min(candidates, key=lambda c: c[0])
    if role == "subject" and _joined(doc, best, partners):
        return PartnerLink(None, None)  # "Japan and China together accounted for ..."
    if role == "owner":
        # A country's own surplus is a US figure only when it is the one with the US.
        return PartnerLink(
            best.code, doc[best.start : best.end].text, flipped=us_in_clause, skip=not us_in_clause
        )
    flipped = role == "subject" and _with_us(doc, clause)
    return PartnerLink(best.code, doc[best.start : best.end].text, flipped=flipped)


def _role(
    doc: Doc, p: PartnerMention, figure_start: int, metric: Metric, clause: Span
) -> str | None:
    """How a partner named in the figure's clause stands to its measure: object ("with
    Japan"), owner ("Japan's surplus"), modifier ("the Japan deficit") or subject ("Japan
    accounted for ..."); None when it is not the figure's partner."""
    if p.start > figure_start and any(
        doc[j].lower_ in lx.BALANCE_DEFICIT | lx.BALANCE_SURPLUS and j != metric.index
        for j in range(figure_start, p.start)
    ):
        return None  # "... to $40.3 billion, with the gap with China at $22.3 billion"
    before = doc[p.start - 1].lower_ if p.start > 0 else ""
    before2 = doc[p.start - 2].lower_ if p.start > 1 else ""
    possessive = p.end < len(doc) and doc[p.end].lower_ == "'s"
    if (
        before in _PREPOSITIONS
        and before != "and"
        or (before == "the" and before2 in _PREPOSITIONS)
    ):
        return "object"
    # "imports of Japanese cars", "imported $84.7 billion of Mexican cars": the goods' country.
    reach = 7 if doc[metric.index].lower_ in lx.IMPORT_VERBS | lx.EXPORT_VERBS else 3
    if (
        before == "of"
        and metric.metric in ("imports", "exports")
        and 0 < p.start - metric.index <= reach
    ):
        return "object"
    if possessive and (0 <= metric.index - p.end - 1 <= 4 or _opens(doc, p, clause)):
        return "owner"
    if 0 <= metric.index - p.end <= 3 and all(
        doc[i].lower_ in _NOUN_PHRASE for i in range(p.end, metric.index)
    ):
        return "modifier"
    return "subject" if _opens(doc, p, clause) else None


def _unlinked(
    doc: Doc, metric: Metric, sentence: Span, partners: list[PartnerMention], us_in_clause: bool
) -> PartnerLink:
    """No partner in the clause: all countries ("-"), unless the sentence names one and
    nothing says the figure is the US total (then unclear: None)."""
    if any(p for p in partners if sentence.start <= p.start < sentence.end) and not (
        us_in_clause or _world_cue(doc, metric)
    ):
        return PartnerLink(None, None)
    return PartnerLink("-", None)


def _opens(doc: Doc, p: PartnerMention, clause: Span) -> bool:
    return all(
        doc[i].lower_ in _SUBJECT_OPENERS or doc[i].is_space for i in range(clause.start, p.start)
    )


def _joined(doc: Doc, p: PartnerMention, partners: list[PartnerMention]) -> bool:
    return (
        p.end < len(doc)
        and doc[p.end].lower_ == "and"
        and any(q.start == p.end + 1 for q in partners)
    )


def _with_us(doc: Doc, clause: Span) -> bool:
    return any(
        doc[i].lower_ in _PREPOSITIONS
        and any(is_us(doc, j) for j in _after_preposition(doc, i) if j < clause.end)
        for i in range(clause.start, clause.end)
    )


def _after_preposition(doc: Doc, i: int) -> tuple[int, ...]:
    """Where the object of a preposition at `i` can name the US: "with the United States",
    "with its northern neighbor" (not "with which the United States ...")."""
    if i + 3 < len(doc) and doc[i + 3].lower_ in ("neighbor", "neighbour"):
        return (i + 3,)
    return (i + 1, i + 2)


def _world_cue(doc: Doc, metric: Metric) -> bool:
    lo = max(0, metric.index - 4)
    return any(doc[i].lower_ in _WORLD_CUES or is_us(doc, i) for i in range(lo, metric.index))
