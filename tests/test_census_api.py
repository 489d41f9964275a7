"""The Census International Trade API source: the parser on real captures (../shared/reference),
the months it asks for, and its requests answered by a scripted server on 127.0.0.1 the way
api.census.gov answers (200 JSON, 204 empty, 400 text, 200 HTML for a bad key)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.httpserver import Reply, ScriptedServer, scripted_server
from tradewh.http import FetchError, HttpClient
from tradewh.settings import Settings
from tradewh.sources import OBSERVATION_SCHEMA, Parsed, ParseError, Request, census_api

SECRET = "MADE-UP-CENSUS-KEY-0123456789"
EXPORTS_PATH = "/data/timeseries/intltrade/exports/enduse"

# Made-up figures (not published data) in the API's shape: exports/enduse, every cell a string,
# `time` last; "-" rows are totals, 3 = automotive, 30000 one of its 5-digit subdivisions.
MADE_UP = [
    ["CTY_CODE", "CTY_NAME", "E_ENDUSE", "ALL_VAL_MO", "time"],
    ["-", "TOTAL FOR ALL COUNTRIES", "-", "1000", "2013-01"],
    ["-", "TOTAL FOR ALL COUNTRIES", "3", "300", "2013-01"],
    ["-", "TOTAL FOR ALL COUNTRIES", "30000", "120", "2013-01"],
    ["0003", "EUROPEAN UNION", "-", "400", "2013-01"],
    ["4XXX", "EUROPE", "-", "450", "2013-01"],
    ["5880", "JAPAN", "-", "NULL", "2013-02"],
    ["5880", "JAPAN", "3", "N/A", "2013-02"],
    ["1220", "CANADA", "3", "", "2013-02"],
    ["1220", "CANADA", "0", "77", "2013-02"],
]
# (partner_code, aggregate, commodity_class, commodity_code, value_text, period) per data row.
MADE_UP_READ = [
    ("-", True, "total", "-", "1000", date(2013, 1, 1)),
    ("-", True, "enduse", "3", "300", date(2013, 1, 1)),
    ("-", True, "enduse", "30000", "120", date(2013, 1, 1)),
    ("0003", True, "total", "-", "400", date(2013, 1, 1)),
    ("4XXX", True, "total", "-", "450", date(2013, 1, 1)),
    ("5880", False, "total", "-", None, date(2013, 2, 1)),
    ("5880", False, "enduse", "3", None, date(2013, 2, 1)),
    ("1220", False, "enduse", "3", None, date(2013, 2, 1)),
    ("1220", False, "enduse", "0", "77", date(2013, 2, 1)),
]


def payload(rows: list[list[object]]) -> bytes:
    return json.dumps(rows).encode()


def read(parsed: Parsed) -> list[tuple[object, ...]]:
    columns = (
        "partner_code",
        "partner_is_aggregate",
        "commodity_class",
        "commodity_code",
        "value_text",
        "period",
    )
    return [tuple(row[c] for c in columns) for row in parsed.table.to_pylist()]


# --------------------------------------------------------------------------------------------
# Real captures


def exports_hs_capture(reference_dir: Path) -> bytes:
    return (reference_dir / "census_api" / "bdecon_exports_hs_2020-06_first5rows.json").read_bytes()


def imports_enduse_capture(reference_dir: Path) -> bytes:
    """The vignette's table back in the API's shape: all strings, `time` last (the R client had
    moved it to the front)."""
    path = reference_dir / "census_api" / "censusapi_vignette_imports_enduse_2024-01_head.csv"
    with path.open(newline="") as fh:
        header, *rows = list(csv.reader(fh))
    order = [name for name in header if name != "time"] + ["time"]
    at = [header.index(name) for name in order]
    return payload([order, *([row[i] for i in at] for row in rows)])


# Figures read by hand from the capture files: (CTY_CODE, CTY_NAME, value as published).
CAPTURES = {
    "exports/hs 2020-06": (
        exports_hs_capture,
        "exports",
        date(2020, 6, 1),
        [
            ("-", "TOTAL FOR ALL COUNTRIES", "105043239288"),
            ("0001", "OPEC", "2716015726"),
            ("0003", "EUROPEAN UNION", "16286780529"),
            ("0014", "PACIFIC RIM COUNTRIES", "28538958816"),
        ],
    ),
    # GEN_VAL_MO (general imports) is read; CON_VAL_MO beside it is another measure.
    "imports/enduse 2024-01": (
        imports_enduse_capture,
        "imports",
        date(2024, 1, 1),
        [
            ("-", "TOTAL FOR ALL COUNTRIES", "253796657727"),
            ("0003", "EUROPEAN UNION", "46556315322"),
            ("0014", "PACIFIC RIM COUNTRIES", "79572147272"),
            ("0017", "CAFTA-DR", "2478595066"),
            ("0020", "NAFTA", "71351448154"),
            ("0021", "TWENTY LATIN AMERICAN REPUBLICS", "50116067956"),
        ],
    ),
}


@pytest.mark.parametrize("capture", sorted(CAPTURES))
def test_real_captures(reference_dir: Path, capture: str) -> None:
    load, flow, period, expected = CAPTURES[capture]
    parsed = census_api.parse(load(reference_dir))

    assert parsed.table.schema.equals(OBSERVATION_SCHEMA)
    assert (parsed.period_start, parsed.period_end) == (period, period)
    rows = parsed.table.to_pylist()
    assert [(r["partner_code"], r["partner_name"], r["value_text"]) for r in rows] == expected
    # No end-use variable asked for: every row is the all-commodities total; every partner in
    # these heads is the world total or a group.
    assert {
        (r["flow"], r["commodity_class"], r["commodity_code"], r["partner_is_aggregate"])
        for r in rows
    } == {(flow, "total", "-", True)}
    assert {
        (r["frequency"], r["basis"], r["adjustment"], r["product"], r["unit"], r["row_kind"])
        for r in rows
    } == {("M", "census", "nsa", "goods", "usd", "month")}


# --------------------------------------------------------------------------------------------
# Reading the API's JSON


def test_made_up_response_reads_totals_enduse_and_missing_values() -> None:
    parsed = census_api.parse(payload(MADE_UP))
    assert read(parsed) == MADE_UP_READ
    assert set(parsed.table["flow"].to_pylist()) == {"exports"}
    assert (parsed.period_start, parsed.period_end) == (date(2013, 1, 1), date(2013, 2, 1))


def test_variables_are_found_by_name_in_any_order() -> None:
    header = MADE_UP[0]
    order = ["time", "ALL_VAL_MO", "CTY_NAME", "E_ENDUSE", "CTY_CODE"]
    at = [header.index(name) for name in order]
    shuffled = [[row[i] for i in at] for row in MADE_UP]
    assert census_api.parse(payload(shuffled)).table.equals(
        census_api.parse(payload(MADE_UP)).table
    )


# (header, data row, flow, (commodity_class, commodity_code))
VARIABLES = {
    "no end-use variable: the all-commodities total": (
        ["CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "time"],
        ["5880", "JAPAN", "9", "2024-01"],
        "imports",
        ("total", "-"),
    ),
    "imports end-use": (
        ["CTY_CODE", "CTY_NAME", "I_ENDUSE", "GEN_VAL_MO", "time"],
        ["5880", "JAPAN", "3", "9", "2024-01"],
        "imports",
        ("enduse", "3"),
    ),
    "2016 and before: empty code for the total": (
        ["E_ENDUSE", "ALL_VAL_MO", "CTY_CODE", "CTY_NAME", "time"],
        ["", "9", "5880", "JAPAN", "2016-04"],
        "exports",
        ("total", "-"),
    ),
}


@pytest.mark.parametrize("case", list(VARIABLES))
def test_flow_and_commodity_from_the_variables(case: str) -> None:
    header, row, flow, commodity = VARIABLES[case]
    [parsed] = census_api.parse(payload([header, row])).table.to_pylist()
    assert parsed["flow"] == flow
    assert (parsed["commodity_class"], parsed["commodity_code"]) == commodity


@pytest.mark.parametrize(
    ("code", "aggregate"),
    [
        ("-", True),  # total for all countries
        ("0003", True),  # European Union
        ("0025", True),  # Euro Area
        ("1XXX", True),  # North America
        ("7XXX", True),  # Africa
        ("5880", False),  # Japan
        ("1220", False),  # Canada
        ("2010", False),  # Mexico
    ],
)
def test_totals_and_groups_are_aggregates(code: str, aggregate: bool) -> None:
    rows = [MADE_UP[0], [code, "SOMEWHERE", "-", "1", "2013-01"]]
    [parsed] = census_api.parse(payload(rows)).table.to_pylist()
    assert (parsed["partner_code"], parsed["partner_is_aggregate"]) == (code, aggregate)


@pytest.mark.parametrize("body", [b"", b"  \n"])
def test_no_content_is_an_empty_table(body: bytes) -> None:
    parsed = census_api.parse(body)
    assert parsed.table.num_rows == 0
    assert parsed.table.schema.equals(OBSERVATION_SCHEMA)
    assert (parsed.period_start, parsed.period_end) == (None, None)


def test_header_only_is_an_empty_table() -> None:
    parsed = census_api.parse(payload(MADE_UP[:1]))
    assert parsed.table.num_rows == 0 and parsed.period_end is None


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Invalid Key</title></head><body>"
    b"<p>A valid <em>key</em> must be included with each data API request. You included a key "
    b"with this request, however, it is not valid: " + SECRET.encode() + b"</p></body></html>"
)
BAD_PAYLOADS = {
    "html page": (HTML_PAGE, r"HTML page.*API key.*'Invalid Key'"),
    "error text": (b"error: unknown variable 'FOO'", r"error: unknown variable 'FOO'"),
    "not json": (b"CTY_CODE,CTY_NAME", r"not JSON"),
    "not utf-8": (b"\xff\xfe[]", r"not UTF-8"),
    "too deep": (b"[" * 100_000, r"not JSON"),
    "object": (b'{"error": "x"}', r"array of arrays"),
    "empty array": (b"[]", r"array of arrays"),
    "flat array": (b'["CTY_CODE", "CTY_NAME"]', r"header row"),
    "numeric header": (b"[[1, 2]]", r"header row"),
    "missing variables": (
        payload([["CTY_CODE", "ALL_VAL_MO"]]),
        r"missing from the header row: CTY_NAME, time$",
    ),
    "no value variable": (
        payload([["CTY_CODE", "CTY_NAME", "CON_VAL_MO", "time"]]),
        r"missing from the header row: ALL_VAL_MO or GEN_VAL_MO",
    ),
    "two flows": (
        payload([["CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "GEN_VAL_MO", "time"]]),
        r"ambiguous",
    ),
    "end-use of the other flow": (
        payload([["CTY_CODE", "CTY_NAME", "I_ENDUSE", "ALL_VAL_MO", "time"]]),
        r"I_ENDUSE does not belong with ALL_VAL_MO",
    ),
    "variable twice": (payload([["CTY_CODE", "CTY_CODE", "CTY_NAME", "time"]]), r"twice"),
    "short row": (payload([MADE_UP[0], ["-", "X", "-", "1"]]), r"data row 1 .* 5 cells"),
    "row not an array": (payload([MADE_UP[0], "-"]), r"data row 1"),
    "number cell": (payload([MADE_UP[0], ["-", "X", "-", 1, "2013-01"]]), r"not text"),
    "bad month": (payload([MADE_UP[0], ["-", "X", "-", "1", "2013-13"]]), r"'2013-13'"),
    "year zero": (payload([MADE_UP[0], ["-", "X", "-", "1", "0000-01"]]), r"YYYY-MM"),
    "no time": (payload([MADE_UP[0], ["-", "X", "-", "1", None]]), r"YYYY-MM"),
}


@pytest.mark.parametrize("case", sorted(BAD_PAYLOADS))
def test_bad_payloads_raise_parse_error_only(case: str) -> None:
    body, message = BAD_PAYLOADS[case]
    with pytest.raises(ParseError, match=message) as raised:
        census_api.parse(body)
    assert SECRET not in str(raised.value)


# --------------------------------------------------------------------------------------------
# What to ask for


def years(first: int, last: int) -> list[tuple[date, date]]:
    return [(date(y, 1, 1), date(y, 12, 1)) for y in range(first, last + 1)]


def span(start: tuple[int, int], end: tuple[int, int]) -> tuple[date, date]:
    return date(*start, 1), date(*end, 1)


# (newest_period, today, expected spans). A month can be out RELEASE_LAG_DAYS (33) after its
# end: January 2024 from 4 March 2024, February 2024 (leap year) from 2 April, April from 2 June.
MONTHS_TO_REQUEST = {
    "first load": (None, date(2024, 3, 10), [*years(2010, 2023), span((2024, 1), (2024, 1))]),
    "first load, the day January can be out": (
        None,
        date(2024, 3, 4),
        [*years(2010, 2023), span((2024, 1), (2024, 1))],
    ),
    "first load, the day before": (None, date(2024, 3, 3), years(2010, 2023)),
    "incremental: the newest month again, then the new": (
        date(2024, 1, 1),
        date(2024, 4, 10),
        [span((2024, 1), (2024, 2))],
    ),
    "newest given mid-month": (date(2024, 1, 15), date(2024, 4, 10), [span((2024, 1), (2024, 2))]),
    "nothing new can be out": (date(2024, 2, 1), date(2024, 4, 1), []),
    "newest ahead of what can be out": (date(2024, 6, 1), date(2024, 4, 10), []),
    "year end": (date(2023, 11, 1), date(2024, 2, 10), [span((2023, 11), (2023, 12))]),
    "across the year boundary": (
        date(2023, 12, 1),
        date(2024, 3, 10),
        [span((2023, 12), (2023, 12)), span((2024, 1), (2024, 1))],
    ),
    "April brings the June revision of the three prior years": (
        date(2024, 3, 1),
        date(2024, 6, 10),
        [*years(2021, 2023), span((2024, 1), (2024, 4))],
    ),
    "April can be out: the revision is asked with it": (
        date(2024, 3, 1),
        date(2024, 6, 2),
        [*years(2021, 2023), span((2024, 1), (2024, 4))],
    ),
    "April cannot be out yet": (date(2024, 3, 1), date(2024, 6, 1), []),
    "April loaded: monthly again": (
        date(2024, 4, 1),
        date(2024, 7, 10),
        [span((2024, 4), (2024, 5))],
    ),
    "outage over two Aprils: from the earliest year revised": (
        date(2022, 2, 1),
        date(2024, 6, 10),
        [*years(2019, 2023), span((2024, 1), (2024, 4))],
    ),
    "revision reaching before 2010": (
        date(2012, 3, 1),
        date(2012, 6, 10),
        [*years(2010, 2011), span((2012, 1), (2012, 4))],
    ),
    "before the API's first month can be out": (None, date(2010, 2, 1), []),
}


@pytest.mark.parametrize("case", list(MONTHS_TO_REQUEST))
def test_months_to_request(case: str) -> None:
    newest, today, expected = MONTHS_TO_REQUEST[case]
    assert census_api.months_to_request(newest, today) == expected


@pytest.fixture
def live(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Settings]:
    def make(key: str | None) -> Settings:
        monkeypatch.setenv("TRADEWH_PROFILE", "live")
        if key is None:
            monkeypatch.delenv("CENSUS_API_KEY", raising=False)
        else:
            monkeypatch.setenv("CENSUS_API_KEY", key)
        return Settings()

    return make


def test_sample_profile_asks_for_nothing(settings: Settings) -> None:
    assert settings.profile == "sample"
    assert census_api.requests(settings) == []


@pytest.mark.parametrize("key", [None, SECRET])
def test_live_requests_per_flow_and_year(live: Callable[..., Settings], key: str | None) -> None:
    made = census_api.requests(live(key))
    spans = census_api.months_to_request(None, date.today())
    assert len(made) == 2 * len(spans)

    exports, imports = made[0], made[len(spans)]
    base = "https://api.census.gov/data/timeseries/intltrade"
    assert exports.url == f"{base}/exports/enduse"
    assert imports.url == f"{base}/imports/enduse"
    assert exports.params["get"] == "CTY_CODE,CTY_NAME,E_ENDUSE,ALL_VAL_MO"
    assert imports.params["get"] == "CTY_CODE,CTY_NAME,I_ENDUSE,GEN_VAL_MO"
    assert exports.params["time"] == imports.params["time"] == "from 2010-01 to 2010-12"
    expected_keys = {"get", "time"} | ({"key"} if key else set())
    assert all(set(r.params) == expected_keys for r in made)
    assert all(r.params.get("key") == key for r in made)


def test_live_requests_nothing_when_up_to_date(live: Callable[..., Settings]) -> None:
    assert census_api.requests(live(SECRET), newest_period=date.today().replace(day=1)) == []


# --------------------------------------------------------------------------------------------
# Against a scripted api.census.gov


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as server:
        yield server


@pytest.fixture
def client(live: Callable[..., Settings]) -> Iterator[HttpClient]:
    with HttpClient.from_settings(live(SECRET)) as client:
        yield client


@pytest.fixture
def first_request(live: Callable[..., Settings]) -> Request:
    """The first live request (exports, 2010), whose params go to the scripted server."""
    made = census_api.requests(live(SECRET))
    assert urlsplit(made[0].url).path == EXPORTS_PATH
    return made[0]


def served(server: ScriptedServer, reply: Reply) -> str:
    server.plan(EXPORTS_PATH, reply)
    return server.url(EXPORTS_PATH)


def test_made_up_response_through_the_client(
    server: ScriptedServer, client: HttpClient, first_request: Request
) -> None:
    url = served(server, Reply(200, payload(MADE_UP)))
    result = client.get(url, params=first_request.params)

    assert read(census_api.parse(result.content)) == MADE_UP_READ
    [seen] = server.seen(EXPORTS_PATH)
    assert parse_qs(seen.query) == {
        "get": ["CTY_CODE,CTY_NAME,E_ENDUSE,ALL_VAL_MO"],
        "time": ["from 2010-01 to 2010-12"],
        "key": [SECRET],
    }
    # Sent, but never shown: the URL stored and keyed on, and the one in the result.
    for shown in (client.request_url(url, first_request.params), result.url):
        assert "key=***" in shown and SECRET not in shown


def test_no_content_through_the_client(
    server: ScriptedServer, client: HttpClient, first_request: Request
) -> None:
    result = client.get(served(server, Reply(204)), params=first_request.params)
    assert (result.status, result.content) == (204, b"")
    parsed = census_api.parse(result.content)
    assert parsed.table.num_rows == 0 and parsed.period_start is None


def test_error_400_fails_at_once_with_the_api_text(
    server: ScriptedServer, client: HttpClient, first_request: Request
) -> None:
    url = served(server, Reply(400, b"error: unknown variable 'FOO'", repeat=True))
    with pytest.raises(FetchError) as raised:
        client.get(url, params=first_request.params)
    error = raised.value
    assert (error.status, error.attempts, error.reason) == (400, 1, "http_status")
    assert "error: unknown variable 'FOO'" in str(error)
    assert SECRET not in str(error) and "key=***" in error.url
    assert len(server.seen(EXPORTS_PATH)) == 1


def test_html_page_for_a_bad_key_is_a_parse_error(
    server: ScriptedServer, client: HttpClient, first_request: Request
) -> None:
    reply = Reply(200, HTML_PAGE, headers={"Content-Type": "text/html;charset=utf-8"})
    result = client.get(served(server, reply), params=first_request.params)
    assert result.status == 200
    with pytest.raises(ParseError, match="HTML page.*CENSUS_API_KEY") as raised:
        census_api.parse(result.content)
    assert SECRET not in str(raised.value)
