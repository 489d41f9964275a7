"""The ALFRED source: real FRED answers, the HTTP path over a local server, the sample archive."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.httpserver import Reply, ScriptedServer, scripted_server
from tradewh.http import FetchError, HttpClient
from tradewh.sample.build import SAMPLE_DIR
from tradewh.sample.build_alfred import build
from tradewh.settings import Settings
from tradewh.sources import OBSERVATION_SCHEMA, ParseError, Request, alfred

# Shaped like a real key (32 lowercase alphanumerics) so redaction cannot pass by luck.
FAKE_KEY = "0123456789abcdef0123456789abcdef"
API_PATH = "/fred/series/observations"
SAMPLE_FILE = SAMPLE_DIR / "alfred" / "BOPGSTB.json"
BAD_SERIES_MESSAGE = "Invalid value for variable series_id"


def api_url(series_id: str) -> str:
    """The address as the pipeline stores it: redacted."""
    return f"https://api.stlouisfed.org{API_PATH}?series_id={series_id}&api_key=***"


def answer(*observations: tuple[str, str, str, str]) -> bytes:
    """A FRED observations answer (keys as FRED sends them) holding (start, end, date, value)."""
    rows = [
        {"realtime_start": start, "realtime_end": end, "date": day, "value": value}
        for start, end, day, value in observations
    ]
    document = {
        "realtime_start": "1776-07-04",
        "realtime_end": "9999-12-31",
        "observation_start": "1600-01-01",
        "observation_end": "9999-12-31",
        "units": "lin",
        "output_type": 1,
        "file_type": "json",
        "order_by": "observation_date",
        "sort_order": "asc",
        "count": len(rows),
        "offset": 0,
        "limit": 100000,
        "observations": rows,
    }
    return json.dumps(document, separators=(",", ":")).encode()


def rows_for(table, day: str) -> list[dict]:
    return [row for row in table.to_pylist() if row["period"] == date.fromisoformat(day)]


@pytest.fixture
def fixtures(reference_dir: Path) -> Path:
    return reference_dir / "fred" / "fredr_fixtures"


# --- parse: real FRED answers ---------------------------------------------------------------

# Read by hand from observations_GNPCA_limit20_2020-05-19.json (every row current 2020-05-19 only).
GNPCA_ROWS = [
    (0, date(1929, 1, 1), "1120.076"),
    (10, date(1939, 1, 1), "1230.22"),
    (16, date(1945, 1, 1), "2337.63"),
    (19, date(1948, 1, 1), "2134.291"),
]


@pytest.mark.parametrize(("index", "period", "value"), GNPCA_ROWS)
def test_real_page_rows_read_by_hand(fixtures: Path, index: int, period: date, value: str) -> None:
    payload = (fixtures / "observations_GNPCA_limit20_2020-05-19.json").read_bytes()
    parsed = alfred.parse(payload, url=api_url("GNPCA"))
    assert parsed.table.schema == OBSERVATION_SCHEMA
    assert parsed.table.num_rows == 20  # the page FRED sent (count 91, limit 20)
    assert (parsed.period_start, parsed.period_end) == (date(1929, 1, 1), date(1948, 1, 1))
    row = parsed.table.to_pylist()[index]
    assert (row["period"], row["value_text"]) == (period, value)
    assert row["vintage_start"] == row["vintage_end"] == date(2020, 5, 19)
    # A series we hold no description of keeps its id and nothing it would be published under.
    assert row["series_id"] == "GNPCA"
    assert [row[c] for c in ("flow", "product", "basis", "adjustment", "unit")] == [None] * 5


@pytest.mark.parametrize("url", [api_url("BOPGSTB"), None])
def test_real_empty_answer_is_an_empty_table(fixtures: Path, url: str | None) -> None:
    payload = (fixtures / "observations_GNPCA_empty_obsstart2050.json").read_bytes()
    parsed = alfred.parse(payload, url=url)
    assert parsed.table.num_rows == 0
    assert parsed.table.schema == OBSERVATION_SCHEMA
    assert parsed.period_start is None and parsed.period_end is None


def test_real_error_body_is_a_parse_error_with_freds_message(fixtures: Path) -> None:
    payload = (fixtures / "error_400_bad_series_id.json").read_bytes()
    with pytest.raises(ParseError, match=f"error 400: Bad Request.  {BAD_SERIES_MESSAGE}"):
        alfred.parse(payload, url=api_url("BOPGSTB"))


# --- parse: rows, series, malformed answers -------------------------------------------------


def test_known_series_row_in_full() -> None:
    payload = answer(("2026-02-05", "9999-12-31", "2025-12-01", "-331215.0"))
    [row] = alfred.parse(payload, url=api_url("BOPTIMP")).table.to_pylist()
    assert row == {
        "period": date(2025, 12, 1),
        "frequency": "M",
        "basis": "bop",
        "adjustment": "sa",
        "product": "goods_and_services",
        "flow": "imports",
        "partner_code": "-",
        "partner_name": "All countries",
        "partner_is_aggregate": True,
        "commodity_class": "total",
        "commodity_code": "-",
        "value_text": "-331215.0",
        "unit": "musd",
        "series_id": "BOPTIMP",
        "row_kind": "observation",
        "revised": None,
        "vintage_start": date(2026, 2, 5),
        "vintage_end": date(9999, 12, 31),
    }


def test_missing_values_are_skipped() -> None:
    payload = answer(
        ("2026-01-07", "9999-12-31", "1992-01-01", "-2026"),
        ("2026-01-07", "9999-12-31", "1992-02-01", "."),
        ("2026-01-07", "9999-12-31", "1992-03-01", "-2641"),
    )
    parsed = alfred.parse(payload, url=api_url("BOPGSTB"))
    assert parsed.table.column("value_text").to_pylist() == ["-2026", "-2641"]
    assert (parsed.period_start, parsed.period_end) == (date(1992, 1, 1), date(1992, 3, 1))


@pytest.mark.parametrize(
    ("url", "series_id", "flow"),
    [
        (api_url("BOPTEXP"), "BOPTEXP", "exports"),
        (api_url("BOPGSTB").replace("***", FAKE_KEY), "BOPGSTB", "balance"),
        ((SAMPLE_DIR / "alfred" / "BOPTIMP.json").as_uri(), "BOPTIMP", "imports"),
        ("file:///tmp/sample%20copy/alfred/BOPGSTB.json", "BOPGSTB", "balance"),
        (api_url("UNRATE"), "UNRATE", None),
    ],
)
def test_series_comes_from_the_address(url: str, series_id: str, flow: str | None) -> None:
    payload = answer(("2026-01-07", "9999-12-31", "2025-01-01", "1"))
    [row] = alfred.parse(payload, url=url).table.to_pylist()
    assert (row["series_id"], row["flow"]) == (series_id, flow)


@pytest.mark.parametrize(
    ("url", "given"),
    [(None, "no URL"), (f"https://api.stlouisfed.org{API_PATH}?api_key=***", "without series_id")],
)
def test_rows_of_an_unnamed_series_are_refused(url: str | None, given: str) -> None:
    payload = answer(("2026-01-07", "9999-12-31", "2025-01-01", "-128801.0"))
    with pytest.raises(ParseError, match=f"which series.*{given}"):
        alfred.parse(payload, url=url)


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        (b"<html>Service Unavailable</html>", "not JSON"),
        (b"\xff\xfe\x00garbage", "not JSON"),
        (b"[]", "not an object"),
        (b'{"error_code": 429}', "error 429: no message"),
        (b'{"count": 0}', "not a FRED observations answer"),
        (b'{"observations": {"date": "2025-01-01"}}', "not a FRED observations answer"),
        (b'{"observations": [{"date": "2025-01-01", "value": "1"}]}', "not a FRED observations"),
        (
            b'{"observations": [{"realtime_start": "2026-01-07", "realtime_end": "9999-12-31", '
            b'"date": "2025-01-01", "value": 1}]}',
            "not a FRED observations answer",
        ),
        (answer(("2026-01-07", "9999-12-31", "2025-13-01", "1")), "date is not a date"),
        (answer(("yesterday", "9999-12-31", "2025-01-01", "1")), "realtime_start is not a date"),
    ],
)
def test_malformed_answers_are_parse_errors(payload: bytes, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        alfred.parse(payload, url=api_url("BOPGSTB"))


# --- requests ---------------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as server:
        yield server


@pytest.fixture
def live(settings: Settings, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("TRADEWH_PROFILE", "live")
    monkeypatch.setenv("FRED_API_KEY", FAKE_KEY)
    monkeypatch.setattr(alfred, "API_URL", server.url(API_PATH))
    return Settings()


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def client(live: Settings, waits: list[float]) -> Iterator[HttpClient]:
    with HttpClient(
        user_agent="tradewh-test/1.0", max_attempts=3, secrets=live.secrets(), sleep=waits.append
    ) as client:
        yield client


def test_live_requests_one_per_series_with_the_key_only_in_params(
    live: Settings, client: HttpClient
) -> None:
    requests = alfred.requests(live)
    assert [r.params["series_id"] for r in requests] == ["BOPGSTB", "BOPTEXP", "BOPTIMP"]
    for request in requests:
        assert request.params["api_key"] == FAKE_KEY
        assert request.params["realtime_start"] == "1776-07-04"
        assert request.params["realtime_end"] == "9999-12-31"
        assert request.params["file_type"] == "json"
        assert request.params["limit"] == "100000"
        assert FAKE_KEY not in request.url
        shown = client.request_url(request.url, request.params)
        assert FAKE_KEY not in shown and "api_key=***" in shown
        assert f"series_id={request.params['series_id']}" in shown


@pytest.mark.parametrize("key", [None, "", "   "])
def test_live_without_a_key_is_a_config_error(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, key: str | None
) -> None:
    monkeypatch.setenv("TRADEWH_PROFILE", "live")
    if key is not None:
        monkeypatch.setenv("FRED_API_KEY", key)
    with pytest.raises(alfred.SourceConfigError, match="FRED_API_KEY"):
        alfred.requests(Settings())


def test_sample_requests_the_archived_series_in_configured_order(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert alfred.requests(settings) == [Request(SAMPLE_FILE.resolve().as_uri())]

    for name in ("BOPTIMP.json", "BOPGSTB.json", "NOTES.txt"):
        (tmp_path / "alfred").mkdir(exist_ok=True)
        (tmp_path / "alfred" / name).write_bytes(answer())
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(tmp_path))
    monkeypatch.setenv("TRADEWH_FRED_SERIES", '["BOPTIMP", "BOPTEXP", "BOPGSTB"]')
    uris = [r.url for r in alfred.requests(Settings())]
    assert uris == [(tmp_path / "alfred" / f"{s}.json").as_uri() for s in ("BOPTIMP", "BOPGSTB")]


# --- the HTTP path, over a real local server ------------------------------------------------


def test_429_with_retry_after_then_the_answer(
    live: Settings, server: ScriptedServer, client: HttpClient, waits: list[float]
) -> None:
    body = answer(("2026-02-22", "2026-03-14", "2025-12-01", "-70311.0"))
    server.plan(API_PATH, Reply(429, b"Too Many Requests", {"Retry-After": "7"}), Reply(200, body))
    [request, *_] = alfred.requests(live)

    result = client.get(request.url, params=request.params)

    assert waits == [7.0]
    assert [f"api_key={FAKE_KEY}" in seen.query for seen in server.seen(API_PATH)] == [True, True]
    [row] = alfred.parse(result.content, url=result.url).table.to_pylist()
    assert (row["series_id"], row["value_text"]) == ("BOPGSTB", "-70311.0")


def test_400_is_a_fetch_error_with_freds_message_and_never_the_key(
    live: Settings,
    server: ScriptedServer,
    client: HttpClient,
    waits: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # urllib3's debug lines print request paths too
    message = f"Bad Request.  {BAD_SERIES_MESSAGE}."
    body = json.dumps({"error_code": 400, "error_message": message}, separators=(",", ":"))
    server.plan(API_PATH, Reply(400, body.encode(), {"Content-Type": "application/json"}))
    [request, *_] = alfred.requests(live)

    with pytest.raises(FetchError) as raised:
        client.get(request.url, params=request.params)

    error = raised.value
    assert (error.status, error.reason, error.attempts, waits) == (400, "http_status", 1, [])
    assert BAD_SERIES_MESSAGE in str(error)
    assert "api_key=***" in str(error) and "api_key=***" in error.url
    logged = [caplog.text, *(record.getMessage() for record in caplog.records)]
    assert all(FAKE_KEY not in text for text in [str(error), error.url, *logged])


def test_sample_answer_through_the_client(settings: Settings) -> None:
    [request] = alfred.requests(settings)
    with HttpClient(user_agent="tradewh-test/1.0") as client:
        result = client.get(request.url)
    parsed = alfred.parse(result.content, url=result.url)
    assert set(parsed.table.column("series_id").to_pylist()) == {"BOPGSTB"}
    assert (parsed.period_start, parsed.period_end) == (date(1992, 1, 1), date(2026, 6, 1))


# --- the sample archive ---------------------------------------------------------------------


def test_sample_is_rebuilt_byte_for_byte(reference_dir: Path, tmp_path: Path) -> None:
    [rebuilt] = build(reference_dir, tmp_path)
    assert rebuilt == tmp_path / "alfred" / "BOPGSTB.json"
    assert rebuilt.read_bytes() == SAMPLE_FILE.read_bytes()


# (value, vintage_start, vintage_end) in vintage order; see ../shared/reference/README.md.
SAMPLE_VINTAGES = {
    "1994-03-01": [("-6466", "2022-04-30", "9999-12-31")],
    "2025-12-01": [
        ("-70311", "2026-02-22", "2026-03-14"),
        ("-72900", "2026-03-15", "2026-06-13"),
        ("-76078", "2026-06-14", "9999-12-31"),
    ],
    "2025-01-01": [
        ("-128801", "2026-01-07", "2026-02-21"),
        ("-128344", "2026-02-22", "2026-03-14"),
        ("-128331", "2026-03-15", "2026-06-13"),
        ("-124704", "2026-06-14", "9999-12-31"),
    ],
}


@pytest.fixture(scope="module")
def sample_table():
    return alfred.parse(SAMPLE_FILE.read_bytes(), url=SAMPLE_FILE.as_uri()).table


@pytest.mark.parametrize("day", sorted(SAMPLE_VINTAGES))
def test_sample_vintages(sample_table, day: str) -> None:
    found = [
        (Decimal(r["value_text"]), r["vintage_start"], r["vintage_end"])
        for r in rows_for(sample_table, day)
    ]
    expected = [
        (Decimal(value), date.fromisoformat(start), date.fromisoformat(end))
        for value, start, end in SAMPLE_VINTAGES[day]
    ]
    assert found == expected


def test_sample_vintages_follow_each_other_without_gaps(sample_table) -> None:
    by_period: dict[date, list[dict]] = {}
    for row in sample_table.to_pylist():
        by_period.setdefault(row["period"], []).append(row)
    assert len(by_period) == 414  # 1992-01 … 2026-06
    for rows in by_period.values():
        assert rows[-1]["vintage_end"] == date(9999, 12, 31)
        for before, after in zip(rows, rows[1:], strict=False):
            assert (after["vintage_start"] - before["vintage_end"]).days == 1
            assert after["value_text"] != before["value_text"]
