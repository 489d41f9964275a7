"""Period expressions ("in March", "February's", "last year", "the first quarter of 1995",
"a year earlier", "the first nine months of 1996", "January through August") and their
resolution against the publication date. What cannot be resolved stays None: a month without a
publication date, "the past decade".

A date that bounds a ranking ("the widest since March 2008", "the record set in October") is
not the period of any figure: such mentions are kind "bound" and never taken."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
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
# A date after these (skipping "in", "late", ...) bounds a ranking: "the highest since
# November 2009", "the all-time high set in August", "not seen since 2008".
_BOUND_WORDS = {"since", "set", "seen", "until", "till", "before", "recorded", "reached"}
_BOUND_SKIP = {"in", "of", "late", "early", "mid", "the", "-"}
_COUNT_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11,
}  # fmt: skip
_KIND_OF_FREQUENCY = {"M": "month", "Q": "quarter", "A": "year"}
# A span "through <month>" after these does not start in January.
_SPAN_ENDS = {"months", "month", "weeks", "quarters", "quarter", "-"}


@dataclass(frozen=True)
class Period:
    start: date
    frequency: str  # M, Q or A
    # "" = as the frequency says (month, quarter, year); "ytd" = January through the month of
    # start; "annualized" = an annual rate over the month (or year to date) ending with start.
    kind: str = ""

    @property
    def period_kind(self) -> str:
        return self.kind or _KIND_OF_FREQUENCY[self.frequency]


@dataclass(frozen=True)
class PeriodMention:
    """A period expression: tokens [start, end); `period` when absolute, `shift` (months
    back from the figure's own period) when relative, `kind` says which (absolute, relative,
    anaphoric = "the quarter", "the year": the period already in play; vague = a span the
    figure cannot be checked against; bound = a date a ranking is measured from; ytd = the first
    `months` months of `year`, or of the year in play when None, or the year to date when
    months is 0)."""

    start: int
    end: int
    kind: str
    period: Period | None = None
    shift_months: int = 0
    anaphor: str = ""
    months: int = 0
    year: int | None = None
    default_year: int | None = None  # a ytd span's year from the publication date


def period_matcher(vocab: Vocab) -> Matcher:
    matcher = Matcher(vocab)
    year = {"SHAPE": "dddd"}
    month_name = {"ORTH": {"IN": list(MONTHS)}}
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
    count = {"LOWER": {"IN": [*_COUNT_WORDS, *(str(n) for n in range(2, 12))]}}
    of_year = [
        {"LOWER": "of", "OP": "?"},
        {"LOWER": {"IN": ["the", "this", "calendar"]}, "OP": "?"},
        {"LOWER": {"IN": ["year", "year's"]}, "OP": "?"},
        {**year, "OP": "?"},
    ]
    matcher.add(
        "ytd",
        [
            [{"LOWER": "first"}, count, {"LOWER": "months"}, *of_year],
            [{"LOWER": "first"}, {"LOWER": "half"}, *of_year],
            [{"LOWER": "the"}, count, {"ORTH": "-"}, {"LOWER": "month"}],
            [{"ORTH": "January"}, {"LOWER": {"IN": ["through", "to", "-"]}}, month_name, *of_year],
            [{"LOWER": "year"}, {"ORTH": "-", "OP": "?"}, {"LOWER": "to"}, {"ORTH": "-", "OP": "?"},
             {"LOWER": "date"}],
            [{"LOWER": "so"}, {"LOWER": "far"}, {"LOWER": "this"}, {"LOWER": "year"}],
            # "for the year through August", "the year to August", "the deficit through August"
            [{"LOWER": "year"}, {"LOWER": {"IN": ["through", "to", "thru"]}}, month_name,
             {**year, "OP": "?"}],
            [{"LOWER": {"IN": ["through", "thru"]}}, month_name, {**year, "OP": "?"}],
        ],
    )  # fmt: skip
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
        [{"LOWER": "the"}, {"LOWER": "year"}, {"LOWER": {"IN": ["before", "earlier"]}}],
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
    matcher.add(
        "quarter_back",
        [
            [
                {"LOWER": "the"},
                {"LOWER": {"IN": ["previous", "prior", "preceding"]}},
                {"LOWER": "quarter"},
            ]
        ],
    )
    matcher.add(
        "anaphoric",
        [
            [{"LOWER": "the"}, {"LOWER": {"IN": ["quarter", "year", "month", "period"]}}],
            [{"LOWER": "the"}, {"LOWER": "full"}, {"ORTH": "-", "OP": "?"}, {"LOWER": "year"}],
        ],
    )
    matcher.add(
        "vague",
        [
            [{"LOWER": {"IN": ["decade", "decades"]}}],
            [
                {"LOWER": {"IN": ["past", "last", "recent"]}},
                {"LIKE_NUM": True, "OP": "?"},
                {"LOWER": {"IN": ["years", "months", "decades"]}},
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
        return Period(date(period.start.year - months // 12, 1, 1), "A", period.kind)
    if period.frequency == "Q" and months == 1:
        months = 3
    if period.kind == "ytd":
        months = 12  # the same months of the year before
    index = period.start.year * 12 + period.start.month - 1 - months
    return Period(date(index // 12, index % 12 + 1, 1), period.frequency, period.kind)


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


def _is_bound(span) -> bool:
    doc = span.doc
    i = span.start - 1
    while i >= span.sent.start and doc[i].lower_ in _BOUND_SKIP:
        i -= 1
    return i >= span.sent.start and doc[i].lower_ in _BOUND_WORDS


def _ytd(span: Span, published: date | None) -> PeriodMention:
    words = [t.lower_ for t in span]
    year = _year_of(span)
    if words[0] == "january":
        months = MONTHS[span[2].text]
    elif words[0] == "year" and span[2].text in MONTHS:
        months = MONTHS[span[2].text]
    elif words[0] in ("through", "thru"):
        months = MONTHS[span[1].text]
    elif "half" in words:
        months = 6
    elif words[0] in ("year", "so"):
        months = 0
    else:
        number = next(w for w in words if w in _COUNT_WORDS or w.isdigit())
        months = _COUNT_WORDS.get(number) or int(number)
    default = None
    if published is not None:
        default = published.year if months < published.month else published.year - 1
    return PeriodMention(
        span.start, span.end, "ytd", months=months, year=year, default_year=default
    )


def _resolve(span: Span, published: date | None) -> PeriodMention | None:
    label = span.label_
    if label in _DATED and _is_bound(span):
        return PeriodMention(span.start, span.end, "bound")
    if label in _SHIFTS:
        return PeriodMention(span.start, span.end, "relative", shift_months=_SHIFTS[label])
    reader = _READERS.get(label)
    if reader is None:
        return PeriodMention(span.start, span.end, label)  # vague
    return reader(span, published)


def _after(span: Span) -> Token | None:
    return span.doc[span.end] if span.end < len(span.doc) else None


def _span_mention(span: Span, published: date | None) -> PeriodMention:
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if span[0].lower_ in ("through", "thru") and (
        before in _SPAN_ENDS or doc[span.start - 1].text in MONTHS
    ):
        # "the 12 months through August", "March through August": not from January
        return PeriodMention(span.start, span.end, "vague")
    return _ytd(span, published)


def _month_mention(span: Span, published: date | None) -> PeriodMention | None:
    after = _after(span)
    if after is not None and after.like_num and after.shape_ in ("d", "dd"):
        return None  # a day date ("Feb. 17", "until Dec. 15"), not a reporting period
    if span[0].text == "May" and (span.start == span.sent.start):
        return None  # sentence-initial "May" is as likely the verb
    period = month_period(MONTHS[span[0].text], _year_of(span), published)
    return PeriodMention(span.start, span.end, "absolute", period)


def _year_mention(span: Span, published: date | None) -> PeriodMention | None:
    doc, after, year = span.doc, _after(span), int(span.text)
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    possessive = after is not None and after.lower_ == "'s"
    if not 1960 <= year <= 2100 or (before in _YEAR_BLOCKERS and not possessive):
        return None
    if (after is not None and after.lower_ == "dollars") or before == "chained":
        return None  # "chained 2017 dollars": a price base, not a period
    if _day_date_before(span):
        return None  # "October 6, 2021": a day (a dateline, a release date), not the year
    return PeriodMention(span.start, span.end, "absolute", Period(date(year, 1, 1), "A"))


def _day_date_before(span: Span) -> bool:
    """'Oct. 6, 2021', 'October 6 2021': the year of a day date."""
    doc, i = span.doc, span.start - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1
    if i < 1 or not (doc[i].like_num and doc[i].shape_ in ("d", "dd")):
        return False
    month = doc[i - 1].text.rstrip(".")
    return month in MONTHS or month in _MONTH_ABBREVIATIONS


_MONTH_ABBREVIATIONS = frozenset(
    {"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
)


def _quarter_mention(span: Span, published: date | None) -> PeriodMention:
    period = quarter_period(QUARTERS[span[1].lower_], _year_of(span), published)
    return PeriodMention(span.start, span.end, "absolute", period)


def _calendar_year_mention(span: Span, published: date | None) -> PeriodMention:
    """'last year', 'this year': a year counted from the publication date."""
    if published is None:
        return PeriodMention(span.start, span.end, "absolute", None)
    back = 1 if span.label_ == "last_year" else 0
    period = Period(date(published.year - back, 1, 1), "A")
    return PeriodMention(span.start, span.end, "absolute", period)


def _last_month_mention(span: Span, published: date | None) -> PeriodMention:
    if published is None:
        return PeriodMention(span.start, span.end, "absolute", None)
    period = shift(Period(date(published.year, published.month, 1), "M"), 1)
    return PeriodMention(span.start, span.end, "absolute", period)


def _anaphoric_mention(span: Span, published: date | None) -> PeriodMention:
    return PeriodMention(span.start, span.end, "anaphoric", anaphor=span[-1].lower_)


# Dates a ranking may be measured from ("since March 2008"): checked before anything else.
_DATED = frozenset({"month", "month_of_year", "year", "quarter"})
# Relative mentions: how many months back from the figure's own period.
_SHIFTS = {"year_back": 12, "month_back": 1, "quarter_back": 3}
_READERS: dict[str, Callable[[Span, date | None], PeriodMention | None]] = {
    "ytd": _span_mention,
    "month": _month_mention,
    "month_of_year": _month_mention,
    "year": _year_mention,
    "quarter": _quarter_mention,
    "last_year": _calendar_year_mention,
    "this_year": _calendar_year_mention,
    "last_month": _last_month_mention,
    "anaphoric": _anaphoric_mention,
}
