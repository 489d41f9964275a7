"""Period expressions ("in March", "February's", "last year", "the first quarter of 1995",
"a year earlier") and their resolution against the publication date. What cannot be resolved
stays None: a month without a publication date, "the past decade", "the first nine months"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans
from spacy.vocab import Vocab

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan."),
            ("February", "Feb."),
            ("March", "Mar."),
            ("April", "Apr."),
            ("May",),
            ("June", "Jun."),
            ("July", "Jul."),
            ("August", "Aug."),
            ("September", "Sept.", "Sep."),
            ("October", "Oct."),
            ("November", "Nov."),
            ("December", "Dec."),
        ],
        start=1,
    )
    for name in names
}
QUARTERS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
# Years before the word mean a bound, not the period of a figure ("the largest since 1987").
_YEAR_BLOCKERS = {"since", "by", "until", "till", "before", "after", "year", "from", "through"}


@dataclass(frozen=True)
class Period:
    start: date
    frequency: str  # M, Q or A


@dataclass(frozen=True)
class PeriodMention:
    """A period expression: tokens [start, end); `period` when absolute, `shift` (months
    back from the figure's own period) when relative, `kind` says which (absolute, relative,
    anaphoric = "the quarter", "the year": the period already in play; vague = a span the
    figure cannot be checked against)."""

    start: int
    end: int
    kind: str
    period: Period | None = None
    shift_months: int = 0
    anaphor: str = ""


def period_matcher(vocab: Vocab) -> Matcher:
    matcher = Matcher(vocab)
    year = {"SHAPE": "dddd"}
    matcher.add("month", [[{"ORTH": {"IN": list(MONTHS)}}, {**year, "OP": "?"}]])
    matcher.add("month_of_year", [[{"ORTH": {"IN": list(MONTHS)}}, {"LOWER": "of"}, year]])
    matcher.add("year", [[year]])
    matcher.add(
        "quarter",
        [
            [
                {"LOWER": "the"},
                {"LOWER": {"IN": list(QUARTERS)}},
                {"LOWER": "quarter"},
                {"LOWER": "of", "OP": "?"},
                {**year, "OP": "?"},
            ]
        ],
    )
    matcher.add("last_year", [[{"LOWER": "last"}, {"LOWER": "year"}]])
    matcher.add("this_year", [[{"LOWER": "this"}, {"LOWER": "year"}]])
    matcher.add("last_month", [[{"LOWER": "last"}, {"LOWER": "month"}]])
    year_back = [
        [
            {"LOWER": {"IN": ["a", "one"]}},
            {"LOWER": "year"},
            {"LOWER": {"IN": ["earlier", "ago", "before", "prior"]}},
        ],
        [{"LOWER": "the"}, {"LOWER": {"IN": ["previous", "prior"]}}, {"LOWER": "year"}],
        [
            {"LOWER": "the"},
            {"LOWER": "same"},
            {"LOWER": {"IN": ["month", "period", "quarter"]}},
            {"LOWER": {"IN": ["a", "one", "last"]}},
            {"LOWER": "year", "OP": "?"},
            {"LOWER": {"IN": ["earlier", "ago", "before"]}, "OP": "?"},
        ],
    ]
    matcher.add("year_back", year_back)
    matcher.add(
        "month_back",
        [
            [
                {"LOWER": {"IN": ["a", "one"]}},
                {"LOWER": "month"},
                {"LOWER": {"IN": ["earlier", "ago", "before"]}},
            ],
            [
                {"LOWER": "the"},
                {"LOWER": {"IN": ["previous", "prior", "preceding"]}},
                {"LOWER": "month"},
            ],
            [{"LOWER": "the"}, {"LOWER": "month"}, {"LOWER": "before"}],
        ],
    )
    matcher.add("anaphoric", [[{"LOWER": "the"}, {"LOWER": {"IN": ["quarter", "year", "month"]}}]])
    matcher.add(
        "vague",
        [
            [{"LOWER": {"IN": ["decade", "decades"]}}],
            [
                {"LOWER": "first"},
                {"LIKE_NUM": True},
                {"LOWER": "months"},
                {"LOWER": "of", "OP": "?"},
                {"LOWER": "the", "OP": "?"},
                {"LOWER": "year", "OP": "?"},
            ],
            [{"LOWER": "first"}, {"LOWER": {"IN": ["half", "months"]}}],
            [
                {"LOWER": {"IN": ["past", "last", "recent"]}},
                {"LIKE_NUM": True, "OP": "?"},
                {"LOWER": {"IN": ["years", "months", "decades"]}},
            ],
            [{"LOWER": "so"}, {"LOWER": "far"}, {"LOWER": "this"}, {"LOWER": "year"}],
            [
                {"LOWER": "year"},
                {"ORTH": "-", "OP": "?"},
                {"LOWER": "to"},
                {"ORTH": "-", "OP": "?"},
                {"LOWER": "date"},
            ],
        ],
    )
    return matcher


def month_period(month: int, year: int | None, published: date | None) -> Period | None:
    """A month named without a year is the latest such month before the publication month
    (a trade release reports a month that has ended)."""
    if year is None:
        if published is None:
            return None
        year = published.year if month < published.month else published.year - 1
    return Period(date(year, month, 1), "M")


def quarter_period(quarter: int, year: int | None, published: date | None) -> Period | None:
    if year is None:
        if published is None:
            return None
        year = published.year if 3 * quarter < published.month else published.year - 1
    return Period(date(year, 3 * quarter - 2, 1), "Q")


def shift(period: Period, months: int) -> Period:
    """The period `months` back (a year back for A and Q is 12 months)."""
    if period.frequency == "A":
        return Period(date(period.start.year - months // 12, 1, 1), "A")
    if period.frequency == "Q" and months == 1:
        months = 3
    index = period.start.year * 12 + period.start.month - 1 - months
    return Period(date(index // 12, index % 12 + 1, 1), period.frequency)


def previous(period: Period) -> Period:
    """The period a change is measured from unless the text says otherwise."""
    return shift(period, 12 if period.frequency == "A" else 1)


def find_periods(doc: Doc, matcher: Matcher, published: date | None) -> list[PeriodMention]:
    mentions = []
    for span in filter_spans(matcher(doc, as_spans=True)):
        mention = _resolve(span, published)
        if mention is not None:
            mentions.append(mention)
    return mentions


def _year_of(span) -> int | None:
    return next((int(t.text) for t in span if t.shape_ == "dddd"), None)


def _resolve(span, published: date | None) -> PeriodMention | None:
    doc, label = span.doc, span.label_
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end] if span.end < len(doc) else None
    start, end = span.start, span.end
    if label in ("month", "month_of_year"):
        if after is not None and after.like_num and after.shape_ in ("d", "dd"):
            return None  # a day date ("Feb. 17", "until Dec. 15"), not a reporting period
        if span[0].text == "May" and (span.start == span.sent.start):
            return None  # sentence-initial "May" is as likely the verb
        return PeriodMention(
            start, end, "absolute", month_period(MONTHS[span[0].text], _year_of(span), published)
        )
    if label == "year":
        year = int(span.text)
        if not 1960 <= year <= 2100 or before in _YEAR_BLOCKERS:
            return None
        return PeriodMention(start, end, "absolute", Period(date(year, 1, 1), "A"))
    if label == "quarter":
        return PeriodMention(
            start,
            end,
            "absolute",
            quarter_period(QUARTERS[span[1].lower_], _year_of(span), published),
        )
    if label in ("last_year", "this_year"):
        if published is None:
            return PeriodMention(start, end, "absolute", None)
        back = 1 if label == "last_year" else 0
        return PeriodMention(start, end, "absolute", Period(date(published.year - back, 1, 1), "A"))
    if label == "last_month":
        if published is None:
            return PeriodMention(start, end, "absolute", None)
        return PeriodMention(
            start, end, "absolute", shift(Period(date(published.year, published.month, 1), "M"), 1)
        )
    if label == "year_back":
        return PeriodMention(start, end, "relative", shift_months=12)
    if label == "month_back":
        return PeriodMention(start, end, "relative", shift_months=1)
    if label == "anaphoric":
        return PeriodMention(start, end, label, anaphor=span[-1].lower_)
    return PeriodMention(start, end, label)
