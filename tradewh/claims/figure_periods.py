"""The periods of one sentence's figures: each figure's own period, the one carried over from
the paragraph or the story when it names none, and the period a change is measured from."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from tradewh.claims import lexicon as lx
from tradewh.claims.amounts import Figure
from tradewh.claims.changes import SKIP_BACK
from tradewh.claims.discourse import Discourse, fronts, is_comparison, resolve_mention
from tradewh.claims.periods import Period, PeriodMention, previous
from tradewh.claims.reading import Read

_LEVEL_LINKS = frozenset({"to", "at", "a", "an", "the", "record", "of", "new"})

Resolved = dict[Figure, tuple[Period | None, Period | None]]


@dataclass
class _Dating:
    """One sentence being dated: what the steps of resolve_periods share."""

    doc: Doc
    reads: list[Read]
    discourse: Discourse
    usable: list[PeriodMention]  # the sentence's period mentions but a ranking's bounds
    written: dict[Figure, PeriodMention | None]  # a period written right after the figure
    own: dict[Figure, PeriodMention | None]  # that, else the nearest one before it
    evidence: dict[Figure, str]
    result: Resolved = field(default_factory=dict)


def resolve_periods(
    doc: Doc,
    reads: list[Read],
    figures: list[Figure],
    mentions: list[PeriodMention],
    discourse: Discourse,
    evidence: dict[Figure, str],
) -> tuple[Resolved, PeriodMention | None]:
    """Each read figure's period and, for a change, the period it is compared with; and the
    period words of the first level, if any. `evidence` gets the words each period is read
    from ("(carried over) in March" when they are in an earlier sentence).

    A period written right after a figure in its clause is its own ("$12.3 billion in March");
    else the nearest one before it that no other level took; else the paragraph's period. A
    change takes its own period if written right after it, else its level's ("rose 3% to $12.3
    billion"). Dates that bound a ranking ("since 2008") and comparison bases ("from a year
    earlier", "compared to September 2015") are never a figure's own period."""
    usable = [m for m in mentions if m.kind != "bound"]
    own_periods = _own_periods(doc, usable)
    written = {r.figure: _written_after(doc, r, figures, own_periods) for r in reads}
    own = _with_nearest_before(reads, written, own_periods)
    s = _Dating(doc, reads, discourse, usable, written, own, evidence)
    # Result order matters: advance() lets the last period of each frequency win.
    base = _date_levels(s)
    _date_levels_from(s, base)
    _date_revised_to(s)
    _date_changes(s, figures)
    _mark_annual_rates(s)
    first_level = next((r for r in reads if r.kind == "level"), None)
    return s.result, own[first_level.figure] if first_level else None


def _own_periods(doc: Doc, usable: list[PeriodMention]) -> list[PeriodMention]:
    # A vague span is a figure's period only when it fronts the sentence ("Over the past five
    # years the deficit grew to ..."), not in an aside ("for the first time in two decades").
    return [
        m for m in usable if not is_comparison(doc, m) and (m.kind != "vague" or fronts(doc, m))
    ]


def _written_after(
    doc: Doc, read: Read, figures: list[Figure], own_periods: list[PeriodMention]
) -> PeriodMention | None:
    """A period written after the figure, in its clause and before the next figure, that is
    not a comparison base ("from March") nor a possessive ("March's")."""
    figure = read.figure
    limit = min((f.start for f in figures if f.start > figure.start), default=len(doc))
    limit = min(limit, read.clause.end)
    return next(
        (
            m
            for m in own_periods
            if figure.end <= m.start < limit
            # "over a year earlier" compares; "over the first eight months" is the span
            and not _between(doc, figure, m)
            & (lx.FROM_WORDS - ({"over"} if m.kind == "ytd" else set()))
            and not _possessive(doc, m)
        ),
        None,
    )


def _with_nearest_before(
    reads: list[Read],
    written: dict[Figure, PeriodMention | None],
    own_periods: list[PeriodMention],
) -> dict[Figure, PeriodMention | None]:
    """Each figure's own period: the one written after it, else the nearest before it that no
    level has written after it."""
    own = dict(written)
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
    return own


def _words(doc: Doc, mention: PeriodMention | None, fallback: str | None) -> str:
    if mention is not None:
        return doc[mention.start : mention.end].text
    return fallback or "(carried over) none"


def _date_levels(s: _Dating) -> Period | None:
    """Levels and shares: their own period, else the one in play. The sentence's first figure
    (or the first dated one) is the base for the rest ("a year earlier"); it is returned."""
    base = s.discourse.current()
    base_words = f"(carried over) {s.discourse.current_words()}"
    for r in s.reads:
        if r.kind == "change":
            continue
        period = resolve_mention(s.own[r.figure], base, s.discourse)
        s.result[r.figure] = (period, None)
        s.evidence[r.figure] = _words(s.doc, s.own[r.figure], base_words)
        if r is s.reads[0] or base is None:
            base = period or base
            base_words = s.evidence[r.figure]
    return base


def _date_levels_from(s: _Dating, base: Period | None) -> None:
    """A level after "from" with no period written: the period before the level it moved to
    ("rose to $5.4 billion from $4.8 billion"), or the month a revision is of."""
    for k, r in enumerate(s.reads):
        if r.kind != "level" or s.written[r.figure] is not None or r.figure.start == 0:
            continue
        if s.doc[r.figure.start - 1].lower_ != "from":
            continue
        if _revised_before(s.doc, r.clause.start, r.figure.start):
            _date_revised_from(s, r, base)
        else:
            _date_period_before(s, k, r)


def _revised_before(doc: Doc, start: int, end: int) -> bool:
    return any(doc[i].lower_ == "revised" for i in range(start, end))


def _date_revised_from(s: _Dating, r: Read, base: Period | None) -> None:
    # "a September deficit that was revised from $41.9 billion to $42.8 billion": the month
    # the revision is of, not a period before
    dated = [m for m in s.usable if r.clause.start <= m.start and m.end <= r.figure.start]
    if dated:
        s.result[r.figure] = (resolve_mention(dated[-1], base, s.discourse), None)
        s.evidence[r.figure] = s.doc[dated[-1].start : dated[-1].end].text


def _date_period_before(s: _Dating, k: int, r: Read) -> None:
    earlier = [q for q in s.reads[:k] if q.kind == "level" and q.clause.start == r.clause.start]
    if earlier and (level_period := s.result[earlier[-1].figure][0]) is not None:
        s.result[r.figure] = (previous(level_period), None)
        s.evidence[r.figure] = f"the period before {s.evidence[earlier[-1].figure]}"


def _date_revised_to(s: _Dating) -> None:
    """'revised from $41.9 billion to $42.8 billion': the new print is of the same period."""
    for k, r in enumerate(s.reads):
        if r.kind != "level" or s.written[r.figure] is not None or k == 0:
            continue
        q = s.reads[k - 1]
        if _revised_from_to(s.doc, q, r):
            s.result[r.figure] = s.result[q.figure]
            s.evidence[r.figure] = s.evidence[q.figure]


def _revised_from_to(doc: Doc, q: Read, r: Read) -> bool:
    between = {doc[i].lower_ for i in range(q.figure.end, r.figure.start)}
    return (
        q.kind == "level"
        and between == {"to"}
        and doc[q.figure.start - 1].lower_ == "from"
        and _revised_before(doc, r.clause.start, q.figure.start)
    )


def _date_changes(s: _Dating, figures: list[Figure]) -> None:
    """A change: its own period if written after it, else its level's; and the period it is
    measured from."""
    carried = f"(carried over) {s.discourse.current_words()}"
    for r in s.reads:
        if r.kind != "change":
            continue
        level = _level_of(s.doc, r, s.reads)
        if s.written[r.figure] is not None or level is None:
            period = resolve_mention(s.own[r.figure], s.discourse.current(), s.discourse)
            s.evidence[r.figure] = _words(s.doc, s.own[r.figure], carried)
        else:
            period = s.result[level.figure][0]
            s.evidence[r.figure] = s.evidence[level.figure]
        compared = _compared(s.doc, r.figure, figures, s.usable, period, s.discourse)
        s.result[r.figure] = (period, compared)


def _mark_annual_rates(s: _Dating) -> None:
    for r in s.reads:
        period, compared = s.result[r.figure]
        if period is not None and _annual_rate(s.doc, r.figure, r.clause):
            s.result[r.figure] = (Period(period.start, period.frequency, "annualized"), compared)
            s.evidence[r.figure] = f"annual rate, {s.evidence[r.figure]}"


def _possessive(doc: Doc, mention: PeriodMention) -> bool:
    return mention.end < len(doc) and doc[mention.end].lower_ == "'s"


def _annual_rate(doc: Doc, figure: Figure, clause: Span) -> bool:
    """'running at an annual rate of $423 billion', 'an annualized $1.2 trillion'."""
    words = [doc[i].lower_ for i in range(max(clause.start, figure.start - 5), figure.start)]
    text = " ".join(words)
    return "annual rate" in text or "annualized" in words or "annual pace" in text


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
            return resolve_mention(m, period, discourse)
    return previous(period)


def _between(doc: Doc, figure: Figure, mention: PeriodMention) -> set[str]:
    end = mention.start
    if mention.kind == "ytd" and end > 0 and doc[end - 1].lower_ == "from":
        end -= 1  # "from January through August" is the span, not a comparison base
    return {doc[i].lower_ for i in range(figure.end, end)}
