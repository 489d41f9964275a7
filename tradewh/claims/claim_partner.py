"""Whose figure a claim is: the partner by its place in a list, else from its clause; a line's
share of "that gap" or "it" takes the partner the sentence names, or the one before it; "the
bilateral deficit" is the story's partner, never all countries'. Carried partners are unsure,
so such a figure is never said to differ."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from tradewh.claims.amounts import Figure
from tradewh.claims.clauses import main_part
from tradewh.claims.linking import PartnerLink, PartnerMention, link_partner
from tradewh.claims.reading import Read


def partner_of(
    doc: Doc,
    read: Read,
    sentence: Span,
    partners: list[PartnerMention],
    listed: dict[Figure, tuple[PartnerMention, str]],
    last_partner: tuple[str, str | None] | None,
) -> tuple[PartnerLink, list[str]]:
    """The figure's partner: by its place in a list of partners, else from its clause; and
    what the pairing was unsure of."""
    uncertain: list[str] = []
    if read.figure in listed:
        mention, how = listed[read.figure]
        link = PartnerLink(mention.code, doc[mention.start : mention.end].text)
        if how == "respectively":
            uncertain.append("partner paired by list order (respectively)")
    else:
        scope = main_part(doc, sentence, read.clause)
        link = link_partner(doc, read.figure.start, read.metric, read.clause, scope, partners)
    if read.kind == "component_share" and (
        link.code is None or (link.code == "-" and _anaphoric(doc, read))
    ):
        # "..., and autos accounted for 74.3% of that deficit", "... with South Korea was $3.2
        # billion, and cars were responsible for 68% of it": the whole is the one partner the
        # sentence names.
        named = {p.code: p for p in partners if sentence.start <= p.start < sentence.end}
        if len(named) == 1:
            (mention,) = named.values()
            link = PartnerLink(mention.code, doc[mention.start : mention.end].text)
    if link.code == "-" and _bilateral(doc, read):
        # "In August the bilateral deficit was $6.3 billion": the partner of the story, never
        # all countries; unsure, so never said to differ.
        if last_partner is not None and last_partner[0] != "-":
            link = PartnerLink(last_partner[0], last_partner[1])
            uncertain.append("partner carried over from an earlier sentence")
        else:
            link = PartnerLink(None, None)
    if (
        read.kind == "component_share"
        and link.code == "-"
        and last_partner is not None
        and last_partner[0] != "-"
        and _anaphoric(doc, read)
    ):
        # "Motor vehicles and parts accounted for about two-thirds of that gap": the gap of the
        # sentence before, with its partner; unsure, so never said to differ.
        link = PartnerLink(last_partner[0], last_partner[1])
        uncertain.append("partner carried over from an earlier sentence")
    return link, uncertain


def _bilateral(doc: Doc, read: Read) -> bool:
    """'the bilateral deficit', 'the bilateral trade gap': a measure with one partner, unnamed."""
    i = read.metric.index
    return any(doc[j].lower_ == "bilateral" for j in range(max(read.clause.start, i - 3), i))


def _anaphoric(doc: Doc, read: Read) -> bool:
    """'that gap', 'this deficit', 'of it', 'the bilateral imbalance': a whole that points back
    to a figure already quoted."""
    end = read.figure.end
    if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].lower_ in ("it", "that"):
        return True
    if read.share_of is None:
        return False
    word = doc[read.share_of.index].lower_
    before = doc[read.share_of.index - 1].lower_ if read.share_of.index > 0 else ""
    return word in ("it", "that", "this") or before in ("that", "this", "its", "bilateral")
