"""Claim extraction: every trade figure a text quotes, with what it measures, the partner, the
period and the words that qualify it, read from the US side.

Rules run on spaCy's blank English pipeline (tokenizer, sentencizer, Matcher): no statistical
model, so the same text always gives the same claims. A figure becomes a claim only when a trade
measure governs it; figures about other things, forecasts, aims, rates, ranges and figures a
correction withdraws are left out, as are another country's own statistics.

The steps, one module each: layout (wrapped lines), amounts and periods (figures and dates as
written), reading (is it a claim, of which measure) and changes (which way a change went),
discourse and figure_periods (the story's period, each figure's), linking and lists (which
partner), series (which release line), reporters (whose statistics); this module puts them
together and records the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from tradewh.claims.amounts import Figure, figure_matcher, find_figures
from tradewh.claims.changes import direction
from tradewh.claims.claim_partner import partner_of
from tradewh.claims.clauses import starts_paragraph
from tradewh.claims.discourse import Discourse, advance, lead_period
from tradewh.claims.doubts import other_series_doubts, reading_doubts
from tradewh.claims.figure_periods import resolve_periods
from tradewh.claims.layout import unwrap
from tradewh.claims.linking import (
    PartnerLink,
    PartnerMention,
    find_metrics,
    find_partners,
    partner_matcher,
    product_of,
)
from tradewh.claims.lists import listed_partners
from tradewh.claims.model import Claim
from tradewh.claims.periods import (
    Period,
    find_periods,
    period_matcher,
)
from tradewh.claims.qualifiers import is_revised, precision_words, rank_matcher, rank_spans
from tradewh.claims.reading import PART_LINES, Read, read_figure
from tradewh.claims.reporters import foreign_sentences
from tradewh.claims.series import noun_phrase, series_of


@dataclass(frozen=True)
class _Tools:
    nlp: Language
    figures: Matcher
    periods: Matcher
    partners: PhraseMatcher
    ranks: Matcher


@Language.component("line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    # A line break left after unwrapping (layout.py) ends a sentence: a headline or dateline
    # has no full stop, and without this it runs into the lead and lends it its partner
    # ("Trade gap with Japan widened ...").
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
    lead = lead_period(doc, mentions)
    discourse = Discourse()
    if lead is not None and lead.period is not None:
        discourse.set_reference(lead.period, doc[lead.start : lead.end].text)
    claims: list[Claim] = []
    foreign = foreign_sentences(doc, partners)
    for sentence in doc.sents:
        if starts_paragraph(doc, sentence):
            discourse.new_paragraph()
        in_sentence = [f for f in figures if sentence.start <= f.start < sentence.end]
        reads = [
            read
            for f in in_sentence
            if sentence.start not in foreign
            and (read := read_figure(doc, f, in_sentence, sentence, metrics, discourse.last))
            is not None
        ]
        periods = [m for m in mentions if sentence.start <= m.start < sentence.end]
        period_words: dict[Figure, str] = {}
        resolved, own_first = resolve_periods(
            doc, reads, in_sentence, periods, discourse, period_words
        )
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
                discourse.last_partner,
            )
            if claim is None:
                continue
            claims.append(claim)
            if claim.kind == "component_share":
                continue  # its line is the part, not what the story's bare measures are about
            earlier = claim.series
            if claim.kind != "share" and claim.metric in ("balance", "exports", "imports"):
                discourse.last = (read.metric.metric, read.metric.sign)
                if claim.partner_code is not None:
                    discourse.last_partner = (claim.partner_code, claim.partner_name)
            # A line's figure does not make the story's bare "deficit" the line's: a story on
            # autos quotes the whole balance as "the deficit with Japan".
            if discourse.topic_series is None and claim.series not in PART_LINES:
                discourse.topic_series = claim.series
        about_trade = any(sentence.start <= m.index < sentence.end for m in metrics)
        advance(doc, sentence, periods, own_first, resolved, discourse, about_trade)
    return claims


def _claim(
    doc: Doc,
    read: Read,
    sentence: Span,
    partners: list[PartnerMention],
    figures: list[Figure],
    ranks: list[Span],
    resolved: dict[Figure, tuple[Period | None, Period | None]],
    earlier: str | None,
    listed: dict[Figure, tuple[PartnerMention, str]],
    period_words: str | None,
    settled: bool,
    last_partner: tuple[str, str | None] | None,
) -> Claim | None:
    figure, metric = read.figure, read.metric
    series, series_words = _series(doc, read, sentence, earlier)
    link, uncertain = partner_of(doc, read, sentence, partners, listed, last_partner)
    if link.skip:
        return None
    name = metric.metric
    if link.flipped and name != "balance":
        name = {"exports": "imports", "imports": "exports"}[name]
    period, compared = resolved.get(figure, (None, None))
    uncertain += reading_doubts(doc, read, sentence, period, period_words, settled)
    uncertain += other_series_doubts(doc, read, sentence, series, link)
    last = doc[figure.end - 1]
    start, end = doc[figure.start].idx, last.idx + len(last)
    original = doc.user_data["text"]
    return Claim(
        start_char=start,
        end_char=end,
        sentence=original[sentence.start_char : sentence.end_char].strip(),
        quoted_text=original[start:end],
        kind=read.kind,
        metric=name,
        product=product_of(doc, metric, read.clause)
        or (product_of(doc, read.share_of, read.clause) if read.share_of else None),
        partner_code=link.code,
        partner_name=link.name,
        period=period.start if period else None,
        frequency=period.frequency if period else None,
        period_kind=period.period_kind if period else None,
        series=series,
        compared_period=compared.start if compared else None,
        qualifiers=_qualifiers(doc, read, sentence, figures, ranks),
        rounding_percent=figure.rounding if figure.kind in ("percent", "fraction") else None,
        period_words=period_words if period is not None else None,
        partner_words=_partner_words(link),
        metric_words=_metric_words(doc, read, series_words),
        uncertain=tuple(uncertain),
        **_values(doc, read, name, link),
    )


def _series(doc: Doc, read: Read, sentence: Span, earlier: str | None) -> tuple[str, str | None]:
    """The release line the figure is of, and the words that say so."""
    if read.line is not None:
        return read.line[0], doc[read.line[1] : read.line[2]].text
    if read.metric.metric == "trade":
        return "total_trade", "exports and imports combined"
    return series_of(doc, read.metric, read.figure.start, read.clause, sentence, earlier)


def _metric_words(doc: Doc, read: Read, series_words: str | None) -> str:
    metric = read.metric
    lo, hi = noun_phrase(doc, metric, read.clause)
    words = doc[lo:hi].text if lo <= metric.index < hi else doc[metric.index].text
    if series_words and series_words not in words:
        words = f"{words} ({series_words})"
    return words


def _partner_words(link: PartnerLink) -> str | None:
    if link.code == "-":
        return link.name or "(no partner named: all countries)"
    if link.code is None:
        return "(unclear: several partners)"
    return link.name


def _qualifiers(
    doc: Doc, read: Read, sentence: Span, figures: list[Figure], ranks: list[Span]
) -> tuple[str, ...]:
    qualifiers = set(precision_words(doc, read.figure))
    if read.kind == "level":
        qualifiers |= _ranks_of(doc, read.figure, read.clause, figures, ranks)
        if is_revised(doc, read.figure, sentence, figures):
            qualifiers.add("revised")
    return tuple(sorted(qualifiers))


def _values(doc: Doc, read: Read, name: str, link: PartnerLink) -> dict[str, object]:
    """The figure's value in the fields its kind fills: a level's value (signed from the US
    side), a share's percent and whole, or a change's direction and size."""
    figure, metric = read.figure, read.metric
    if read.kind == "level":
        sign = metric.sign * (-1 if link.flipped else 1) if name == "balance" else 1
        return {
            "value_musd": _money(figure.value * sign),
            "rounding_musd": _money(figure.rounding),
        }
    if read.kind in ("share", "component_share"):
        return {
            "percent": figure.value,
            "share_of": read.share_of.metric if read.share_of else None,
        }
    way = direction(doc, figure, read.clause)
    if figure.kind == "money":
        return {
            "change_direction": way,
            "change_musd": _money(figure.value),
            "rounding_musd": _money(figure.rounding),
        }
    return {"change_direction": way, "change_percent": figure.value}


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
