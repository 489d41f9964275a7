"""News articles that report the trade releases, for SQL search next to the figures.

Two kinds of payload land under one source: feeds (RSS 2.0, Atom) and the article pages they
link to. `requests` asks for the feeds; `follow` asks for the pages of the entries whose feed
carries no full text, once per canonical URL, politely (robots.txt and a per-host delay in the
live profile); `parse` sniffs which kind it was given. A feed parses to its full-text entries
(none when it only has summaries), a page to one article. Publishing dedupes by text hash and
groups near-duplicates (sql/pipeline/news_articles/publish.sql); after publishing, the flow
calls `build_search_index(con)` to refresh the BM25 index behind core.search_news(query).

Landing suffix: ".news" for both kinds (see constants.SUFFIX).
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa

from tradewh.http import HttpClient
from tradewh.ingest.landing import LandedPayload
from tradewh.settings import Settings
from tradewh.sources import Parsed, ParseError, Request
from tradewh.sources.news import constants
from tradewh.sources.news.feeds import FeedEntry, read_feed
from tradewh.sources.news.fingerprint import fingerprint
from tradewh.sources.news.pages import fragment_text, read_page
from tradewh.sources.news.robots import Robots
from tradewh.sources.news.search import build_search_index
from tradewh.sources.news.text import language, normalise, sha256_text
from tradewh.sources.news.urls import canonical_url, resolve_canonical
from tradewh.sources.spec import Source
from tradewh.warehouse import writer

__all__ = ["build_search_index", "follow", "parse", "requests"]

NAME = "news"
DATASET = "news_articles"
STAGING = "news_articles"
CORE_TABLE = "core.news_articles"
SUFFIX = constants.SUFFIX

log = logging.getLogger("tradewh.sources.news")

SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("canonical_url", pa.string()),
        ("feed_url", pa.string()),
        ("title", pa.string()),
        ("byline", pa.string()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("text", pa.string()),
        ("language", pa.string()),
        ("sha256", pa.string()),
        ("fingerprint", pa.string()),
    ]
)

# Which element comes first tells a feed from a page; the rest of the bytes are not trusted
# until the parser for that kind has read them.
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]")
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html)[\s>]")
_SNIFF_BYTES = 4096
_WORD = re.compile(r"\w")


def requests(settings: Settings, newest_period: date | None = None) -> list[Request]:
    # Feeds are small and conditional GETs make an unchanged one cost a 304: ask for all.
    if settings.profile == "live":
        return [Request(url) for url in settings.news_feeds]
    feeds = sorted(settings.sample_dir.glob(constants.SAMPLE_FEED_GLOB))
    return [Request(path.resolve().as_uri()) for path in feeds]


def _kind(payload: bytes) -> str:
    head = payload[:_SNIFF_BYTES].lower()
    feed, page = _FEED_ROOT.search(head), _HTML_ROOT.search(head)
    if page and (not feed or page.start() < feed.start()):
        return "page"
    if feed or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "feed"  # XML of some kind: the safe XML gate decides
    raise ParseError("neither a feed nor an HTML page")


def sample_page(settings: Settings, canonical: str) -> str | None:
    """The sample archive's copy of an article page: news/pages/<host>/<last path segment>.html
    as a file:// URI, None when the archive has no copy."""
    parts = urlsplit(canonical)
    name = PurePosixPath(parts.path).name
    pages = settings.sample_dir / constants.SAMPLE_PAGES_DIR
    path = pages / (parts.hostname or "") / f"{name}.html"
    return path.resolve().as_uri() if name and path.is_file() else None


def _fetched_urls(settings: Settings) -> set[str]:
    with writer(settings) as con:
        rows = con.execute(
            "SELECT DISTINCT url FROM ops.fetches WHERE source = ? AND sha256 IS NOT NULL",
            [NAME],
        ).fetchall()
    return {row[0] for row in rows}


def _entries_to_fetch(landed: list[LandedPayload]) -> list[FeedEntry]:
    entries: list[FeedEntry] = []
    for payload in landed:
        content = payload.read()
        try:
            if _kind(content) == "feed":
                entries += [e for e in read_feed(content) if e.content_html is None]
        except ParseError as exc:
            # ingest quarantines the payload with this reason; nothing to follow from it.
            log.warning("news: not following %s: %s", payload.url, exc)
    return entries


def follow(settings: Settings, landed: list[LandedPayload], client: HttpClient) -> list[Request]:
    """The article pages of the landed feeds' entries without full text, not fetched before,
    allowed by robots.txt (live), each host paced by HOST_DELAY or its Crawl-delay (live)."""
    live = settings.profile == "live"
    robots = Robots(client, settings.http_user_agent) if live else None
    fetched = _fetched_urls(settings)
    planned: list[Request] = []
    for entry in _entries_to_fetch(landed):
        try:
            canonical = canonical_url(entry.link)
        except ValueError:
            log.warning("news: unreadable article link %r", entry.link)
            continue
        target = canonical if live else sample_page(settings, canonical)
        if target is None:
            log.warning("news: the sample archive has no page for %s", canonical)
            continue
        if client.request_url(target, {}) in fetched or any(r.url == target for r in planned):
            continue
        delay = 0.0
        if robots is not None:
            if not robots.allowed(target):
                log.info("news: robots.txt disallows %s", target)
                continue
            # robots.txt was just asked of this host, so even its first page waits.
            delay = max(constants.HOST_DELAY, robots.crawl_delay(target) or 0.0)
            if delay > constants.MAX_HOST_DELAY:
                log.info("news: Crawl-delay %.0fs of %s is too long; skipped", delay, target)
                continue
        planned.append(Request(target, delay_before=delay))
    return planned


def _row(
    *,
    url: str,
    canonical: str,
    feed_url: str | None,
    title: str | None,
    byline: str | None,
    published_at: datetime | None,
    raw_text: str,
) -> dict[str, Any]:
    text = normalise(raw_text)
    return {
        "url": url,
        "canonical_url": canonical,
        "feed_url": feed_url,
        "title": normalise(title) if title else None,
        "byline": normalise(byline) if byline else None,
        "published_at": published_at,
        "text": text,
        "language": language(text),
        "sha256": sha256_text(text),
        "fingerprint": fingerprint(text),
    }


def _feed_rows(payload: bytes, url: str | None) -> tuple[list[dict[str, Any]], list[date]]:
    entries = read_feed(payload)
    rows = [
        _row(
            url=entry.link,
            canonical=canonical_url(entry.link),
            feed_url=url,
            title=entry.title,
            byline=entry.author,
            published_at=entry.published_at,
            raw_text=fragment_text(entry.content_html),
        )
        for entry in entries
        if entry.content_html is not None
    ]
    # Coverage is the whole feed's, pages included: what this payload is about.
    return rows, [e.published_at.date() for e in entries if e.published_at]


def _page_row(payload: bytes, url: str | None) -> dict[str, Any]:
    page = read_page(payload, url)
    if not _WORD.search(page.text):
        raise ParseError("the page's article text has no words")
    # A sample-archive page was read from a file: its address is the one it declares.
    address = url if url and urlsplit(url).scheme in ("http", "https") else page.declared_url
    if not address:
        raise ParseError("cannot tell the article's address: no URL and no rel=canonical")
    return _row(
        url=address,
        canonical=resolve_canonical(address, page.declared_url),
        feed_url=None,
        title=page.title,
        byline=page.byline,
        published_at=page.published_at,
        raw_text=page.text,
    )


def parse(payload: bytes, url: str | None = None) -> Parsed:
    """A feed's full-text entries, or the article of a page (see the module doc)."""
    if len(payload) > constants.MAX_PAYLOAD_BYTES:
        raise ParseError(
            f"{len(payload):,} bytes is more than a news payload may be "
            f"({constants.MAX_PAYLOAD_BYTES:,})"
        )
    try:
        if _kind(payload) == "feed":
            rows, days = _feed_rows(payload, url)
        else:
            rows = [_page_row(payload, url)]
            days = [r["published_at"].date() for r in rows if r["published_at"]]
    except ParseError:
        raise
    except ValueError as exc:  # a malformed link or date deep in the payload
        raise ParseError(f"unreadable news payload: {exc}") from exc
    return Parsed(
        table=pa.Table.from_pylist(rows, schema=SCHEMA),
        period_start=min(days, default=None),
        period_end=max(days, default=None),
    )


SOURCE = Source(
    name=NAME,
    dataset=DATASET,
    staging=STAGING,
    core_table=CORE_TABLE,
    suffix=SUFFIX,
    precedence=4,  # publishes no observations
    requests=requests,
    follow=follow,
    parse=parse,
)
