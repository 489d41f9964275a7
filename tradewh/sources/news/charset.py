"""The character encoding of an article page, decided from its bytes: the charset a page declares
is a claim to check, not a fact.

Pages lie about it: a template says shift_jis or utf-8 over bytes in another encoding. Read with
the wrong one, names, quotes and currency signs come out garbled (Ibáñez as Ibáńez, ¥ as Ą, a
Japanese name as ŽR“c‘¾˜Y) and nothing downstream can tell, so a reporter could quote it. So:

1. A byte-order mark decides.
2. Bytes that are valid UTF-8 are UTF-8, whatever the page declares: text in a legacy encoding
   with any letter outside ASCII is practically never valid UTF-8 by accident.
3. Otherwise the charset the page declares (``<meta charset>``, ``<meta http-equiv>``, an XML
   declaration), its label read as browsers read it (latin-1 and ascii mean windows-1252,
   shift_jis windows-31j...), when its bytes decode with it cleanly and no other encoding reads
   them more plausibly.
4. Otherwise every web encoding that decodes the bytes cleanly, ranked by plausibility. The most
   plausible reading is taken when it is the only one; when several read equally well but
   differ (windows-1252 and windows-1250 differ only in a few letters: Ibáñez or Ibáńez, ¥100
   or Ą100), the one in an encoding that pages in its language are written in: the language
   the page declares (``<html lang>``), else the one the reading itself is in (English:
   windows-1252; Polish: windows-1250), as a browser picks its default encoding by language. A
   tie that this cannot break, or no plausible reading at all, is a ParseError that names the
   encodings and where they differ: the page is quarantined for a person to look at, since
   which spelling of a name is right is not ours to guess.

Plausibility: a wrong decoding leaves marks in the words it garbles, and every character outside
ASCII that shows one counts against a reading (and so does any control character, such as a
NUL): a control, unassigned or private-use character;
an upper-case letter right after a lower-case one (GdaÒsk, £ódŸ for Gdańsk, Łódź); a symbol or
quotation mark between two letters (ŽR“c); letters of two scripts in one word (Cafй, caf漬),
but for Latin with Chinese, Japanese or Korean, which run together without spaces. (charset
normalizer's mess detector, tried first, rates correct Polish as messier than its windows-1252
garbling: it is tuned to tell encodings apart on whole documents, not on a few names.) The HTTP
Content-Type charset is not consulted: it is not kept with the landed payload, and servers get
it wrong as often as pages do.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from tradewh.sources import ParseError
from tradewh.sources.news.text import language

_PRESCAN_BYTES = 4096
# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">, and
# <?xml version="1.0" encoding="x"?>.
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_HTML_LANG = re.compile(rb"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,3})""", re.I)
_TAG = re.compile(r"<[^>]*>")
_WORD_ENDS = " \t\r\n<>\"'="
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Labels as the web reads them (WHATWG Encoding Standard): browsers decode a page labelled
# latin-1 or ascii as windows-1252, and so on. Keys are Python codec names.
_WEB_LABELS = {
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "tis_620": "cp874",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
}
# The encodings a web page can be in (the Encoding Standard's, as Python codecs), but the
# UTF ones and ISO-2022-JP (7-bit, hence valid UTF-8): candidates for a page not in UTF-8.
WEB_ENCODINGS = (
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp1258",
    "cp874",
    "iso8859_2",
    "iso8859_3",
    "iso8859_4",
    "iso8859_5",
    "iso8859_6",
    "iso8859_7",
    "iso8859_8",
    "iso8859_10",
    "iso8859_13",
    "iso8859_14",
    "iso8859_15",
    "iso8859_16",
    "koi8_r",
    "koi8_u",
    "mac_roman",
    "mac_cyrillic",
    "cp866",
    "cp932",
    "euc_jp",
    "cp949",
    "gb18030",
    "big5hkscs",
)
# The encodings pages in a language are written in (the first is the Encoding Standard's
# default for the locale); any language not listed is written in windows-1252 and its ISO twin.
_ARABIC = ("cp1256", "iso8859_6")
_CYRILLIC = ("cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic", "cp866")
_CENTRAL = ("cp1250", "iso8859_2", "iso8859_16")
_BALTIC = ("cp1257", "iso8859_13", "iso8859_4", "iso8859_10")
_TURKIC = ("cp1254", "iso8859_3")
_WESTERN = ("cp1252", "iso8859_15")
_LANGUAGE_ENCODINGS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("ar", "fa", "ur"), _ARABIC),
    **dict.fromkeys(("ba", "be", "bg", "kk", "ky", "mk", "ru", "sr", "tt", "uk"), _CYRILLIC),
    **dict.fromkeys(("bs", "cs", "hr", "hu", "pl", "ro", "sk", "sl"), _CENTRAL),
    **dict.fromkeys(("et", "lt", "lv"), _BALTIC),
    **dict.fromkeys(("az", "ku", "tr"), _TURKIC),
    "el": ("cp1253", "iso8859_7"),
    "he": ("cp1255", "iso8859_8"),
    "iw": ("cp1255", "iso8859_8"),
    "ja": ("cp932", "euc_jp"),
    "ko": ("cp949",),
    "th": ("cp874",),
    "vi": ("cp1258",),
    "zh": ("gb18030", "big5hkscs"),
}
# Enough text to judge a page by, and to keep a long one quick.
_MAX_CHARACTERS = 20_000
# A reading with more marks than one in this many of its non-ASCII characters is not text.
_MARKS_PER_CHARACTER = 20
# Scripts that share words in real text: Latin letters run into Chinese, Japanese or Korean.
_MIXED_SCRIPTS = ({"LATIN", "CJK"}, {"LATIN", "HANGUL"})
_CJK = ("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC", "FULLWIDTH")
# Marks that do sit between two letters: apostrophes, hyphens and dashes, the middle dot.
_BETWEEN_LETTERS = frozenset("\u2018\u2019\u02bc\u2010\u2011\u2013\u2014\u00b7\u2026")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    # Why the page's own declaration was not followed, for the log; None when it was (or there
    # was nothing to follow).
    note: str | None = None


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    return _WEB_LABELS.get(name, name)


def declared_charset(payload: bytes) -> str | None:
    """The charset label the page declares in its first bytes, as written; None if none."""
    head = payload[:_PRESCAN_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _runs(text: str) -> list[str]:
    """The text between tags that holds a non-ASCII character: where a wrong decoding shows."""
    runs, size = [], 0
    for run in _TAG.split(text):
        if not run.isascii():
            runs.append(run)
            size += len(run)
            if size > _MAX_CHARACTERS:
                break
    return runs


def _script(letter: str) -> str:
    if letter.isascii():
        return "LATIN"
    name = unicodedata.name(letter, "")
    if name.startswith("HALFWIDTH KATAKANA"):
        return "HALFWIDTH KATAKANA"  # what shift_jis makes of latin-1 capitals and signs
    if "HANGUL" in name:
        return "HANGUL"
    if name.startswith(_CJK):
        return "CJK"
    if "LATIN" in name or name in ("MICRO SIGN", "FEMININE ORDINAL INDICATOR"):
        return "LATIN"
    return name.split(" ", 1)[0]


def _char_mark(char: str, before: str, after: str) -> bool:
    """Whether one character of a run is one a wrong decoding would explain."""
    if char.isascii():
        # A NUL or another control character is no part of any text.
        return (char < " " and char not in "\t\n\r\f") or char == "\x7f"
    category = unicodedata.category(char)
    if category in ("Cc", "Co", "Cn", "Cs") or char == "\ufffd":
        return True
    if category in ("Lu", "Lt") and before.islower():
        return True
    if category[0] == "L" and char.islower() and after.isupper() and after.isascii():
        return True  # ôCafe
    return (
        (category[0] in "PS" or category == "No")
        and char not in _BETWEEN_LETTERS
        and before.isalpha()
        and after.isalpha()
        and _script(before) == _script(after) != "CJK"  # not Chinese or Japanese
    )


def _marks(run: str) -> int:
    """The characters of a text run that a wrong decoding would explain (see the module doc)."""
    padded = f" {run} "
    marks = sum(_char_mark(char, padded[i], padded[i + 2]) for i, char in enumerate(run))
    for word in _LETTER_RUN.findall(run):
        if not word.isascii():
            scripts = {_script(letter) for letter in word}
            if len(scripts) > 1 and scripts not in _MIXED_SCRIPTS:
                marks += 1
    return marks


def _implausibility(text: str) -> tuple[int, int]:
    """(marks, non-ASCII characters) over the text runs where a wrong decoding would show."""
    runs = _runs(text)
    return sum(map(_marks, runs)), sum(not c.isascii() for run in runs for c in run)


def _decode(payload: bytes, encoding: str) -> str | None:
    try:
        return payload.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _in_its_language(payload: bytes, tied: list[str], readings: dict[str, list[str]]) -> list[str]:
    """The tied readings that are in an encoding pages in their language are written in: the
    language the page declares (<html lang>), else the language each reading is in."""
    match = _HTML_LANG.search(payload[:_PRESCAN_BYTES])
    declared = match.group(1).decode("ascii").lower() if match else None

    def fits(reading: str) -> bool:
        lang = declared or language(_TAG.sub(" ", reading)) or ""
        return not set(_LANGUAGE_ENCODINGS.get(lang, _WESTERN)).isdisjoint(readings[reading])

    return [reading for reading in tied if fits(reading)]


def _where_they_differ(readings: dict[str, str]) -> str:
    """The first word the readings differ in, as each reads it: "cp1252 reads 'Ibáñez', cp1250
    reads 'Ibáńez'"."""
    texts = list(readings.values())
    at = next(
        (i for i, chars in enumerate(zip(*texts, strict=False)) if len(set(chars)) > 1),
        min(map(len, texts)),
    )

    def word(text: str) -> str:
        start = max(text.rfind(c, 0, at) for c in _WORD_ENDS) + 1
        ends = [i for i in (text.find(c, at) for c in _WORD_ENDS) if i >= 0]
        return text[start : min(ends, default=len(text))][:40]

    return ", ".join(f"{enc} reads {word(text)!r}" for enc, text in readings.items())


def _by_bom(payload: bytes) -> Decoded | None:
    for bom, encoding in _BOMS:
        if payload.startswith(bom):
            text = _decode(payload, encoding)
            if text is None:
                raise ParseError(f"the page starts with a {encoding} byte-order mark but is not")
            return Decoded(text, encoding)
    return None


def _as_utf8(payload: bytes, label: str | None, declared: str | None) -> Decoded | None:
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # Pure ASCII reads the same in any encoding a page may declare: nothing to say.
    lied = not text.isascii() and label is not None and declared != "utf_8"
    return Decoded(text, "utf-8", f"declares {label} but is UTF-8; read as UTF-8" if lied else None)


def _plausible_readings(
    payload: bytes, declared: str | None
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Every clean decoding, one per distinct reading (with the encodings that give it), and
    the marks of those that read as text in some language."""
    readings: dict[str, list[str]] = {}
    for encoding in dict.fromkeys(e for e in (declared, *WEB_ENCODINGS) if e):
        reading = _decode(payload, encoding)
        if reading is not None:
            readings.setdefault(reading, []).append(encoding)
    marks: dict[str, int] = {}
    for reading in readings:
        count, characters = _implausibility(reading)
        if count * _MARKS_PER_CHARACTER <= characters:
            marks[reading] = count
    return readings, marks


def _what_it_claims(label: str | None, declared: str | None, own: str | None) -> str:
    if label is None:
        return "declares no charset"
    if declared is None:
        return f"declares {label}, which is not a known encoding"
    if own is None:
        return f"declares {label}, which does not decode it"
    return f"declares {label}, which reads less plausibly than another encoding"


def decode_page(payload: bytes) -> Decoded:
    """The page's text and the encoding it was read with (see the module doc); ParseError when
    the encoding cannot be told."""
    label = declared_charset(payload)
    declared = _codec(label) if label else None
    found = _by_bom(payload) or _as_utf8(payload, label, declared)
    if found is not None:
        return found
    readings, marks = _plausible_readings(payload, declared)
    best = min(marks.values(), default=None)
    own = _decode(payload, declared) if declared else None
    if own is not None and own in marks and marks[own] == best:
        return Decoded(own, declared)  # type: ignore[arg-type]
    claim = _what_it_claims(label, declared, own)
    if best is None:
        raise ParseError(
            f"cannot read the page's text: it is not UTF-8, {claim}, and no web encoding reads "
            "it as text"
        )
    top = [reading for reading, value in marks.items() if value == best]
    if len(top) > 1:
        top = _in_its_language(payload, top, readings) or top
    if len(top) > 1:
        raise ParseError(
            f"cannot tell the page's character encoding: it is not UTF-8, {claim}, and it reads "
            "equally well in several encodings that disagree: "
            + _where_they_differ({readings[r][0]: r for r in top[:4]})
        )
    [reading] = top
    encoding = readings[reading][0]
    return Decoded(reading, encoding, f"{claim}; read as {encoding}")


def for_parser(text: str) -> str:
    """The decoded page without an XML declaration, whose encoding would make lxml decode the
    text again from bytes."""
    return _XML_DECLARATION.sub("", text, count=1)
