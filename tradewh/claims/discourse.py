"""Periods across a story: each figure's own period, the one carried over from the paragraph
or the story when it names none, the period a change is measured from, and how each sentence
moves the story on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span

from tradewh.claims import lexicon as lx
from tradewh.claims.amounts import Figure
from tradewh.claims.changes import SKIP_BACK
from tradewh.claims.clauses import first_word
from tradewh.claims.periods import Period, PeriodMention, previous, shift
from tradewh.claims.reading import Read

_LEVEL_LINKS = frozenset({"to", "at", "a", "an", "the", "record", "of", "new"})
# Words before a date that make it the base of a comparison ("from a year earlier").
_COMPARISON_WORDS = frozenset(
    {"from", "than", "compared", "versus", "vs.", "against", "above", "below", "ahead"}
)
_FRONT_OPENERS = frozenset({"in", "for", "during", "over", "through", "throughout"})


@dataclass
class Discourse:
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
    # The period of the latest figure, of any kind, for "in the period".
    last_period: Period | None = None

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


def lead_period(doc: Doc, mentions: list[PeriodMention]) -> PeriodMention | None:
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


def resolve_periods(
    doc: Doc,
    reads: list[Read],
    figures: list[Figure],
    mentions: list[PeriodMention],
    discourse: Discourse,
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
    first = first_word(doc[mention.start].sent)
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
    mention: PeriodMention | None, base: Period | None, discourse: Discourse
) -> Period | None:
    if mention is None:
        return base
    if mention.kind == "absolute":
        return mention.period
    if mention.kind == "relative":
        return shift(base, mention.shift_months) if base else None
    if mention.kind == "anaphoric" and mention.anaphor == "period":
        return discourse.last_period  # "in the period": the span just quoted
    if mention.kind == "anaphoric":
        frequency = {"quarter": "Q", "year": "A", "month": "M"}[mention.anaphor]
        found = discourse.latest.get(frequency)
        if found is None and frequency == "A" and discourse.reference is not None:
            return Period(date(discourse.reference.start.year, 1, 1), "A")
        return found or discourse.reference
    if mention.kind == "ytd":
        return _year_to_date(mention, discourse)
    return None  # vague: "the past decade"


def _year_to_date(mention: PeriodMention, discourse: Discourse) -> Period | None:
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


def _level_of(doc: Doc, change: Read, reads: list[Read]) -> Read | None:
    levels = [r for r in reads if r.kind == "level"]
    for level in levels:
        between = [doc[i].lower_ for i in range(change.figure.end, level.figure.start)]
        if level.figure.start >= change.figure.end and all(
            w in _LEVEL_LINKS or w in SKIP_BACK for w in between
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
    discourse: Discourse,
) -> Period | None:
    if period is None:
        return None
    limit = min((f.start for f in figures if f.start > figure.start), default=len(doc))
    for m in mentions:
        if figure.end <= m.start < limit and _between(doc, figure, m) & lx.FROM_WORDS:
            return _resolve(m, period, discourse)
    return previous(period)


def _between(doc: Doc, figure: Figure, mention: PeriodMention) -> set[str]:
    end = mention.start
    if mention.kind == "ytd" and end > 0 and doc[end - 1].lower_ == "from":
        end -= 1  # "from January through August" is the span, not a comparison base
    return {doc[i].lower_ for i in range(figure.end, end)}


def advance(
    doc: Doc,
    sentence: Span,
    mentions: list[PeriodMention],
    own_first: PeriodMention | None,
    resolved: dict[Figure, tuple[Period | None, Period | None]],
    discourse: Discourse,
    about_trade: bool,
) -> None:
    for period, _ in resolved.values():
        if period is not None and not period.kind:
            discourse.latest[period.frequency] = period
        if period is not None:
            discourse.last_period = period
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
    first = first_word(sentence)
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
