"""Periods across a story: the period the story is about (set by its lead), the paragraph's,
how each sentence moves them on, and what a period mention means against them. The periods
of one sentence's figures are figure_periods.py's job."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span

from tradewh.claims.amounts import Figure
from tradewh.claims.clauses import first_word
from tradewh.claims.periods import Period, PeriodMention, shift

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
    # The partner (code, name) of the latest level or change, for a line's share of "that gap".
    last_partner: tuple[str, str | None] | None = None

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
            and not is_comparison(doc, m)
        ),
        None,
    )


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


def fronts(doc: Doc, mention: PeriodMention) -> bool:
    first = first_word(doc[mention.start].sent)
    return doc[first].lower_ in _FRONT_OPENERS and mention.start - first <= 3


def is_comparison(doc: Doc, mention: PeriodMention) -> bool:
    """'from a year earlier', 'compared to September 2015', 'than in 2004': a base. A
    possessive dates the figure it owns ("than February's revised $6.8 billion")."""
    if mention.end < len(doc) and doc[mention.end].lower_ == "'s":
        return False
    if mention.kind == "ytd":
        return False  # "from January through May" is the span itself
    words = {doc[i].lower_ for i in range(max(0, mention.start - 2), mention.start)}
    return bool(words & _COMPARISON_WORDS)


def resolve_mention(
    mention: PeriodMention | None, base: Period | None, discourse: Discourse
) -> Period | None:
    """The period a mention names, read against `base` (the period in play for the figure)
    and what the story has settled; no mention: `base`."""
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


def advance(
    doc: Doc,
    sentence: Span,
    mentions: list[PeriodMention],
    own_first: PeriodMention | None,
    resolved: dict[Figure, tuple[Period | None, Period | None]],
    discourse: Discourse,
    about_trade: bool,
) -> None:
    """How a sentence moves the story on: the latest period of each frequency, the period the
    story is about, and the paragraph's period."""
    _note_periods(resolved, discourse)
    # A revision ("December's shortfall was revised") looks back: it does not move the story.
    revision = any(t.lower_ == "revised" for t in sentence)
    if not revision:
        _story_from_figure(doc, own_first, resolved, discourse)
    if not resolved and about_trade and not revision:
        _story_from_sentence(doc, mentions, discourse)
    _paragraph_from_opener(doc, sentence, mentions, discourse)
    if own_first is not None and own_first.kind == "ytd":
        # A year-to-date span holds only for its paragraph.
        _set_paragraph(doc, own_first, discourse)


def _note_periods(
    resolved: dict[Figure, tuple[Period | None, Period | None]], discourse: Discourse
) -> None:
    for period, _ in resolved.values():
        if period is not None and not period.kind:
            discourse.latest[period.frequency] = period
        if period is not None:
            discourse.last_period = period


def _story_from_figure(
    doc: Doc,
    own_first: PeriodMention | None,
    resolved: dict[Figure, tuple[Period | None, Period | None]],
    discourse: Discourse,
) -> None:
    """The first figure of a sentence dated in so many words moves the story on ("The 1994
    deficit with Japan ..."), unless the date fronts the sentence (the paragraph's), dates a
    comparison base or is a possessive aside ("December's shortfall")."""
    if (
        own_first is None
        or own_first.kind != "absolute"
        or fronts(doc, own_first)
        or _compared_level(doc, resolved, own_first)
    ):
        return
    possessive = own_first.end < len(doc) and doc[own_first.end].lower_ == "'s"
    if not possessive and own_first.period is not None:
        discourse.set_reference(own_first.period, doc[own_first.start : own_first.end].text)


def _story_from_sentence(doc: Doc, mentions: list[PeriodMention], discourse: Discourse) -> None:
    """'The US trade gap grew in May to its widest level since 2008': no figure, but the
    month the story is about."""
    dated = next(
        (m for m in mentions if m.kind == "absolute" and m.period and not is_comparison(doc, m)),
        None,
    )
    if dated is not None and dated.period is not None and dated.period.frequency == "M":
        discourse.set_reference(dated.period, doc[dated.start : dated.end].text)


def _paragraph_from_opener(
    doc: Doc, sentence: Span, mentions: list[PeriodMention], discourse: Discourse
) -> None:
    """'In December, ...', 'Through the first nine months of 1996, ...': a period fronting
    the sentence is the paragraph's (and the story's, if it has none yet)."""
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
            _set_paragraph(doc, m, discourse)
        break


def _set_paragraph(doc: Doc, mention: PeriodMention, discourse: Discourse) -> None:
    discourse.paragraph = resolve_mention(mention, discourse.reference, discourse)
    discourse.paragraph_set = True
    discourse.paragraph_words = doc[mention.start : mention.end].text
