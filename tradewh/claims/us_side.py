"""The United States as the side figures are told from: the words that name it, and a verb it
is the subject of ("the United States bought $33.4 billion of motor vehicles from Japan")."""

from __future__ import annotations

from spacy.tokens import Doc

from tradewh.claims.partners import PARTNERS, US_WORDS


def is_us(doc: Doc, i: int) -> bool:
    """Whether token `i` names the United States, never a partner."""
    token = doc[i]
    if token.lower_ in ("neighbor", "neighbour") and i > 0:
        # Mexico's "northern neighbor", Canada's "southern neighbour"
        return doc[i - 1].lower_ in ("northern", "southern")
    if token.lower_ == "us":
        return token.text == "US"  # not the pronoun
    if token.lower_ == "united" and i + 1 < len(doc) and doc[i + 1].lower_ == "states":
        return True
    return token.lower_ in US_WORDS


_PARTNER_WORDS = frozenset(
    word for _, _, phrases in PARTNERS for phrase in phrases for word in phrase.split()
)


def us_subject(doc: Doc, i: int) -> bool:
    """The United States is the subject of the verb at `i`: named before it in the sentence,
    nearer than any partner, and a figure follows within a few words ("sold it just $1.5
    billion")."""
    if not any(doc[j].like_num or doc[j].text == "$" for j in range(i + 1, min(len(doc), i + 5))):
        return False
    for j in range(i - 1, doc[i].sent.start - 1, -1):
        if is_us(doc, j):
            return True
        # A partner is the subject unless a preposition governs it ("from Japan").
        if doc[j].lower_ in _PARTNER_WORDS and doc[j].is_title and doc[j - 1].lower_ not in _OBJ:
            return False
    return False


_OBJ = frozenset({"from", "to", "with", "in", "of", "for"})
