"""The news source: safe feeds, article pages and their character encodings, canonical URLs,
robots and pacing, dedupe and near-duplicate groups, BM25 search, and the sample archive end to
end through the pipeline."""

from __future__ import annotations

import codecs
import logging
import time
from pathlib import Path

import pytest

from tests.httpserver import Reply, scripted_server
from tests.paths import ROOT
from tradewh import pipeline, sources, warehouse
from tradewh.http import FetchResult, HttpClient
from tradewh.ingest.landing import LandedPayload, land
from tradewh.settings import Settings
from tradewh.sources import ParseError, news
from tradewh.sources.news import constants
from tradewh.sources.news.charset import decode_page
from tradewh.sources.news.feeds import read_feed
from tradewh.sources.news.fingerprint import similarity
from tradewh.sources.news.urls import canonical_url, resolve_canonical

SAMPLE = ROOT / "tradewh" / "sample" / "news"
PAGES = SAMPLE / "pages"
WIRE_LEDGER = PAGES / "www.harborledger.example" / "trade-gap-japan-march-1994.html"
WIRE_COURIER = PAGES / "www.prairiecourier.example" / "japan-surplus-grows-march.html"
MISQUOTE = PAGES / "www.prairiecourier.example" / "exports-lift-march-trade.html"


@pytest.fixture
def with_news(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline finds sources through the registry, which does not list news yet."""
    known = sources.registry()
    monkeypatch.setattr(sources, "registry", lambda: {**known, news.NAME: news.SOURCE})


def migrated(settings: Settings) -> Settings:
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        warehouse.rebuild_views(con, settings.sql_dir)
    return settings


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = warehouse.reader(settings)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def landed(settings: Settings, url: str, content: bytes) -> LandedPayload:
    result = FetchResult(url, 200, content, None, None, "text/html", 1)
    with warehouse.writer(settings) as con:
        return land(con, settings.landing_dir, news.NAME, url, result, news.SUFFIX)


def ingest_bytes(settings: Settings, url: str, content: bytes) -> pipeline.ReleaseOutcome:
    return pipeline.ingest(settings, news.NAME, landed(settings, url, content))


# -- feeds ------------------------------------------------------------------------------------


def test_real_guardian_feed_is_read_with_its_namespaces(reference_dir: Path) -> None:
    payload = (reference_dir / "news" / "guardian_us_rss_2018-01-31.xml").read_bytes()
    entries = read_feed(payload)
    assert len(entries) == 55
    first = entries[0]
    assert first.title == "Trump State of the Union address promised unity but emphasized discord"
    assert first.published_at is not None
    assert first.published_at.isoformat() == "2018-01-31T07:26:05+00:00"
    assert first.author == "David Smith in Washington"  # dc:creator
    # Summaries only (no content:encoded): every article needs its page, so no rows from the feed.
    assert all(e.content_html is None for e in entries)
    parsed = news.parse(payload, url="https://www.theguardian.com/us/rss")
    assert parsed.table.num_rows == 0
    assert str(parsed.period_end) == "2018-01-31"


def test_full_text_feed_entry_needs_no_page() -> None:
    parsed = news.parse((SAMPLE / "harbor_ledger_business.xml").read_bytes(), url="file:///f.xml")
    [row] = parsed.table.to_pylist()
    assert row["title"] == "China gap grew fastest in 1994 as Japan kept top spot"
    assert row["canonical_url"] == (
        "https://www.harborledger.example/business/1995/02/18/china-gap-grew-fastest-1994"
    )
    assert row["text"].startswith("The U.S. deficit in goods trade with China grew faster")
    assert row["byline"] == "Marcus Bell"
    assert row["language"] == "en"


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rss version="2.0"><channel><title>&i;</title><item><title>x</title>
<link>https://example.org/a</link></item></channel></rss>"""


def quadratic() -> bytes:
    blob = "x" * 50_000
    refs = "&big;" * 50_000
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{blob}">]>'
        f'<rss version="2.0"><channel><title>{refs}</title></channel></rss>'
    ).encode()


def external_entity(secret_file: Path) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title>'
        "<link>https://example.org/a</link><description>&xxe;</description></item>"
        "</channel></rss>"
    ).encode()


@pytest.mark.parametrize("kind", ["billion_laughs", "quadratic", "external_entity"])
def test_hostile_xml_is_refused_fast(kind: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    payload = {
        "billion_laughs": LAUGHS,
        "quadratic": quadratic(),
        "external_entity": external_entity(secret),
    }[kind]
    started = time.monotonic()
    with pytest.raises(ParseError) as caught:
        news.parse(payload, url="https://example.org/feed")
    assert time.monotonic() - started < 2
    assert "TOP-SECRET-CONTENT" not in str(caught.value)


@pytest.mark.parametrize(
    "payload",
    [
        bytes(range(256)) * 64,  # garbage
        b"",
        b"<html><body>\x00\xff\xfe</body></html>",  # a page with no article
        b"<rss version='2.0'><channel><item>",  # truncated feed
        b"<html>" + b"<p>word </p>" * 5_000_000,  # 55 MB: over the payload limit
    ],
    ids=["garbage", "empty", "no-article", "truncated-feed", "50MB-page"],
)
def test_bad_payloads_raise_parse_error(payload: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(ParseError):
        news.parse(payload, url="https://example.org/x")
    assert time.monotonic() - started < 5


# -- addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("https://ex.org/a/b?utm_source=rss&utm_medium=feed", "https://ex.org/a/b"),
        ("https://ex.org/a?id=7&fbclid=IwAR0&gclid=x&CMP=share", "https://ex.org/a?id=7"),
        ("https://ex.org/a?b=2&a=1#comments", "https://ex.org/a?a=1&b=2"),
        ("HTTPS://WWW.Ex.ORG:443/Story", "https://www.ex.org/Story"),
        ("http://ex.org:8080", "http://ex.org:8080/"),
        (
            "https://ex.org/a?mc_cid=1&mc_eid=2&_ga=3&q=trade+deficit",
            "https://ex.org/a?q=trade+deficit",
        ),
        ("https://user:pw@ex.org/a", "https://ex.org/a"),
    ],
)
def test_canonical_url(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical


def test_rel_canonical_wins_over_the_fetched_address() -> None:
    fetched = "https://ex.org/story?utm_source=x"
    assert resolve_canonical(fetched, "/news/story") == "https://ex.org/news/story"
    assert resolve_canonical(fetched, "https://ex.org/s?utm_campaign=y") == "https://ex.org/s"
    assert resolve_canonical(fetched, "javascript:void(0)") == "https://ex.org/story"
    assert resolve_canonical(fetched, None) == "https://ex.org/story"


# -- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "title", "byline", "published", "start"),
    [
        (
            WIRE_LEDGER,
            "Trade gap with Japan widened in March",
            "Ellen Marsh",
            "1994-05-19T17:40:00+00:00",
            "Trade gap with Japan widened in March\nWASHINGTON (MWS) - The United States ran",
        ),
        (
            MISQUOTE,
            "Farm exports help, but trade deficit still deep",
            "Dana Whitlock",
            "1994-05-20T11:30:00+00:00",
            "The nation's trade deficit in goods and services came to $7.64 billion in March",
        ),
    ],
)
def test_article_page_extraction(
    page: Path, title: str, byline: str, published: str, start: str
) -> None:
    [row] = news.parse(page.read_bytes(), url=page.as_uri()).table.to_pylist()
    assert row["title"] == title
    assert row["byline"] == byline
    assert row["published_at"].isoformat() == published
    assert row["text"].startswith(start)
    # Navigation, related links and the footer are not article text.
    assert "Classifieds" not in row["text"] and "Serving the plains" not in row["text"]
    # Read from a file, the page's address is the one it declares.
    assert row["url"] == row["canonical_url"]
    assert row["url"].startswith("https://www.")


# -- character encodings ----------------------------------------------------------------------

# A byline and a sentence outside ASCII, in the wire story's page.
BYLINE = "Zoë Ibáñez"
QUOTE = "where the dollar bought ¥104 — “a worry,” said Zoë Ibáñez"
POLISH = "Wojciech Łukasik"
POLISH_QUOTE = "said the port of Gdańsk — “a record” for Łódź exporters"


def page_in(
    encoding: str,
    *,
    declares: str | None,
    lang: str = "en",
    byline: str = BYLINE,
    quote: str = QUOTE,
    bom: bytes = b"",
) -> bytes:
    html = (
        WIRE_LEDGER.read_text(encoding="utf-8")
        .replace("Ellen Marsh", byline)
        .replace("Washington and Tokyo.", f"Washington and Tokyo, {quote}.")
        .replace('<html lang="en">', f'<html lang="{lang}">')
        .replace('<meta charset="utf-8">', f'<meta charset="{declares}">' if declares else "")
    )
    return bom + html.encode(encoding)


def read(payload: bytes) -> tuple[str, str]:
    [row] = news.parse(payload, url="https://www.harborledger.example/a").table.to_pylist()
    return row["byline"], row["text"]


@pytest.mark.parametrize(
    ("payload", "byline", "quote"),
    [
        # The page lies: UTF-8 bytes under a legacy charset (the known defect: garbled text).
        (page_in("utf-8", declares="shift_jis"), BYLINE, QUOTE),
        (page_in("utf-8", declares="iso-8859-1"), BYLINE, QUOTE),
        (page_in("utf-8", declares="shift_jis", bom=codecs.BOM_UTF8), BYLINE, QUOTE),
        # windows-1252 bytes declaring shift_jis or utf-8: windows-1252 and windows-1250 read
        # them equally well (ñ or ń, ¥ or Ą); an English page is windows-1252.
        (page_in("cp1252", declares="shift_jis"), BYLINE, QUOTE),
        (page_in("cp1252", declares="utf-8"), BYLINE, QUOTE),
        (page_in("cp1252", declares=None), BYLINE, QUOTE),
        # ... and a Polish page's windows-1250 bytes are windows-1250.
        (page_in("cp1250", declares="utf-8", lang="pl", byline=POLISH, quote=POLISH_QUOTE),)
        + (POLISH, POLISH_QUOTE),
        # Honest pages in legacy encodings, labels read as browsers read them (latin-1 is
        # windows-1252: “ and ” are 0x93 and 0x94 there).
        (page_in("cp1252", declares="windows-1252"), BYLINE, QUOTE),
        (page_in("cp1252", declares="iso-8859-1"), BYLINE, QUOTE),
        (
            page_in("cp1250", declares="windows-1250", byline=POLISH, quote=POLISH_QUOTE),
            POLISH,
            POLISH_QUOTE,
        ),
        (
            page_in("shift_jis", declares="shift_jis", byline="山田太郎", quote="東京"),
            "山田太郎",
            "東京",
        ),
    ],
    ids=[
        "utf8-says-shift_jis",
        "utf8-says-latin1",
        "utf8-bom-says-shift_jis",
        "cp1252-says-shift_jis",
        "cp1252-says-utf8",
        "cp1252-says-nothing",
        "cp1250-polish-says-utf8",
        "cp1252-honest",
        "cp1252-labelled-latin1",
        "cp1250-honest",
        "shift_jis-honest",
    ],
)
def test_page_text_is_read_in_its_real_encoding(payload: bytes, byline: str, quote: str) -> None:
    got_byline, text = read(payload)
    assert got_byline == byline
    assert f"Washington and Tokyo, {quote}." in text


def test_a_page_whose_charset_lies_is_read_right_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="tradewh.sources.news")
    read(page_in("utf-8", declares="shift_jis"))
    assert "declares shift_jis but is UTF-8; read as UTF-8" in caplog.text
    caplog.clear()
    read(page_in("cp1252", declares="shift_jis"))
    assert "declares shift_jis, which does not decode it; read as cp1252" in caplog.text
    caplog.clear()
    read(page_in("utf-8", declares="utf-8"))
    assert caplog.text == ""


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        # A Japanese name in shift_jis under a utf-8 label: Japanese or Korean? The page does not
        # say (it is in English).
        (
            page_in("shift_jis", declares="utf-8", byline="山田太郎", quote="東京"),
            "declares utf-8, which does not decode it, and it reads equally well in several "
            "encodings that disagree: cp932 reads '山田太郎', cp949 reads",
        ),
        # A Japanese page whose bytes are windows-1252 or windows-1250: Ibáñez or Ibáńez?
        (
            page_in("cp1252", declares="utf-8", lang="ja"),
            "cp1252 reads 'Ibáñez', cp1250 reads 'Ibáńez'",
        ),
    ],
    ids=["cjk", "western"],
)
def test_a_page_whose_encoding_cannot_be_told_is_refused(payload: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match="cannot tell the page's character encoding") as caught:
        news.parse(payload, url="https://www.harborledger.example/a")
    assert reason in str(caught.value)


def test_decode_page_keeps_what_it_was_told_when_it_is_true() -> None:
    assert decode_page(page_in("cp1252", declares="windows-1252")).encoding == "cp1252"
    assert decode_page(page_in("utf-8", declares="utf-8")).encoding == "utf-8"
    assert decode_page(page_in("utf-8", declares="utf-8")).note is None
    # A pure ASCII page reads the same in whatever it declares: nothing to report.
    ascii_page = WIRE_LEDGER.read_bytes().replace(b'charset="utf-8"', b'charset="shift_jis"')
    assert decode_page(ascii_page).note is None


# -- following feeds: robots.txt and pacing ---------------------------------------------------


def feed_listing(*links: str) -> bytes:
    items = "".join(
        f"<item><title>t{i}</title><link>{link}</link><description>s</description></item>"
        for i, link in enumerate(links)
    )
    return f'<rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode()


def test_follow_respects_robots_and_paces_each_host(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEWH_PROFILE", "live")
    live = migrated(Settings())
    with scripted_server() as server:
        port = server.base_url.rsplit(":", 1)[1]
        first, second = f"http://127.0.0.1:{port}", f"http://localhost:{port}"
        # Asked in this order: the first host's robots.txt, then the second's.
        server.plan(
            "/robots.txt",
            Reply(200, b"User-agent: *\nDisallow: /private/\n"),
            Reply(200, b"User-agent: tradewh\nCrawl-delay: 9\nAllow: /\n"),
        )
        feed = landed(
            live,
            f"{first}/feed.xml",
            feed_listing(
                f"{first}/news/a?utm_source=rss",
                f"{first}/private/b",
                f"{second}/news/c",
                f"{first}/news/a?utm_medium=email",  # the same article again
            ),
        )
        with HttpClient.from_settings(live) as client:
            planned = news.follow(live, [feed], client)
        assert [(r.url, r.delay_before) for r in planned] == [
            (f"{first}/news/a", constants.HOST_DELAY),
            (f"{second}/news/c", 9.0),
        ]
        assert len(server.seen("/robots.txt")) == 2
        assert server.seen("/private/b") == []


def test_follow_skips_pages_fetched_before_and_sample_pages_are_unpaced(
    settings: Settings,
) -> None:
    migrated(settings)
    feed = landed(
        settings, "file:///courier.xml", (SAMPLE / "prairie_courier_economy.xml").read_bytes()
    )
    with HttpClient.from_settings(settings) as client:
        planned = news.follow(settings, [feed], client)
        assert [r.url for r in planned] == [
            MISQUOTE.resolve().as_uri(),
            WIRE_COURIER.resolve().as_uri(),
        ]
        assert {r.delay_before for r in planned} == {0.0}
        landed(settings, planned[0].url, MISQUOTE.read_bytes())
        assert [r.url for r in news.follow(settings, [feed], client)] == [planned[1].url]


# -- dedupe, near-duplicates and corrections --------------------------------------------------


def articles(settings: Settings) -> list[tuple]:
    return query(
        settings,
        "SELECT article_id, canonical_url, duplicate_group, text FROM core.news_articles "
        "ORDER BY article_id",
    )


def test_same_text_twice_is_one_article(settings: Settings, with_news: None) -> None:
    migrated(settings)
    page = WIRE_LEDGER.read_bytes()
    ingest_bytes(settings, "https://www.harborledger.example/a", page)
    # Another payload (a new ad in the footer) with the same article text.
    reskinned = page.replace(b"Subscribe</a>", b"Subscribe today!</a>")
    outcome = ingest_bytes(settings, "https://www.harborledger.example/a?utm_source=x", reskinned)
    assert outcome.status == "published"
    assert len(articles(settings)) == 1


def test_wire_story_in_two_papers_is_one_group(settings: Settings, with_news: None) -> None:
    migrated(settings)
    ingest_bytes(settings, "https://www.harborledger.example/w", WIRE_LEDGER.read_bytes())
    ingest_bytes(settings, "https://www.prairiecourier.example/w", WIRE_COURIER.read_bytes())
    ingest_bytes(settings, "https://www.prairiecourier.example/m", MISQUOTE.read_bytes())
    rows = articles(settings)
    assert len(rows) == 3
    assert [r[2] for r in rows] == [rows[0][0], rows[0][0], rows[2][0]]
    ledger, courier, other = (
        f
        for (f,) in query(
            settings, "SELECT fingerprint FROM core.news_articles ORDER BY article_id"
        )
    )
    assert similarity(ledger, courier) > 0.7 and similarity(ledger, other) < 0.2


def test_correction_is_a_new_row_under_the_same_address(
    settings: Settings, with_news: None
) -> None:
    migrated(settings)
    url = "https://www.prairiecourier.example/news/economy/exports-lift-march-trade"
    ingest_bytes(settings, url, MISQUOTE.read_bytes())
    corrected = MISQUOTE.read_bytes().replace(b"$7.64 billion", b"$7.46 billion")
    ingest_bytes(settings, url, corrected)
    rows = articles(settings)
    assert [r[1] for r in rows] == [url, url]
    assert "$7.64 billion" in rows[0][3] and "$7.46 billion" in rows[1][3]
    # The correction tells the same story: one group.
    assert rows[1][2] == rows[0][0]


# -- end to end and search --------------------------------------------------------------------


def run_news(settings: Settings) -> list[pipeline.ReleaseOutcome]:
    outcomes = []
    for item in pipeline.fetch(settings, news.NAME):
        if isinstance(item, pipeline.NotModified):
            outcomes.append(pipeline.ReleaseOutcome(news.NAME, item.url, "not_modified"))
        else:
            outcomes.append(pipeline.ingest(settings, news.NAME, item))
    return outcomes


def test_sample_archive_end_to_end_then_nothing_new(settings: Settings, with_news: None) -> None:
    migrated(settings)
    first = run_news(settings)
    # Two feeds, then the three pages their summary-only entries link to.
    assert [o.status for o in first] == ["published"] * 5
    assert all(o.checks_failed == 0 for o in first)
    rows = query(
        settings,
        "SELECT title, canonical_url, duplicate_group, language, published_at, fetched_at "
        "FROM core.news_articles ORDER BY article_id",
    )
    assert len(rows) == 4
    assert {r[3] for r in rows} == {"en"}
    assert len({r[2] for r in rows}) == 3  # the wire story's two copies share a group
    assert all(r[1].startswith("https://www.") and "utm_" not in r[1] for r in rows)
    assert query(settings, "SELECT count(*) FROM staging.news_articles") == [(0,)]

    second = run_news(settings)
    assert [o.status for o in second] == ["not_modified"] * 2
    assert query(settings, "SELECT count(*) FROM core.news_articles") == [(4,)]

    with warehouse.writer(settings) as con:
        news.build_search_index(con)
        con.execute("CHECKPOINT")
    hits = query(
        settings,
        "SELECT a.title, s.score FROM core.search_news('Japan deficit') AS s "
        "JOIN core.news_articles AS a USING (article_id) ORDER BY s.score DESC",
    )
    assert "Japan" in hits[0][0] and "March" in hits[0][0]
    assert hits[0][1] > hits[-1][1] > 0
    assert query(settings, "SELECT count(*) FROM core.search_news('zeppelin')") == [(0,)]
