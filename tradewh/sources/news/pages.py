"""Article pages and feed HTML to text: headline, byline, date and main text.

trafilatura finds the main text (navigation, related links and footers dropped) and the byline;
the publication time and rel=canonical are read from the page's own markup first, because
trafilatura keeps only the day of the date and we want the time the paper states. The bytes are
decoded first, by charset.decode_page: a page's declared charset is checked, not trusted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html
import trafilatura
from lxml.etree import ParserError

from tradewh.sources import ParseError
from tradewh.sources.news.charset import decode_page, for_parser

log = logging.getLogger("tradewh.sources.news")

# Where papers state the publication time, most specific first.
_TIME_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='pubdate' or @name='publish-date' or @name='date']/@content",
    "//time[@datetime]/@datetime",
)
_BLOCKS = "p", "li", "h1", "h2", "h3", "h4", "blockquote", "pre"


@dataclass(frozen=True)
class Page:
    title: str | None
    byline: str | None
    published_at: datetime | None
    text: str
    # The address the page declares for itself (rel=canonical, else og:url), as written.
    declared_url: str | None


def _iso(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    # A time without a zone is taken as UTC rather than dropped: papers that omit it are rare
    # and the day matters more than the hour.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _first(tree: lxml.html.HtmlElement, xpaths: tuple[str, ...]) -> str | None:
    for xpath in xpaths:
        for value in tree.xpath(xpath):
            if str(value).strip():
                return str(value).strip()
    return None


def _published(tree: lxml.html.HtmlElement, fallback_day: str | None) -> datetime | None:
    for xpath in _TIME_XPATHS:
        for value in tree.xpath(xpath):
            moment = _iso(str(value))
            if moment is not None:
                return moment
    return _iso(fallback_day) if fallback_day else None


def read_page(payload: bytes, url: str | None) -> Page:
    """The article on a page; ParseError when the page holds no article text or its character
    encoding cannot be told."""
    decoded = decode_page(payload)
    if decoded.note:
        log.warning("news: the page %s %s", url or "(no URL)", decoded.note)
    tree = trafilatura.load_html(for_parser(decoded.text))
    if tree is None:
        raise ParseError("not an HTML page trafilatura can read")
    declared = _first(
        tree, ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
    )
    # trafilatura cleans the tree it is given: hand it a copy, keep ours for the markup reads.
    document = trafilatura.bare_extraction(
        lxml.html.fromstring(lxml.html.tostring(tree)),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    if document is None or not (document.text or "").strip():
        raise ParseError("no article text found on the page")
    return Page(
        title=document.title,
        byline=document.author,
        published_at=_published(tree, document.date),
        text=document.text,
        declared_url=declared,
    )


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed's content:encoded), one block per line."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError) as exc:
        raise ParseError(f"unreadable HTML in the feed: {exc}") from exc
    blocks = [b.text_content() for b in root.iter(*_BLOCKS) if b.text_content().strip()]
    return "\n".join(blocks) if blocks else root.text_content()
