"""Near-duplicate fingerprints: MinHash over word shingles, a few lines of stdlib.

(datasketch would do the same but brings scipy along for what is 20 lines here.) The stored
form is "<version>:" followed by NUM_PERM 8-hex-digit slots separated by spaces, so SQL can
compare two fingerprints slot by slot (sql/pipeline/news_articles/publish.sql): the share of
equal slots estimates the Jaccard similarity of the two texts' shingle sets.
"""

from __future__ import annotations

import hashlib
import random
import re

from tradewh.sources.news.constants import FINGERPRINT_VERSION, NUM_PERM, SHINGLE_WORDS

_WORD = re.compile(r"\w+")
# A Mersenne prime above the 64-bit shingle hashes, for universal hashing (a*x + b) mod p.
_PRIME = (1 << 61) - 1
_MASK = (1 << 32) - 1
# Fixed seed: fingerprints are stored and compared across runs, so the permutations must never
# change without FINGERPRINT_VERSION.
_rng = random.Random(20240601)
_PERMUTATIONS = [(_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(NUM_PERM)]


def _shingles(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    size = min(SHINGLE_WORDS, len(words))
    grams = (
        {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)} if words else set()
    )
    return {
        int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams
    }


def fingerprint(text: str) -> str | None:
    """The MinHash fingerprint of a text; None for a text without words."""
    shingles = _shingles(text)
    if not shingles:
        return None
    slots = (min((a * x + b) % _PRIME for x in shingles) & _MASK for a, b in _PERMUTATIONS)
    return f"{FINGERPRINT_VERSION}:" + " ".join(f"{slot:08x}" for slot in slots)


def similarity(left: str, right: str) -> float:
    """Estimated Jaccard similarity of two fingerprints (the same measure publish.sql uses)."""
    a, b = left.split(":", 1), right.split(":", 1)
    if a[0] != b[0]:
        return 0.0
    slots_a, slots_b = a[1].split(), b[1].split()
    return sum(x == y for x, y in zip(slots_a, slots_b, strict=True)) / len(slots_a)
