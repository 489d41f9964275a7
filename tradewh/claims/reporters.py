"""Whose statistics a sentence quotes. A story from Beijing or Tokyo on China's or Japan's own
trade figures quotes that country's surplus with the United States: not a US figure, and not
comparable with the US release (other basis, other currency, other timing). Such sentences
are left out; a sentence citing US figures ("U.S. data showed", "Washington reported") stays
in even under a foreign dateline."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from tradewh.claims.linking import PartnerMention

# Dateline cities -> the Census code of the country whose statistics are reported there.
_DATELINES = {
    "BEIJING": "5700",
    "SHANGHAI": "5700",
    "TOKYO": "5880",
    "SEOUL": "5800",
    "TAIPEI": "5830",
    "OTTAWA": "1220",
    "TORONTO": "1220",
    "MEXICO CITY": "2010",
    "BERLIN": "4280",
    "FRANKFURT": "4280",
    "BRUSSELS": "0003",
    "NEW DELHI": "5330",
    "HANOI": "5520",
}
_DATELINE = re.compile(r"^\s*([A-Z][A-Z .]+?)\s*(?:,|\(|--| -)", re.MULTILINE)
# Phrases naming a foreign statistical source.
_FOREIGN_SOURCES = (
    "customs",
    "finance ministry",
    "ministry of finance",
    "own figures",
    "own data",
    "statistics canada",
    "eurostat",
    "destatis",
    "national bureau of statistics",
    "trade ministry",
    "ministry of commerce",
    "mof",
)
_US_SOURCES = (
    "u.s. data",
    "u.s. figures",
    "us data",
    "us figures",
    "american data",
    "commerce department",
    "department of commerce",
    "census bureau",
    "washington reported",
    "u.s. government",
)


# A measure named from the US side ("the U.S. deficit with South Korea", "U.S. imports of South
# Korean cars", "America's goods deficit"): a US figure, whatever the dateline.
_US_SIDE = re.compile(
    r"\b(?:u\.\s?s\.|us|united states'?|america's|american)\s+(?:(?:goods|trade|merchandise|"
    r"overall|total|bilateral)\s+)*(?:deficit|shortfall|surplus|gap|imbalance|imports|exports)\b"
)


def dateline_country(text: str) -> str | None:
    """The country of a foreign dateline in the first lines ("TOKYO (AP) --")."""
    for match in _DATELINE.finditer(text[:400]):
        city = match.group(1).strip()
        if city in _DATELINES:
            return _DATELINES[city]
    return None


def is_foreign(sentence: Span, dateline: str | None, partners: list[PartnerMention]) -> bool:
    """Whether `sentence` quotes another country's own statistics."""
    text = sentence.text.lower()
    if any(source in text for source in _US_SOURCES) or _US_SIDE.search(text):
        return False
    if any(re.search(rf"\b{re.escape(source)}\b", text) for source in _FOREIGN_SOURCES):
        return True
    if dateline is None:
        return False
    # Under a foreign dateline, a sentence about the dateline country (or about no country:
    # "The surplus with the United States rose ...") reports its statistics; one about a third
    # country ("Canada's surplus with the United States ...") quotes US ones.
    first = next((p for p in partners if sentence.start <= p.start < sentence.end), None)
    return first is None or first.code == dateline


def foreign_sentences(doc: Doc, partners: list[PartnerMention]) -> set[int]:
    """Start tokens of the sentences quoting another country's statistics."""
    dateline = dateline_country(doc.text)
    return {s.start for s in doc.sents if is_foreign(s, dateline, partners)}
