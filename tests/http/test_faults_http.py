"""HTTP faults end to end (issue 7, "Faults"): the live profile with the sources pointed at a
server on 127.0.0.1 (tests/httpserver.py), one source served a fault and the others their real
sample payloads, through the real nightly flow under a temporary Prefect API, alerts going to a
local webhook (tests/webhook.py).

A fault ends one of three ways, each checked through everything the refresh leaves behind:

- published: a retry within the fetch succeeded; one fetch landed, the payload published, no
  alert at all;
- fetch_failed: the source fails with a message naming it, the URL and the cause; one alert,
  scoped to the source, recorded in ops.alerts and delivered to the webhook; nothing of the
  source landed, staged or published;
- quarantined: a body came but is not what the source publishes (HTML for a workbook or JSON, a
  page whose encoding cannot be told): landed and kept byte for byte, quarantined with the
  reason, alerted, nothing of it published.

Whatever the fault, the other sources publish and the landing store holds no half-written file.
How tradewh.http itself meets each fault is tests/test_http.py; the deadline it needed against
a server that trickles bytes is tested here first, at the client.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import pytest

from tests.httpserver import Reply, ScriptedServer, scripted_server
from tests.paths import SAMPLE
from tests.warehouses import copy_warehouse
from tests.webhook import Receiver, receiver
from tradewh import warehouse
from tradewh.http import FetchError, HttpClient
from tradewh.ingest import landing
from tradewh.settings import Settings
from tradewh.sources import alfred, census_country, ft900, get_source
from tradewh.sources.ft900.constants import EXHIBIT_FILES
from tradewh.sources.news import constants as news_constants

SECRET = "FRED-KEY-SECRET-123"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 2_000_000  # the sample workbooks are 400 KB at most

PATHS = {
    "census_country": "/foreign-trade/balance/country.xlsx",
    "ft900": "/foreign-trade/Press-Release/current_press_release/exh1.xlsx",
    "alfred": "/fred/series/observations",
    "news": "/business/rss.xml",
}
# The feed's one entry without full text links to this page (its utm_ parameters dropped).
PAGE = "/business/1994/05/19/trade-gap-japan-march-1994"
ROBOTS = "/robots.txt"
# The cheapest good company for each faulty source: two others, each one vintage.
OTHERS = {
    "census_country": ("ft900", "alfred"),
    "ft900": ("alfred", "news"),
    "alfred": ("ft900", "news"),
    "news": ("ft900", "alfred"),
}
ENV = {
    "TRADEWH_PROFILE": "live",
    "TRADEWH_FRED_SERIES": '["BOPGSTB"]',
    "FRED_API_KEY": SECRET,
    "TRADEWH_FRESHNESS_ALERTS": "false",  # the sample data is old: not what this is about
    "TRADEWH_FETCH_TASK_RETRIES": "0",
    "TRADEWH_HTTP_CONNECT_TIMEOUT": "1",
    "TRADEWH_HTTP_READ_TIMEOUT": "0.5",
    "TRADEWH_HTTP_TOTAL_TIMEOUT": "2",
    "TRADEWH_HTTP_MAX_ATTEMPTS": "2",
    "TRADEWH_HTTP_BACKOFF_BASE": "0.01",
    "TRADEWH_HTTP_BACKOFF_MAX": "0.05",
    "TRADEWH_HTTP_MAX_RETRY_AFTER": "5",
    "TRADEWH_HTTP_MAX_BYTES": str(MAX_BYTES),
    "TRADEWH_ALERT_ATTEMPTS": "1",
}

MAINTENANCE = (
    b"<!DOCTYPE html>\n<html lang='en'><head><title>Service unavailable</title></head>"
    b"<body><h1>We'll be back soon</h1><p>This site is down for maintenance.</p></body></html>"
)


def _sidecar(path: Path) -> dict[str, str]:
    return json.loads(path.with_name(path.name + ".headers.json").read_text())


@cache
def _file(name: str) -> bytes:
    return (SAMPLE / name).read_bytes()


def good_replies(base: str) -> dict[str, Reply]:
    """Every address answering with its real sample payload, as the agencies serve them."""
    feed = _file("news/harbor_ledger_business.xml").replace(
        b"https://www.harborledger.example", base.encode()
    )
    sidecar = _sidecar(SAMPLE / "news" / "harbor_ledger_business.xml")
    page = SAMPLE / "news" / "pages" / "www.harborledger.example" / f"{PAGE.rsplit('/')[-1]}.html"
    return {
        PATHS["census_country"]: Reply(
            body=_file("census_country/country_2024-11.xlsx"),
            headers={
                "Content-Type": XLSX,
                **_sidecar(SAMPLE / "census_country" / "country_2024-11.xlsx"),
            },
        ),
        PATHS["ft900"]: Reply(
            body=_file("ft900/exh1_2026-01.xlsx"),
            headers={"Content-Type": XLSX, **_sidecar(SAMPLE / "ft900" / "exh1_2026-01.xlsx")},
        ),
        PATHS["alfred"]: Reply(
            body=_file("alfred/BOPGSTB.json"),
            headers={"Content-Type": "application/json; charset=UTF-8"},
        ),
        PATHS["news"]: Reply(body=feed, headers=sidecar),
        PAGE: Reply(body=page.read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"}),
        # Only the feeds, unless a case says otherwise: each page is one more vintage to validate.
        ROBOTS: Reply(body=b"User-agent: *\nDisallow: /business/1994/\n"),
    }


# --- the faults -------------------------------------------------------------------------------

Outcome = Literal["published", "fetch_failed", "quarantined"]
Plan = Callable[[dict[str, Reply]], dict[str, list[Reply]]]


@dataclass(frozen=True)
class Fault:
    id: str
    source: str
    # What the source's address answers, in order, given its good reply.
    serve: Callable[[Reply], list[Reply]]
    outcome: Outcome
    # A regular expression the failure message or quarantine reason matches.
    cause: str = ""
    # Requests the faulty address gets.
    requests: int = 1
    # Other addresses answering differently (given every good reply): robots.txt, a page.
    more: Plan = lambda good: {}  # noqa: E731
    # The address whose payload is faulty, when not the source's own (a page behind a feed).
    target: str = ""
    env: dict[str, str] = field(default_factory=dict)
    # The least seconds between the first request to the address and the last (Retry-After).
    waited: float = 0.0
    check: Callable[[Settings], None] | None = None
    # The sources served well beside it, when not OTHERS[source].
    others: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return self.target or PATHS[self.source]

    @property
    def healthy(self) -> tuple[str, ...]:
        return self.others or OTHERS[self.source]


def replace(reply: Reply, **changes: object) -> Reply:
    return dataclasses.replace(reply, **changes)  # type: ignore[arg-type]


def cut_off(reply: Reply, keep: int, **changes: object) -> Reply:
    """The first `keep` bytes of the body, with the whole body's Content-Length."""
    return replace(reply, body=reply.body[:keep], content_length=len(reply.body), **changes)


BOMB = gzip.compress(b"\0" * 20_000_000, compresslevel=9)  # 20 KB on the wire, 20 MB decoded

# The page as the charset cases serve it: a byline and a quote outside ASCII.
NAME, QUOTE = "Zoë Ibáñez", "where the dollar bought ¥104 — “a worry,” said Zoë Ibáñez"


def quoted_page(good: Reply) -> str:
    return (
        good.body.decode("utf-8")
        .replace("Ellen Marsh", NAME)
        .replace("Washington and Tokyo.", f"Washington and Tokyo, {QUOTE}.")
    )


def lying_page(good: dict[str, Reply]) -> dict[str, list[Reply]]:
    """The page in UTF-8, declaring shift_jis in its markup and latin-1 in its header; its feed
    with text outside ASCII, served with a Content-Type charset that is not the feed's."""
    page = quoted_page(good[PAGE]).replace('<meta charset="utf-8">', '<meta charset="shift_jis">')
    feed = good[PATHS["news"]].body.replace(b"Marcus Bell", NAME.encode())
    return {
        ROBOTS: [Reply(body=b"User-agent: *\nAllow: /\n")],
        PAGE: [
            Reply(body=page.encode(), headers={"Content-Type": "text/html; charset=iso-8859-1"})
        ],
        PATHS["news"]: [
            Reply(body=feed, headers={"Content-Type": "application/rss+xml; charset=windows-1251"})
        ],
        # ALFRED's JSON under a charset it is not in.
        PATHS["alfred"]: [
            replace(
                good[PATHS["alfred"]], headers={"Content-Type": "application/json; charset=utf-16"}
            )
        ],
    }


def check_lying_page(settings: Settings) -> None:
    rows = dict(query(settings, "SELECT url, byline || ' | ' || text FROM core.news_articles"))
    page = next(text for url, text in rows.items() if url.endswith(PAGE))
    assert page.startswith(f"{NAME} |") and QUOTE in page
    feed = next(text for url, text in rows.items() if not url.endswith(PAGE))
    assert feed.startswith(f"{NAME} |")
    # ALFRED's figures are all there: JSON is read as JSON says, not as the header says.
    assert query(settings, "SELECT count(*) FROM core.observations WHERE source = 'alfred'") == [
        (595,)
    ]


def unknowable_page(good: dict[str, Reply]) -> dict[str, list[Reply]]:
    """The page in shift_jis, a Japanese name in it, declaring utf-8: its bytes read as well in
    Korean or Chinese as in Japanese, and nothing on the (English) page tells which."""
    page = (
        good[PAGE]
        .body.decode("utf-8")
        .replace("Ellen Marsh", "山田太郎")
        .replace("Washington and Tokyo.", "Washington and Tokyo (東京).")
    )
    return {
        ROBOTS: [Reply(body=b"User-agent: *\nAllow: /\n")],
        PAGE: [Reply(body=page.encode("shift_jis"), headers={"Content-Type": "text/html"})],
    }


FAULTS = [
    Fault(
        "slow-headers-trickled",
        "census_country",
        lambda ok: [replace(ok, trickle="headers", trickle_for=4.0, repeat=True)],
        "fetch_failed",
        r"\[timeout\]: the answer's headers were not complete within 1\.5s",
        requests=2,
    ),
    Fault(
        "slow-body-stalls-then-ok",
        "alfred",
        lambda ok: [cut_off(ok, len(ok.body) // 2, hold=1.5), ok],
        "published",
        requests=2,
    ),
    Fault(
        "connection-reset-then-ok",
        "ft900",
        lambda ok: [replace(ok, reset="before"), replace(ok, reset="mid_body"), ok],
        "published",
        requests=3,
        env={"TRADEWH_HTTP_MAX_ATTEMPTS": "3"},
    ),
    Fault(
        "truncated-body",
        "census_country",
        lambda ok: [cut_off(ok, 100_000, repeat=True)],
        "fetch_failed",
        r"failed after 2 attempts \[truncated\]",
        requests=2,
    ),
    Fault(
        "http-500-502-503-then-ok",
        "news",
        lambda ok: [
            Reply(500, b"Internal Server Error"),
            Reply(502, b"Bad Gateway"),
            Reply(503, b"Service Unavailable"),
            ok,
        ],
        "published",
        requests=4,
        env={"TRADEWH_HTTP_MAX_ATTEMPTS": "4"},
    ),
    Fault(
        "429-retry-after-then-ok",
        "ft900",
        lambda ok: [Reply(429, b"Too Many Requests", headers={"Retry-After": "1"}), ok],
        "published",
        requests=2,
        waited=1.0,
    ),
    Fault(
        "redirect-loop",
        "census_country",
        lambda ok: [Reply(302, headers={"Location": PATHS["census_country"]}, repeat=True)],
        "fetch_failed",
        r"failed after 1 attempt \[redirects\]: TooManyRedirects",
        requests=6,
    ),
    Fault(
        "gzip-bomb",
        "alfred",
        lambda ok: [replace(ok, body=BOMB, headers={**ok.headers, "Content-Encoding": "gzip"})],
        "fetch_failed",
        rf"failed after 1 attempt \[too_large\]: body exceeds the limit of {MAX_BYTES} bytes "
        r"\(decoded\)",
    ),
    Fault(
        "html-for-json",
        "alfred",
        lambda ok: [Reply(200, MAINTENANCE, headers={"Content-Type": "text/html"})],
        "quarantined",
        r"alfred: payload \w{12} is not in the expected format: not JSON",
    ),
    Fault(
        "charset-lies",
        "news",
        lambda ok: [ok],
        "published",
        more=lying_page,
        check=check_lying_page,
        others=("alfred",),  # served its JSON under a wrong charset
    ),
    Fault(
        "charset-unknowable",
        "news",
        lambda ok: [ok],
        "quarantined",
        r"news: payload \w{12} is not in the expected format: cannot tell the page's character "
        r"encoding: .*declares utf-8, which does not decode it.*cp932 reads '山田太郎'",
        target=PAGE,
        more=unknowable_page,
        others=("alfred",),
    ),
    # The same faults ending the other way, or another form of them: `make test-slow`.
    *(
        pytest.param(fault, marks=pytest.mark.slow)
        for fault in (
            Fault(
                "slow-headers-then-ok",
                "ft900",
                lambda ok: [replace(ok, delay=1.0), ok],
                "published",
                requests=2,
            ),
            Fault(
                "slow-body-trickled",
                "news",
                lambda ok: [replace(ok, trickle="body", trickle_for=4.0, repeat=True)],
                "fetch_failed",
                r"\[timeout\]: the answer was not complete within 2s",
                requests=2,
            ),
            Fault(
                "connection-reset",
                "alfred",
                lambda ok: [replace(ok, reset="before", repeat=True)],
                "fetch_failed",
                r"failed after 2 attempts \[connection\]",
                requests=2,
            ),
            Fault(
                "http-500",
                "ft900",
                lambda ok: [Reply(500, b"Internal Server Error", repeat=True)],
                "fetch_failed",
                r"failed after 2 attempts \[http_status\]: HTTP 500 Internal Server Error",
                requests=2,
            ),
            Fault(
                "429-retry-after-too-long",
                "alfred",
                lambda ok: [Reply(429, headers={"Retry-After": "3600"}, repeat=True)],
                "fetch_failed",
                r"\[retry_after_too_long\]: HTTP 429 .*Retry-After 3600s exceeds the 5s limit",
            ),
            Fault(
                "oversized-body",
                "ft900",
                lambda ok: [
                    replace(ok, body=ok.body * (MAX_BYTES // len(ok.body) + 1), chunked=True)
                ],
                "fetch_failed",
                rf"\[too_large\]: body exceeds the limit of {MAX_BYTES} bytes",
            ),
            Fault(
                "html-for-xlsx",
                "census_country",
                lambda ok: [Reply(200, MAINTENANCE, headers={"Content-Type": XLSX})],
                "quarantined",
                r"census_country: payload \w{12} is not in the expected format: not a readable "
                r"Excel",
            ),
            Fault(
                "html-for-xlsx-ft900",
                "ft900",
                lambda ok: [Reply(200, MAINTENANCE, headers={"Content-Type": XLSX})],
                "quarantined",
                r"ft900: payload \w{12} is not in the expected format: not an FT-900 Exhibit 1",
            ),
        )
    ),
]


def _id(fault: object) -> str:
    return fault.id if isinstance(fault, Fault) else str(fault)


# --- the client's deadlines --------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as server:
        yield server


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(200, b"x" * 100, trickle="headers"), "headers were not complete within 0.5s"),
        (Reply(200, b"x" * 1000, trickle="body"), "answer was not complete within 0.8s"),
        # Without Content-Length the body ends where the connection does: cut by the deadline,
        # it must not pass for a whole one.
        (Reply(200, b"x" * 1000, trickle="body", omit_length=True), "not complete within 0.8s"),
    ],
    ids=["headers", "body", "body-until-close"],
)
def test_a_server_trickling_bytes_cannot_hold_a_fetch(
    server: ScriptedServer, reply: Reply, reason: str
) -> None:
    # Each byte comes well within the read timeout; the server would go on for 5 s.
    server.plan("/slow", replace(reply, trickle_for=5.0, trickle_interval=0.05, repeat=True))
    client = HttpClient(
        user_agent="tradewh-test",
        connect_timeout=0.1,
        read_timeout=0.4,
        total_timeout=0.8,
        max_attempts=2,
        backoff_base=0.01,
    )
    started = time.monotonic()
    with client, pytest.raises(FetchError) as caught:
        client.get(server.url("/slow"))
    assert time.monotonic() - started < 3.0
    assert caught.value.reason == "timeout"
    assert caught.value.attempts == 2
    assert reason in str(caught.value)


def test_a_slow_but_steady_answer_within_the_deadline_is_whole(server: ScriptedServer) -> None:
    body = bytes(range(256)) * 4
    steady = Reply(200, body, trickle="body", trickle_for=0.6, trickle_interval=0.02, repeat=True)
    server.plan("/steady", steady)
    with HttpClient(user_agent="tradewh-test", read_timeout=1.0, total_timeout=3.0) as client:
        assert client.get(server.url("/steady")).content == body


# --- end to end ---------------------------------------------------------------------------------


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = warehouse.reader(settings)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A migrated empty warehouse to start each case from (migrating a lake costs seconds)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("template"))
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
    return settings


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as hook:
        yield hook


@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize("fault", FAULTS, ids=_id)
def test_http_fault_end_to_end(
    fault: Fault,
    settings: Settings,
    server: ScriptedServer,
    hook: Receiver,
    template: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows.nightly import nightly_refresh

    base = server.base_url
    good = good_replies(base)
    sources = [fault.source, *fault.healthy]
    env = {
        **ENV,
        "TRADEWH_SOURCES": json.dumps(sources),
        "TRADEWH_NEWS_FEEDS": json.dumps([base + PATHS["news"]]),
        "TRADEWH_ALERT_URLS": hook.apprise_url,
        **fault.env,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(census_country, "LIVE_URL", base + PATHS["census_country"])
    monkeypatch.setattr(ft900, "LIVE_URL", base + PATHS["ft900"])
    # The release folder holds Exhibit 1 only here: every other exhibit is not there (no data).
    monkeypatch.setattr(ft900, "CURRENT_URL", base + PATHS["ft900"].replace("exh1", "{file}"))
    monkeypatch.setattr(alfred, "API_URL", base + PATHS["alfred"])
    monkeypatch.setattr(news_constants, "HOST_DELAY", 0.0)
    # The analysts' report (a second of charts per run; tests/test_report.py) is not what
    # faults are about: a placeholder stands in for it.
    monkeypatch.setattr("tradewh.report.write_report", placeholder_report)
    settings = Settings()
    copy_warehouse(template, settings)

    plans = {path: [reply] for path, reply in good.items()}
    plans[PATHS[fault.source]] = fault.serve(good[PATHS[fault.source]])
    plans.update(fault.more(good))
    for path, replies in plans.items():
        server.plan(path, *replies)
    for name in EXHIBIT_FILES[1:]:
        server.plan(PATHS["ft900"].replace("exh1", name), Reply(404, repeat=True))

    state = nightly_refresh(return_state=True)
    summary = state.result(raise_on_failure=False)
    by_source = {s.source: s for s in summary.sources}
    assert list(by_source) == sources
    faulty = by_source[fault.source]

    # The address got what the case planned for it: the retries, and no more.
    seen = server.seen(fault.path)
    assert len(seen) == fault.requests, [s.path for s in seen]
    if fault.waited:
        assert seen[-1].at - seen[0].at >= fault.waited

    # The other sources load whatever happens to this one.
    for other in fault.healthy:
        assert by_source[other].error is None, by_source[other].error
        assert by_source[other].published >= 1 and not by_source[other].failed, other
    _assert_nothing_half_written(settings)

    if fault.outcome == "published":
        assert state.is_completed(), summary.render()
        assert faulty.published >= 1 and not faulty.failed, summary.render()
        # One landed fetch of the address however many tries it took, holding the good bytes.
        [(sha, landed)] = query(
            settings,
            "SELECT sha256, landed_path FROM ops.fetches WHERE source = ? AND url LIKE ?",
            [fault.source, f"%{fault.path}%"],
        )
        assert sha is not None
        content = (settings.landing_dir / landed).read_bytes()
        assert hashlib.sha256(content).hexdigest() == sha
        assert hook.messages == []
        assert query(settings, "SELECT count(*) FROM ops.alerts") == [(0,)]
    else:
        assert state.is_failed()
        assert fault.source in (state.message or "")
        assert summary.failed_sources == [fault.source]
        if fault.outcome == "fetch_failed":
            _assert_fetch_failed(settings, fault, faulty.error or "", hook)
        else:
            assert faulty.quarantined == 1 and faulty.error is None
            _assert_quarantined(settings, fault, plans, hook)
        # Nobody was sent, stored or shown the API key.
        assert all(SECRET not in json.dumps(m) for m in hook.messages)
        assert all(SECRET not in str(row) for row in query(settings, "SELECT * FROM ops.alerts"))
    if fault.check:
        fault.check(settings)


def placeholder_report(settings: Settings) -> Path:
    settings.report_path.parent.mkdir(parents=True, exist_ok=True)
    settings.report_path.write_text("<!DOCTYPE html><title>tradewh</title>")
    return settings.report_path


def _assert_fetch_failed(settings: Settings, fault: Fault, error: str, hook: Receiver) -> None:
    # The message names the source, the URL (its key redacted) and the cause.
    assert error.startswith(f"{fault.source}: GET "), error
    assert re.search(fault.cause, error), error
    url = query(settings, "SELECT url FROM ops.fetches WHERE source = ?", [fault.source])[0][0]
    assert f"GET {url} " in error
    assert url.startswith("http://127.0.0.1:") and fault.path in url
    if fault.source == "alfred":
        assert "api_key=***" in url
    # Recorded as a failed fetch: no sha256, no landed file, the error.
    for sha, landed, recorded in query(
        settings,
        "SELECT sha256, landed_path, error FROM ops.fetches WHERE source = ?",
        [fault.source],
    ):
        assert sha is None and landed is None
        assert re.search(fault.cause, recorded), recorded
    assert not list((settings.landing_dir / fault.source).rglob("*"))
    assert query(
        settings, "SELECT count(*) FROM ops.releases WHERE source = ?", [fault.source]
    ) == [(0,)]
    assert _published(settings, fault.source) == 0
    # One alert, this source's, recorded and delivered.
    assert query(settings, "SELECT alert_key, kind, source, status FROM ops.alerts") == [
        (f"fetch:{fault.source}", "fetch_failed", fault.source, "open")
    ]
    [message] = hook.messages
    assert message["title"] == f"tradewh: fetching {fault.source} failed"
    assert re.search(fault.cause, message["message"]) and url in message["message"]
    _assert_delivered(settings)


def _assert_quarantined(
    settings: Settings, fault: Fault, plans: dict[str, list[Reply]], hook: Receiver
) -> None:
    served = next(r for r in plans[fault.path] if r.status == 200).body
    [(release_id, reason, landed, status, url)] = query(
        settings,
        "SELECT q.release_id, q.reason, q.landed_path, r.status, r.url FROM ops.quarantine AS q "
        "JOIN ops.releases AS r USING (release_id) WHERE q.source = ?",
        [fault.source],
    )
    assert url.startswith("http://127.0.0.1:") and fault.path in url
    assert re.search(fault.cause, reason), reason
    assert status == "quarantined"
    # The raw payload is kept, byte for byte.
    assert (settings.landing_dir / landed).read_bytes() == served
    # Nothing of it published, nor left staged.
    table = _core_table(fault.source)
    assert query(settings, f"SELECT count(*) FROM {table} WHERE release_id = ?", [release_id]) == [
        (0,)
    ]
    staging = f"staging.{get_source(fault.source).staging}"
    assert query(
        settings, f"SELECT count(*) FROM {staging} WHERE release_id = ?", [release_id]
    ) == [(0,)]
    assert query(settings, "SELECT count(*) FROM ops.loads WHERE release_id = ?", [release_id]) == [
        (0,)
    ]
    if fault.path == PATHS[fault.source]:
        assert _published(settings, fault.source) == 0
    assert query(settings, "SELECT alert_key, kind, source, status FROM ops.alerts") == [
        (f"quarantine:{fault.source}", "validation_failed", fault.source, "open")
    ]
    [message] = hook.messages
    assert fault.source in message["title"] and "quarantined" in message["title"]
    assert re.search(fault.cause, message["message"])
    assert f"from {url} was quarantined" in message["message"]
    assert f"Raw payload: {settings.landing_dir / landed}" in message["message"]
    _assert_delivered(settings)


def _assert_delivered(settings: Settings) -> None:
    assert query(
        settings, "SELECT message, channel, delivered FROM ops.alert_deliveries ORDER BY channel"
    ) == [("opened", "apprise:json", True), ("opened", "log", True)]


def _core_table(source: str) -> str:
    return get_source(source).core_table


def _published(settings: Settings, source: str) -> int:
    table = _core_table(source)
    return query(settings, f"SELECT count(*) FROM {table} WHERE source = ?", [source])[0][0]


def _assert_nothing_half_written(settings: Settings) -> None:
    """Every file in the landing store is whole, named by its content's sha256 and recorded;
    no temporary file is left; every vintage is decided."""
    # The journal is the store's own log of what it holds, not a payload: its entries name
    # exactly the payloads recorded.
    journal = settings.landing_dir / landing.JOURNAL_DIR
    files = [
        path
        for path in settings.landing_dir.rglob("*")
        if path.is_file() and not path.is_relative_to(journal)
    ]
    assert not [path for path in files if path.name.startswith(".")], files
    recorded = dict(
        query(
            settings,
            "SELECT DISTINCT landed_path, sha256 FROM ops.fetches WHERE sha256 IS NOT NULL",
        )
    )
    assert sorted(path.relative_to(settings.landing_dir).as_posix() for path in files) == sorted(
        recorded
    )
    for path in files:
        relative = path.relative_to(settings.landing_dir).as_posix()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == recorded[relative]
        assert path.name.startswith(recorded[relative])
    entries = landing.journal_entries(settings.landing_dir)
    assert {str(e["path"]): e["sha256"] for e in entries} == recorded
    assert query(
        settings,
        "SELECT count(*) FROM ops.releases WHERE status NOT IN ('published', 'quarantined')",
    ) == [(0,)]
