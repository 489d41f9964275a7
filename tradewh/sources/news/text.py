"""Article text: one normal form, its hash, and its language."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import py3langid

from tradewh.sources.news.constants import MIN_LANGUAGE_CHARS

_SPACES = re.compile(r"[^\S\n]+")
_BREAKS = re.compile(r"\s*\n\s*")


def normalise(text: str) -> str:
    """NFC, runs of spaces (incl. no-break spaces and tabs) as one space, one paragraph per
    line, no blank lines: the same words laid out differently hash the same."""
    text = unicodedata.normalize("NFC", text).replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return _BREAKS.sub("\n", text).strip()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def language(text: str) -> str | None:
    """ISO 639-1 code of the text; None when it is too short to tell. py3langid: langid.py's
    model shipped in the wheel (offline, deterministic, 97 languages), loaded on first use."""
    if len(text) < MIN_LANGUAGE_CHARS:
        return None
    code, _ = py3langid.classify(text)
    return str(code)
