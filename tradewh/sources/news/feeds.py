"""RSS 2.0 / Atom / RSS 1.0 feeds, read safely.

Every feed passes defusedxml first, which refuses any entity declaration (billion laughs,
quadratic blowup) and any external reference (XXE), before feedparser sees the bytes: feedparser
itself trusts the stdlib parser, and on malformed XML falls back to a loose parser we do not
want near hostile input. Only then does feedparser map the feed dialects to one shape.
"""

from __future__ import annotations

import calendar
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError as XmlSyntaxError

import defusedxml.ElementTree as SafeET
import feedparser
from defusedxml import DefusedXmlException

from tradewh.sources import ParseError


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None
    author: str | None
    published_at: datetime | None
    # The article's full text as HTML when the feed carries it (RSS content:encoded, Atom
    # content); None when the feed only has a summary and the page must be fetched.
    content_html: str | None


def _check_xml(payload: bytes) -> None:
    try:
        SafeET.fromstring(payload, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ParseError(f"feed refused: {type(exc).__name__}: {exc}") from exc
    except XmlSyntaxError as exc:
        raise ParseError(f"feed is not well-formed XML: {exc}") from exc


def _when(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return None
    # feedparser gives UTC struct_time; timegm reads it as such.
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)


def _content(entry: feedparser.FeedParserDict) -> str | None:
    parts = [c.get("value", "") for c in entry.get("content", []) if c.get("value", "").strip()]
    return "\n".join(parts) or None


def read_feed(payload: bytes) -> list[FeedEntry]:
    """The feed's entries that link to an article, in feed order."""
    _check_xml(payload)
    feed = feedparser.parse(io.BytesIO(payload), sanitize_html=True)
    if feed.get("version", "") == "":
        raise ParseError("not an RSS or Atom feed (no feed root element)")
    return [
        FeedEntry(
            link=entry["link"],
            title=entry.get("title"),
            author=entry.get("author"),
            published_at=_when(entry),
            content_html=_content(entry),
        )
        for entry in feed.entries
        if entry.get("link")
    ]
