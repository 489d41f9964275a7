"""Claim extraction: every trade figure a text quotes, with what it measures, the partner, the
period and the words that qualify it, read from the US side.

Rules run on spaCy's blank English pipeline (tokenizer, sentencizer, Matcher): no statistical
model, so the same text always gives the same claims. A figure becomes a claim only when a trade
measure governs it; figures about other things, forecasts, aims, rates, ranges and figures a
correction withdraws are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from tradewh.claims import lexicon as lx
from tradewh.claims.amounts import Figure, figure_matcher, find_figures
from tradewh.claims.layout import unwrap
from tradewh.claims.linking import (
    Metric,
    PartnerLink,
    PartnerMention,
    find_metrics,
    find_partners,
    governing_metric,
    link_partner,
    partner_matcher,
    product_of,
)
from tradewh.claims.lists import listed_partners
from tradewh.claims.model import Claim
from tradewh.claims.periods import (
    MONTHS,
    Period,
    PeriodMention,
    find_periods,
    period_matcher,
    previous,
    shift,
)
from tradewh.claims.qualifiers import is_revised, precision_words, rank_matcher, rank_spans
from tradewh.claims.reporters import foreign_sentences
from tradewh.claims.series import find_series, noun_phrase, series_of

# Qualifier words that may stand between a direction word and its figure ("rose by about 3%").
_SKIP_BACK = frozenset(
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
_LEVEL_LINKS = frozenset({"to", "at", "a", "an", "the", "record", "of", "new"})
# Words before a date that make it the base of a comparison ("from a year earlier").
_COMPARISON_WORDS = frozenset(
    {"from", "than", "compared", "versus", "vs.", "against", "above", "below", "ahead"}
)
_FRONT_OPENERS = frozenset({"in", "for", "during", "over", "through", "throughout"})


@dataclass(frozen=True)
class _Tools:
    nlp: Language
    figures: Matcher
    periods: Matcher
    partners: PhraseMatcher
    ranks: Matcher


@Language.component("line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    # A line break ends a sentence: a headline or dateline has no full stop, and without this
    # it runs into the lead and lends it its partner ("Trade gap with Japan widened ...").
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def _tools() -> _Tools:
    nlp = spacy.blank("en")
    # "$48.2bn", "34pc", "$3.39tn": the unit is its own token, as in "$650 m".
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[0-9])(?:bn|tn|trn|mn|pc)"]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    nlp.add_pipe("line_breaks")
    nlp.add_pipe("sentencizer")
    return _Tools(
        nlp,
        figure_matcher(nlp.vocab),
        period_matcher(nlp.vocab),
        partner_matcher(nlp),
        rank_matcher(nlp.vocab),
    )


@dataclass
class _Discourse:
    """What earlier sentences settled: the period the story is about (set by the lead and by
    fronted phrases like "In December,") and the latest period of each frequency, for "the
    quarter" or "for the year"."""

    reference: Period | None = None
    reference_words: str | None = None
    latest: dict[str, Period] = field(default_factory=dict)
    # A span set for the paragraph only ("Through the first nine months of 1996, ..."; "Over
    # the past decade, ..."): the period of figures there, not of the story.
    paragraph: Period | None = None
    paragraph_set: bool = False
    paragraph_words: str | None = None
    # The series of the story's first figure: a bare "the deficit" later is about it too.
    topic_series: str | None = None
    # The measure of the latest figure, for "June's figure was revised to ...".
    last: tuple[str, int] | None = None

    # The story periods named so far: a period carried over is sure only while there is one.
    seen: set[Period] = field(default_factory=set)

    def set_reference(self, period: Period, words: str) -> None:
        self.reference, self.reference_words = period, words
        self.seen.add(period)

    def current(self) -> Period | None:
        return self.paragraph if self.paragraph_set else self.reference

    def current_words(self) -> str | None:
        return self.paragraph_words if self.paragraph_set else self.reference_words

    def new_paragraph(self) -> None:
        self.paragraph, self.paragraph_set, self.paragraph_words = None, False, None


@dataclass(frozen=True)
class _Read:
    """A figure read as a claim, before its period is known."""

    figure: Figure
    kind: str
    metric: Metric
    clause: Span
    share_of: Metric | None = None


def extract_claims(text: str, published: date | None) -> list[Claim]:
    """Every trade figure `text` quotes, in text order; periods resolved against `published`
    (None: a month or "last year" without a year stays unresolved)."""
    tools = _tools()
    # Read with wrapped lines joined (same length: offsets are offsets into `text`).
    doc = tools.nlp(unwrap(text))
    doc.user_data["text"] = text
    figures = find_figures(doc, tools.figures)
    mentions = find_periods(doc, tools.periods, published)
    partners = find_partners(doc, tools.partners)
    metrics = find_metrics(doc)
    ranks = rank_spans(doc, tools.ranks)
    lead = _lead_period(doc, mentions)
    discourse = _Discourse()
    if lead is not None and lead.period is not None:
        discourse.set_reference(lead.period, doc[lead.start : lead.end].text)
    claims: list[Claim] = []
    foreign = foreign_sentences(doc, partners)
    for sentence in doc.sents:
        if _starts_paragraph(doc, sentence):
            discourse.new_paragraph()
        in_sentence = [f for f in figures if sentence.start <= f.start < sentence.end]
        reads = [
            read
            for f in in_sentence
            if sentence.start not in foreign
            and (read := _read(doc, f, in_sentence, sentence, metrics, discourse.last)) is not None
        ]
        periods = [m for m in mentions if sentence.start <= m.start < sentence.end]
        period_words: dict[Figure, str] = {}
        resolved, own_first = _periods(doc, reads, in_sentence, periods, discourse, period_words)
        earlier = None
        listed = listed_partners(doc, sentence, [r.figure for r in reads], partners)
        for read in reads:
            claim = _claim(
                doc,
                read,
                sentence,
                partners,
                in_sentence,
                ranks,
                resolved,
                earlier or discourse.topic_series if read.metric.metric == "balance" else earlier,
                listed,
                period_words.get(read.figure),
                len(discourse.seen) <= 1 and not discourse.paragraph_set,
            )
            if claim is not None:
                claims.append(claim)
                earlier = claim.series
                if claim.kind != "share" and claim.metric in ("balance", "exports", "imports"):
                    discourse.last = (read.metric.metric, read.metric.sign)
                if discourse.topic_series is None:
                    discourse.topic_series = claim.series
        about_trade = any(sentence.start <= m.index < sentence.end for m in metrics)
        _advance(doc, sentence, periods, own_first, resolved, discourse, about_trade)
    return claims


def _lead_period(doc: Doc, mentions: list[PeriodMention]) -> PeriodMention | None:
    """The period the story opens with: the first date in its first three sentences (a
    headline may have none) that is neither a ranking's bound nor a comparison base."""
    sentences = list(doc.sents)[:3]
    limit = sentences[-1].end if sentences else 0
    return next(
        (
            m
            for m in mentions
            if m.start < limit
            and m.kind == "absolute"
            and m.period is not None
            and not _is_comparison(doc, m)
        ),
        None,
    )


def _starts_paragraph(doc: Doc, sentence: Span) -> bool:
    before = doc.text[max(0, sentence.start_char - 2) : sentence.start_char]
    return sentence.start == 0 or "\n\n" in before or sentence[0].text.startswith("\n\n")


def _clauses(doc: Doc, sentence: Span) -> list[Span]:
    cuts = [_first_word(sentence)]
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


def _main_part(doc: Doc, sentence: Span, clause: Span) -> Span:
    """The sentence without a subordinate clause the figure is not in ("Even as the gap with
    China narrowed, imports rose ..." -> "imports rose ...")."""
    clauses = _clauses(doc, sentence)
    first = doc[_first_word(sentence)].lower_
    if (
        len(clauses) > 1
        and clause.start > clauses[0].start
        and (first in lx.SUBORDINATORS or first == "even")
    ):
        return doc[clauses[1].start : sentence.end]
    return sentence


def _first_word(sentence: Span) -> int:
    """Sentences after a paragraph break start with the break's whitespace token."""
    return next((t.i for t in sentence if not t.is_space), sentence.start)


def _clause_of(doc: Doc, sentence: Span, index: int) -> Span:
    return next(c for c in _clauses(doc, sentence) if c.start <= index < c.end)


def _read(
    doc: Doc,
    figure: Figure,
    others: list[Figure],
    sentence: Span,
    metrics: list[Metric],
    last: tuple[str, int] | None,
) -> _Read | None:
    clause = _clause_of(doc, sentence, figure.start)
    if _left_out(doc, figure, others, sentence, clause):
        return None
    exceeded = _exceeded(doc, figure, clause)
    if exceeded is not None:
        metrics = [*metrics, exceeded]
    elif last is not None and not any(sentence.start <= m.index < sentence.end for m in metrics):
        anaphor = _anaphor(doc, sentence, figure)
        if anaphor is not None:
            metrics = [*metrics, Metric(anaphor, last[0], last[1], False)]
    gdp = _share_of_gdp(doc, figure, others, sentence)
    if gdp is not None:
        part = governing_metric(doc, figure.start, figure.start, metrics, clause, sentence)
        if part is None or _blocked(doc, part, clause):
            return None
        return _Read(figure, "share", part, clause, gdp)
    share_metric = _share_of(doc, figure, metrics, clause)
    if share_metric is None and _of_the_total(doc, figure, clause):
        # "accounted for more than half of the total": a share of the measure in play
        share_metric = governing_metric(doc, figure.start, figure.start, metrics, clause, sentence)
    if share_metric is not None:
        # The part is what the clause says before the share: "The Japanese deficit made up
        # a third of the gap"; without one ("Japan accounted for 40 percent of the deficit")
        # it is the same measure as the whole.
        part = governing_metric(doc, figure.start, figure.start, metrics, clause, clause)
        part = part if part is not None and part.index < figure.start else share_metric
        if _blocked(doc, share_metric, clause) or _blocked(doc, part, clause):
            return None
        return _Read(figure, "share", part, clause, share_metric)
    direction = _direction(doc, figure, clause)
    if figure.kind != "money" and direction is None:
        return None  # a bare percentage or fraction: a tariff rate, a poll, ...
    metric = governing_metric(doc, figure.start, figure.end, metrics, clause, sentence)
    if metric is not None and _total_trade(doc, figure, clause):
        # Exports and imports together: recorded as total trade, which the release does not
        # print as such (marts.claim_check: no_official_figure).
        return _Read(figure, "level", Metric(metric.index, "trade", 1, False), clause)
    if (
        metric is None
        or _blocked(doc, metric, clause)
        or _about_other_things(doc, figure, metric, clause)
    ):
        return None
    return _Read(figure, "change" if direction else "level", metric, clause)


_EXCEED = frozenset({"exceeded", "outpaced", "outstripped", "topped", "surpassed"})
_ANAPHORS = frozenset({"figure", "reading", "number", "tally"})


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
    first = _first_word(sentence)
    for i in range(first, min(figure.start, first + 4)):
        if doc[i].lower_ in _ANAPHORS:
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
            and (_direction(doc, first, _clause_of(doc, sentence, first.start)) is None)
        ):
            return True
    return False


_GDP = ("gdp", "gross domestic product", "economic output", "the economy")


def _share_of_gdp(doc: Doc, figure: Figure, others: list[Figure], sentence: Span) -> Metric | None:
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


def _direction(doc: Doc, figure: Figure, clause: Span) -> str | None:
    """up or down when a change word governs the figure ('rose 3%', 'widened by $1.2 billion',
    '9.7 percent larger', 'a $2.7 billion decline'); None for a level ('rose to $X')."""
    i = figure.start - 1
    if i >= clause.start and doc[i].lower_ == "or":
        # "increased $4.1 billion, or 10.4 percent": the same change in other units
        previous = _figure_ending_at(doc, i - 1 if doc[i - 1].text != "," else i - 2)
        if previous is not None and previous.start >= clause.start:
            return _direction(doc, previous, clause)
    while i >= clause.start and (doc[i].lower_ in _SKIP_BACK or doc[i].lower_.endswith("ly")):
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


def _periods(
    doc: Doc,
    reads: list[_Read],
    figures: list[Figure],
    mentions: list[PeriodMention],
    discourse: _Discourse,
    evidence: dict[Figure, str],
) -> tuple[dict[Figure, tuple[Period | None, Period | None]], PeriodMention | None]:
    """Each read figure's period and, for a change, the period it is compared with; and the
    period words of the first level, if any. `evidence` gets the words each period is read
    from ("(carried over) in March" when they are in an earlier sentence).

    A period written right after a figure in its clause is its own ("$12.3 billion in March");
    else the nearest one before it that no other level took; else the paragraph's period. A
    change takes its own period if written right after it, else its level's ("rose 3% to $12.3
    billion"). Dates that bound a ranking ("since 2008") and comparison bases ("from a year
    earlier", "compared to September 2015") are never a figure's own period."""
    usable = [m for m in mentions if m.kind != "bound"]
    # A vague span is a figure's period only when it fronts the sentence ("Over the past five
    # years the deficit grew to ..."), not in an aside ("for the first time in two decades").
    own_periods = [
        m for m in usable if not _is_comparison(doc, m) and (m.kind != "vague" or _fronts(doc, m))
    ]

    def after(figure: Figure, clause: Span) -> PeriodMention | None:
        limit = min((f.start for f in figures if f.start > figure.start), default=len(doc))
        limit = min(limit, clause.end)
        return next(
            (
                m
                for m in own_periods
                if figure.end <= m.start < limit
                and not _between(doc, figure, m) & lx.FROM_WORDS
                and not _possessive(doc, m)
            ),
            None,
        )

    written = {r.figure: after(r.figure, r.clause) for r in reads}
    own: dict[Figure, PeriodMention | None] = dict(written)
    claimed = {id(m) for r in reads if r.kind == "level" and (m := own[r.figure]) is not None}
    for r in reads:
        if own[r.figure] is None:
            own[r.figure] = next(
                (
                    m
                    for m in reversed(own_periods)
                    if m.end <= r.figure.start and id(m) not in claimed
                ),
                None,
            )

    def words(mention: PeriodMention | None, fallback: str | None) -> str:
        if mention is not None:
            return doc[mention.start : mention.end].text
        return fallback or "(carried over) none"

    base = discourse.current()
    carried = f"(carried over) {discourse.current_words()}"
    base_words = carried
    result: dict[Figure, tuple[Period | None, Period | None]] = {}
    for r in reads:
        if r.kind == "change":
            continue
        period = _resolve(own[r.figure], base, discourse)
        result[r.figure] = (period, None)
        evidence[r.figure] = words(own[r.figure], base_words)
        if r is reads[0] or base is None:
            base = period or base
            base_words = evidence[r.figure]
    for k, r in enumerate(reads):
        # "rose to $5.4 billion from $4.8 billion": the level it rose from, a period earlier
        if r.kind != "level" or written[r.figure] is not None or r.figure.start == 0:
            continue
        if doc[r.figure.start - 1].lower_ != "from":
            continue
        earlier = [q for q in reads[:k] if q.kind == "level" and q.clause.start == r.clause.start]
        revised = any(doc[i].lower_ == "revised" for i in range(r.clause.start, r.figure.start))
        if revised:
            # "a September deficit that was revised from $41.9 billion to $42.8 billion": the
            # month the revision is of, not a period before
            dated = [m for m in usable if r.clause.start <= m.start and m.end <= r.figure.start]
            if dated:
                result[r.figure] = (_resolve(dated[-1], base, discourse), None)
                evidence[r.figure] = doc[dated[-1].start : dated[-1].end].text
            continue
        if earlier and (level_period := result[earlier[-1].figure][0]) is not None:
            result[r.figure] = (previous(level_period), None)
            evidence[r.figure] = f"the period before {evidence[earlier[-1].figure]}"
    for k, r in enumerate(reads):
        # "revised from $41.9 billion to $42.8 billion": the new print is of the same period
        if r.kind != "level" or written[r.figure] is not None or k == 0:
            continue
        q = reads[k - 1]
        between = {doc[i].lower_ for i in range(q.figure.end, r.figure.start)}
        if (
            q.kind == "level"
            and between == {"to"}
            and doc[q.figure.start - 1].lower_ == "from"
            and any(doc[i].lower_ == "revised" for i in range(r.clause.start, q.figure.start))
        ):
            result[r.figure] = result[q.figure]
            evidence[r.figure] = evidence[q.figure]
    for r in reads:
        if r.kind != "change":
            continue
        level = _level_of(doc, r, reads)
        if written[r.figure] is not None or level is None:
            period = _resolve(own[r.figure], discourse.current(), discourse)
            evidence[r.figure] = words(own[r.figure], carried)
        else:
            period = result[level.figure][0]
            evidence[r.figure] = evidence[level.figure]
        compared = _compared(doc, r.figure, figures, usable, period, discourse)
        result[r.figure] = (period, compared)
    for r in reads:
        period, compared = result[r.figure]
        if period is not None and _annual_rate(doc, r.figure, r.clause):
            result[r.figure] = (Period(period.start, period.frequency, "annualized"), compared)
            evidence[r.figure] = f"annual rate, {evidence[r.figure]}"
    first_level = next((r for r in reads if r.kind == "level"), None)
    return result, own[first_level.figure] if first_level else None


def _compared_level(
    doc: Doc,
    resolved: dict[Figure, tuple[Period | None, Period | None]],
    mention: PeriodMention,
) -> bool:
    """'The 1995 shortfall compared with $106.2 billion in 1994': the level dated by the
    mention is a comparison base, which does not move the story to its period."""
    figure = max((f for f in resolved if f.end <= mention.start), default=None, key=lambda f: f.end)
    if figure is None:
        return False
    words = {doc[i].lower_ for i in range(max(0, figure.start - 2), figure.start)}
    return (
        bool(words & _COMPARISON_WORDS)
        or "with" in words
        and "compared" in {doc[i].lower_ for i in range(max(0, figure.start - 3), figure.start)}
    )


def _possessive(doc: Doc, mention: PeriodMention) -> bool:
    return mention.end < len(doc) and doc[mention.end].lower_ == "'s"


def _fronts(doc: Doc, mention: PeriodMention) -> bool:
    first = _first_word(doc[mention.start].sent)
    return doc[first].lower_ in _FRONT_OPENERS and mention.start - first <= 3


def _is_comparison(doc: Doc, mention: PeriodMention) -> bool:
    """'from a year earlier', 'compared to September 2015', 'than in 2004': a base. A
    possessive dates the figure it owns ("than February's revised $6.8 billion")."""
    if mention.end < len(doc) and doc[mention.end].lower_ == "'s":
        return False
    if mention.kind == "ytd":
        return False  # "from January through May" is the span itself
    words = {doc[i].lower_ for i in range(max(0, mention.start - 2), mention.start)}
    return bool(words & _COMPARISON_WORDS)


def _annual_rate(doc: Doc, figure: Figure, clause: Span) -> bool:
    """'running at an annual rate of $423 billion', 'an annualized $1.2 trillion'."""
    words = [doc[i].lower_ for i in range(max(clause.start, figure.start - 5), figure.start)]
    text = " ".join(words)
    return "annual rate" in text or "annualized" in words or "annual pace" in text


def _resolve(
    mention: PeriodMention | None, base: Period | None, discourse: _Discourse
) -> Period | None:
    if mention is None:
        return base
    if mention.kind == "absolute":
        return mention.period
    if mention.kind == "relative":
        return shift(base, mention.shift_months) if base else None
    if mention.kind == "anaphoric":
        frequency = {"quarter": "Q", "year": "A", "month": "M"}[mention.anaphor]
        found = discourse.latest.get(frequency)
        if found is None and frequency == "A" and discourse.reference is not None:
            return Period(date(discourse.reference.start.year, 1, 1), "A")
        return found or discourse.reference
    if mention.kind == "ytd":
        return _year_to_date(mention, discourse)
    return None  # vague: "the past decade"


def _year_to_date(mention: PeriodMention, discourse: _Discourse) -> Period | None:
    """'the first nine months of 1996' -> ytd to 1996-09; without a year, the year of the
    story's month; 'year to date' ends with the story's month."""
    story = discourse.reference
    if mention.months == 0:
        if story is None or story.frequency != "M":
            return None
        return Period(story.start, "M", "ytd")
    year = mention.year or (story.start.year if story is not None else mention.default_year)
    if year is None:
        return None
    return Period(date(year, mention.months, 1), "M", "ytd")


def _level_of(doc: Doc, change: _Read, reads: list[_Read]) -> _Read | None:
    levels = [r for r in reads if r.kind == "level"]
    for level in levels:
        between = [doc[i].lower_ for i in range(change.figure.end, level.figure.start)]
        if level.figure.start >= change.figure.end and all(
            w in _LEVEL_LINKS or w in _SKIP_BACK for w in between
        ):
            return level
    before = [
        r
        for r in levels
        if r.figure.end <= change.figure.start and r.clause.start == change.clause.start
    ]
    if before:
        return before[-1]
    # "decreased $10.9 billion, or 1.7 percent, in 2019 to $616.8 billion"
    after = [
        r
        for r in levels
        if r.figure.start >= change.figure.end
        and r.clause.start == change.clause.start
        and r.metric.index == change.metric.index
        and not {doc[i].lower_ for i in range(change.figure.end, r.figure.start)} & lx.FROM_WORDS
    ]
    return after[0] if after else None


def _compared(
    doc: Doc,
    figure: Figure,
    figures: list[Figure],
    mentions: list[PeriodMention],
    period: Period | None,
    discourse: _Discourse,
) -> Period | None:
    if period is None:
        return None
    limit = min((f.start for f in figures if f.start > figure.start), default=len(doc))
    for m in mentions:
        if figure.end <= m.start < limit and _between(doc, figure, m) & lx.FROM_WORDS:
            return _resolve(m, period, discourse)
    return previous(period)


def _between(doc: Doc, figure: Figure, mention: PeriodMention) -> set[str]:
    return {doc[i].lower_ for i in range(figure.end, mention.start)}


def _advance(
    doc: Doc,
    sentence: Span,
    mentions: list[PeriodMention],
    own_first: PeriodMention | None,
    resolved: dict[Figure, tuple[Period | None, Period | None]],
    discourse: _Discourse,
    about_trade: bool,
) -> None:
    for period, _ in resolved.values():
        if period is not None and not period.kind:
            discourse.latest[period.frequency] = period
    # The first figure of a sentence dated in so many words moves the story on ("The 1994
    # deficit with Japan ..."), unless it is a revision or a possessive aside ("December's
    # shortfall was revised"). A year-to-date span holds only for its paragraph.
    revision = any(t.lower_ == "revised" for t in sentence)
    if (
        own_first is not None
        and own_first.kind == "absolute"
        and not revision
        and not _fronts(doc, own_first)
        and not _compared_level(doc, resolved, own_first)
    ):
        possessive = own_first.end < len(doc) and doc[own_first.end].lower_ == "'s"
        if not possessive and own_first.period is not None:
            discourse.set_reference(own_first.period, doc[own_first.start : own_first.end].text)
    if not resolved and about_trade and not revision:
        # "The US trade gap grew in May to its widest level since 2008": no figure, but the
        # month the story is about.
        dated = next(
            (
                m
                for m in mentions
                if m.kind == "absolute" and m.period and not _is_comparison(doc, m)
            ),
            None,
        )
        if dated is not None and dated.period is not None and dated.period.frequency == "M":
            discourse.set_reference(dated.period, doc[dated.start : dated.end].text)
    first = _first_word(sentence)
    for m in mentions:
        opener = (doc[first].lower_ in _FRONT_OPENERS and m.start - first <= 2) or (
            m.start == first and m.kind == "ytd"
        )
        if not opener:
            continue
        if m.kind == "absolute" and m.period is not None and discourse.reference is None:
            discourse.set_reference(m.period, doc[m.start : m.end].text)
        if m.kind in ("absolute", "vague", "ytd"):
            discourse.paragraph = _resolve(m, discourse.reference, discourse)
            discourse.paragraph_set = True
            discourse.paragraph_words = doc[m.start : m.end].text
        break
    if own_first is not None and own_first.kind == "ytd":
        discourse.paragraph = _resolve(own_first, discourse.reference, discourse)
        discourse.paragraph_set = True
        discourse.paragraph_words = doc[own_first.start : own_first.end].text


def _claim(
    doc: Doc,
    read: _Read,
    sentence: Span,
    partners,
    figures: list[Figure],
    ranks: list[Span],
    resolved: dict[Figure, tuple[Period | None, Period | None]],
    earlier: str | None,
    listed: dict[Figure, tuple[PartnerMention, str]],
    period_words: str | None,
    settled: bool,
) -> Claim | None:
    figure, metric = read.figure, read.metric
    series, series_words = series_of(doc, metric, figure.start, read.clause, sentence, earlier)
    if metric.metric == "trade":
        series, series_words = "total_trade", "exports and imports combined"
    uncertain: list[str] = []
    if figure in listed:
        mention, how = listed[figure]
        link = PartnerLink(mention.code, doc[mention.start : mention.end].text)
        if how == "respectively":
            uncertain.append("partner paired by list order (respectively)")
    else:
        scope = _main_part(doc, sentence, read.clause)
        link = link_partner(doc, figure.start, metric, read.clause, scope, partners)
    if link.skip:
        return None
    name = metric.metric
    if link.flipped and name != "balance":
        name = {"exports": "imports", "imports": "exports"}[name]
    period, compared = resolved.get(figure, (None, None))
    if period_words and period_words.startswith("(carried over)") and not settled:
        # Sure while the story has named one period; after it has named several, the one
        # carried over may not be the figure's.
        uncertain.append("period carried over from an earlier sentence")
    if period is not None and period.kind == "annualized":
        uncertain.append("an annual rate, not a period's figure")
    if metric.index < sentence.start or doc[metric.index].lower_ in _ANAPHORS:
        uncertain.append("measure taken from the figure before")
    lo, hi = noun_phrase(doc, metric, read.clause)
    metric_words = doc[lo:hi].text if lo <= metric.index < hi else doc[metric.index].text
    if series_words and series_words not in metric_words:
        metric_words = f"{metric_words} ({series_words})"
    if link.code == "-":
        partner_words = link.name or "(no partner named: all countries)"
    elif link.code is None:
        partner_words = "(unclear: several partners)"
    else:
        partner_words = link.name
    qualifiers = set(precision_words(doc, figure))
    if read.kind == "level":
        qualifiers |= _ranks_of(doc, figure, read.clause, figures, ranks)
        if is_revised(doc, figure, sentence, figures):
            qualifiers.add("revised")
    value = rounding = percent = change_musd = change_percent = None
    direction = share_of = None
    if read.kind == "level":
        sign = metric.sign * (-1 if link.flipped else 1) if name == "balance" else 1
        value, rounding = figure.value * sign, figure.rounding
    elif read.kind == "share":
        percent, share_of = figure.value, read.share_of.metric if read.share_of else None
    else:
        direction = _direction(doc, figure, read.clause)
        if figure.kind == "money":
            change_musd, rounding = figure.value, figure.rounding
        else:
            change_percent = figure.value
    last = doc[figure.end - 1]
    start, end = doc[figure.start].idx, last.idx + len(last)
    original = doc.user_data["text"]
    return Claim(
        start_char=start,
        end_char=end,
        sentence=original[sentence.start_char : sentence.end_char].strip(),
        quoted_text=original[start:end],
        kind=read.kind,
        value_musd=_money(value),
        rounding_musd=_money(rounding),
        percent=percent,
        metric=name,
        product=product_of(doc, metric, read.clause)
        or (product_of(doc, read.share_of, read.clause) if read.share_of else None),
        partner_code=link.code,
        partner_name=link.name,
        period=period.start if period else None,
        frequency=period.frequency if period else None,
        period_kind=period.period_kind if period else None,
        series=series,
        change_direction=direction,
        change_musd=_money(change_musd),
        change_percent=change_percent,
        compared_period=compared.start if compared else None,
        share_of=share_of,
        qualifiers=tuple(sorted(qualifiers)),
        rounding_percent=figure.rounding if figure.kind == "percent" else None,
        period_words=period_words if period is not None else None,
        partner_words=partner_words,
        metric_words=metric_words,
        uncertain=tuple(uncertain),
    )


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.000001"))


def _ranks_of(
    doc: Doc, figure: Figure, clause: Span, figures: list[Figure], ranks: list[Span]
) -> set[str]:
    """Ranking words go to the nearest money figure of their clause; a bare 'record' only to
    one within a few words ('a record $2.9 billion')."""
    found = set()
    money = [f for f in figures if f.kind == "money" and clause.start <= f.start < clause.end]
    for span in ranks:
        if not clause.start <= span.start < clause.end or not money:
            continue
        nearest = min(money, key=lambda f: min(abs(span.start - f.end), abs(f.start - span.end)))
        distance = min(abs(span.start - figure.end), abs(figure.start - span.end))
        reach = 3 if span.label_ == "record" and len(span) == 1 else 8
        if nearest is figure and distance <= reach:
            found.add(span.label_)
    return found
