"""The layout of a text before it is read: which line breaks end something (a headline, a
dateline, a list item, a section title) and which only wrap a long line, as wire copy is
hard-wrapped at about 65 characters ("rose 2.3\\npercent", "$38.0\\nbillion")."""

from __future__ import annotations

import re

_BULLET = re.compile(r"[-*\u2022]\s")
# Words a sentence does not end on: a line ending with one is wrapped mid-sentence.
_NO_END = frozenset(
    "a an the of to in on at by for from with and or but as than its their his her is was "
    "were are be been has had have that which who while into over per up down".split()
)
# A wrapped line is long; a headline or a section title ("Petroleum (exhibit 17)") is short or
# ends in a bracket.
_WRAP_WIDTH = 50


def unwrap(text: str) -> str:
    """`text` with every line break that only wraps a line replaced by a space: the same
    length, so character offsets into it are offsets into `text`."""
    chars = list(text)
    lines = text.split("\n")
    position = 0
    for line, following in zip(lines, lines[1:], strict=False):
        position += len(line)
        if _is_wrap(line, following):
            chars[position] = " "
        position += 1
    return "".join(chars)


def _is_wrap(line: str, following: str) -> bool:
    this, nxt = line.rstrip(), following.lstrip()
    if not this or not nxt or _BULLET.match(nxt) or _BULLET.match(this.lstrip()):
        return False
    if following[:1].isspace():
        return False  # an indented line starts a paragraph
    if nxt[0].islower() or nxt[0].isdigit() or nxt[0] in "$(":
        return True  # "U.S.\nexports", "record\n$38.3 billion"
    if this[-1] in ".!?:;)":
        return False
    last_word = this.split()[-1].lower()
    return last_word in _NO_END or _ends_figure(this) or len(this) >= _WRAP_WIDTH


def _ends_figure(line: str) -> bool:
    return bool(re.search(r"[$\d][\d.,]*$", line))
