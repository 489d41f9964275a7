"""The Census International Trade API source: the parser on real captures (../shared/reference),
the months it asks for, and its requests answered by a scripted server on 127.0.0.1 the way
api.census.gov answers (200 JSON, 204 empty, 400 text, 200 HTML for a bad key)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.httpserver import Reply, ScriptedServer, scripted_server
from tests.paths import ROOT
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


# --------------------------------------------------------------------------------------------
# Harmonized System detail (exports/hs, imports/hs)

HS_HEADER = ["CTY_CODE", "CTY_NAME", "E_COMMODITY", "ALL_VAL_MO", "COMM_LVL", "time"]
# Made-up figures in the shape of exports/hs?get=CTY_CODE,CTY_NAME,E_COMMODITY,ALL_VAL_MO
# &COMM_LVL=HS10&time=...: the predicate COMM_LVL comes back as a column before time.
HS_ROWS = [
    HS_HEADER,
    ["-", "TOTAL FOR ALL COUNTRIES", "8703230190", "700", "HS10", "2024-01"],
    ["5880", "JAPAN", "8703230190", "500", "HS10", "2024-01"],
    ["1220", "CANADA", "8703230190", "200", "HS10", "2024-01"],
    ["5880", "JAPAN", "0101210010", "NULL", "HS10", "2024-02"],
    ["-", "TOTAL FOR ALL COUNTRIES", "-", "9000", "HS0", "2024-02"],
]

# (header, data row, flow, (commodity_class, commodity_code))
HS_VARIABLES = {
    "exports HS10": (HS_HEADER, HS_ROWS[2], "exports", ("hs", "8703230190")),
    "imports HS6": (
        ["CTY_CODE", "CTY_NAME", "I_COMMODITY", "GEN_VAL_MO", "COMM_LVL", "time"],
        ["5700", "CHINA", "851713", "9", "HS6", "2024-03"],
        "imports",
        ("hs", "851713"),
    ),
    "no COMM_LVL column, variables in another order": (
        ["time", "I_COMMODITY", "GEN_VAL_MO", "CTY_NAME", "CTY_CODE"],
        ["2024-03", "85", "9", "CHINA", "5700"],
        "imports",
        ("hs", "85"),
    ),
    "the all-commodities row": (HS_HEADER, HS_ROWS[5], "exports", ("total", "-")),
    "an empty code is the total too": (
        HS_HEADER,
        ["5880", "JAPAN", "", "1", "HS0", "2016-01"],
        "exports",
        ("total", "-"),
    ),
}


@pytest.mark.parametrize("case", list(HS_VARIABLES))
def test_hs_commodity_codes_are_read_as_class_hs(case: str) -> None:
    header, row, flow, commodity = HS_VARIABLES[case]
    [parsed] = census_api.parse(payload([header, row])).table.to_pylist()
    assert parsed["flow"] == flow
    assert (parsed["commodity_class"], parsed["commodity_code"]) == commodity


HS_BAD_HEADERS = {
    "commodity of the other flow": (
        ["CTY_CODE", "CTY_NAME", "I_COMMODITY", "ALL_VAL_MO", "time"],
        r"I_COMMODITY does not belong with ALL_VAL_MO \(exports\)",
    ),
    "end-use and HS in one response": (
        ["CTY_CODE", "CTY_NAME", "E_ENDUSE", "E_COMMODITY", "ALL_VAL_MO", "time"],
        r"E_ENDUSE and E_COMMODITY in one response: its commodity classification is ambiguous",
    ),
}


@pytest.mark.parametrize("case", list(HS_BAD_HEADERS))
def test_hs_headers_that_do_not_add_up(case: str) -> None:
    header, message = HS_BAD_HEADERS[case]
    with pytest.raises(ParseError, match=message):
        census_api.parse(payload([header]))


def test_hs_is_not_asked_for_unless_opted_in(
    live: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = live(None)
    assert not [r for r in census_api.requests(settings) if r.url.endswith("/hs")]
    monkeypatch.setattr(census_api.asking, "HS_LEVEL", "HS10")
    made = census_api.requests(settings)
    spans = census_api.months_to_request(None, date.today())
    hs = [r for r in made if r.url.endswith("/hs")]
    assert len(made) == 4 * len(spans) and len(hs) == 2 * len(spans)
    base = "https://api.census.gov/data/timeseries/intltrade"
    assert hs[0].url == f"{base}/exports/hs" and hs[len(spans)].url == f"{base}/imports/hs"
    assert hs[0].params == {
        "get": "CTY_CODE,CTY_NAME,E_COMMODITY,ALL_VAL_MO",
        "COMM_LVL": "HS10",
        "time": "from 2010-01 to 2010-12",
    }
    assert hs[len(spans)].params["get"] == "CTY_CODE,CTY_NAME,I_COMMODITY,GEN_VAL_MO"


def test_hs_backfill_and_levels(live: Callable[..., Settings]) -> None:
    settings = live(None)
    made = census_api.requests_for_range(
        settings, date(2024, 1, 1), date(2024, 3, 1), hs_level="HS6"
    )
    assert [(urlsplit(r.url).path.rsplit("/", 2)[-2:], r.params.get("COMM_LVL")) for r in made] == [
        (["exports", "enduse"], None),
        (["imports", "enduse"], None),
        *[(["exports", "hs"], "HS6")] * 3,
        *[(["imports", "hs"], "HS6")] * 3,
    ]
    # HS detail one month a request: a payload never holds more than a month of it.
    assert [r.params["time"] for r in made[2:5]] == ["2024-01", "2024-02", "2024-03"]
    with pytest.raises(ValueError, match="HS11"):
        census_api.requests_for_range(settings, date(2024, 1, 1), date(2024, 3, 1), "HS11")


def test_hs_detail_through_the_pipeline(
    settings: Settings, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Published with its suite (commodity_class hs, the world row the sum of the countries),
    and kept out of the partner balances, which read the all-commodities rows only."""
    from tests.ingest.test_pipeline import migrated, query
    from tradewh import pipeline, warehouse

    monkeypatch.setenv("TRADEWH_PROFILE", "live")
    monkeypatch.setattr(census_api.asking, "BASE_URL", server.url("/data/timeseries/intltrade"))
    settings = migrated(Settings())
    server.plan(
        "/data/timeseries/intltrade/exports/hs", Reply(body=api_layout(HS_ROWS), repeat=True)
    )
    [request] = [
        r
        for r in census_api.requests_for_range(
            settings, date(2024, 1, 1), date(2024, 1, 1), hs_level="HS10"
        )
        if r.url.endswith("/exports/hs")
    ]
    with HttpClient.from_settings(settings) as client:
        landed = pipeline.fetch_one(settings, client, census_api.SOURCE, request)
    outcome = pipeline.ingest(settings, "census_api", landed)
    assert (outcome.status, outcome.checks_failed, outcome.rows_published) == ("published", 0, 4)
    with warehouse.writer(settings) as con:
        warehouse.rebuild_views(con, settings.sql_dir)
    assert query(
        settings,
        "SELECT commodity_class, commodity_code, partner_code, value_musd FROM core.observations "
        "ORDER BY commodity_class, commodity_code, partner_code",
    ) == [
        ("hs", "8703230190", "-", Decimal("0.0007")),
        ("hs", "8703230190", "1220", Decimal("0.0002")),
        ("hs", "8703230190", "5880", Decimal("0.0005")),
        ("total", "-", "-", Decimal("0.009")),
    ]
    assert query(settings, "SELECT partner_code, exports_musd FROM marts.balance_monthly") == [
        ("-", Decimal("0.009"))
    ]


# --------------------------------------------------------------------------------------------
# The fast reading of large payloads (DuckDB's JSON reader) against the reference (json.loads)


def api_layout(rows: list[list[object]], ascii_only: bool = True) -> bytes:
    """The API's own layout: compact, one row per line."""
    lines = [json.dumps(row, separators=(",", ":"), ensure_ascii=ascii_only) for row in rows]
    return ("[" + ",\n".join(lines) + "]").encode()


def reference_or_error(body: bytes) -> Parsed | str:
    try:
        return census_api.parse_reference(body)
    except ParseError as exc:
        return f"ParseError: {exc}"


def same(a: Parsed | str, b: Parsed | str) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return (
        a.table.equals(b.table)
        and a.table.schema.equals(OBSERVATION_SCHEMA)
        and (a.period_start, a.period_end) == (b.period_start, b.period_end)
    )


def with_cell(rows: list[list[object]], row: int, column: int, value: object) -> list[list[object]]:
    changed = [list(r) for r in rows]
    changed[row][column] = value
    return changed


# Payloads the fast reading takes: it must give exactly what json.loads and the loop give.
FAST = {
    "end-use: totals, groups, NULL, N/A and empty values": api_layout(MADE_UP),
    "HS10 with COMM_LVL": api_layout(HS_ROWS),
    "variables in another order": api_layout(
        [[row[i] for i in (5, 3, 0, 2, 1, 4)] for row in HS_ROWS]
    ),
    "no commodity variable": api_layout(
        [["CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "time"], ["5880", "JAPAN", "9", "2024-01"]]
    ),
    "null cells where nulls are read": api_layout(
        with_cell(with_cell(with_cell(HS_ROWS, 1, 1, None), 2, 3, None), 3, 2, None)
    ),
    "a null partner code": api_layout(with_cell(HS_ROWS, 2, 0, None)),
    "values with blanks, lower-case null, a sign": api_layout(
        with_cell(with_cell(with_cell(HS_ROWS, 1, 3, " 12 "), 2, 3, "null"), 3, 3, "-5")
    ),
    "a value not a number (the suite's to refuse)": api_layout(with_cell(HS_ROWS, 1, 3, "12a")),
    "a name with a comma and non-ASCII letters": api_layout(
        with_cell(HS_ROWS, 2, 1, "CÔTE D'IVOIRE, RÉP."), ascii_only=False
    ),
    "a trailing newline": api_layout(HS_ROWS) + b"\n",
    "a byte-order mark": b"\xef\xbb\xbf" + api_layout(HS_ROWS),
    "an unread cell of blanks and commas": api_layout(with_cell(HS_ROWS, 1, 4, " HS, 10 , ")),
}


@pytest.mark.parametrize("case", list(FAST))
def test_fast_reading_equals_the_reference(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = FAST[case]
    fast = census_api.parse_fast(body)
    assert fast is not None, "the fast reading declined a payload in the API's layout"
    assert same(fast, census_api.parse_reference(body))
    # Read where it lies, its bytes checked in blocks that cut rows and characters anywhere.
    landed = tmp_path / "landed.json"
    landed.write_bytes(body)
    monkeypatch.setattr(census_api.fast_reader, "_SCAN_BLOCK", 7)
    from_file = census_api.parse_fast_path(landed)
    assert from_file is not None
    assert same(from_file, census_api.parse_reference(body))


# Payloads the fast reading must decline (DuckDB reads them differently from json.loads, or
# they are not in the API's layout); parse then answers exactly as the reference does.
DECLINED = {
    "a trailing comma inside a row (DuckDB accepts it)": api_layout(HS_ROWS).replace(
        b'"HS10","2024-01"]', b'"HS10","2024-01",]', 1
    ),
    "a number where text is read": api_layout(with_cell(HS_ROWS, 1, 3, 700)),
    "a number in a column not read": api_layout(with_cell(HS_ROWS, 1, 4, 10)),
    "NaN in a column not read": api_layout(HS_ROWS).replace(b'"HS10"', b"NaN", 1),
    "true where text is read": api_layout(with_cell(HS_ROWS, 1, 0, True)),
    "a nested array of one string": api_layout(with_cell(HS_ROWS, 1, 4, ["HS10"])),
    "a nested array of no string": api_layout(with_cell(HS_ROWS, 1, 4, [1])),
    "an object": api_layout(with_cell(HS_ROWS, 1, 4, {"a": "b"})),
    "vertical tab between rows (DuckDB skips it)": api_layout(HS_ROWS).replace(
        b",\n", b",\x0b\n", 1
    ),
    "form feed between rows": api_layout(HS_ROWS).replace(b",\n", b",\x0c", 1),
    "blanks between cells (json.dumps' default layout)": json.dumps(HS_ROWS).encode(),
    "an escaped quote": api_layout(with_cell(HS_ROWS, 2, 1, 'JAPAN "NIPPON"')),
    "an escaped non-ASCII letter": api_layout(with_cell(HS_ROWS, 2, 1, "CÔTE")),
    "a null row": api_layout([*HS_ROWS[:2], None, *HS_ROWS[2:]]),  # type: ignore[list-item]
    "a short row": api_layout([*HS_ROWS[:2], HS_ROWS[2][:5], *HS_ROWS[3:]]),
    "a month that is not one": api_layout(with_cell(HS_ROWS, 3, 5, "2024-13")),
    "a null month": api_layout(with_cell(HS_ROWS, 3, 5, None)),
    "header only": api_layout(HS_ROWS[:1]),
    "a header that is not one": api_layout([[1, 2], ["a", "b"]]),
    "a bad header": api_layout([["CTY_CODE", "CTY_NAME"], ["a", "b"]]),
    "truncated": api_layout(HS_ROWS)[:-10],
    "two documents": api_layout(HS_ROWS) + b"\n" + api_layout(HS_ROWS),
    "an object at the top": json.dumps({"rows": HS_ROWS}).encode(),
    "not UTF-8": api_layout(HS_ROWS).replace(b"JAPAN", b"JAP\xffN", 1),
    "HTML": b"<html><body>Invalid Key</body></html>",
    "a bracket inside text (not counted apart)": api_layout(with_cell(HS_ROWS, 2, 1, "A [B]")),
}


@pytest.mark.parametrize("case", list(DECLINED))
def test_fast_reading_declines_what_it_cannot_read_exactly(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = DECLINED[case]
    assert census_api.parse_fast(body) is None
    landed = tmp_path / "landed.json"
    landed.write_bytes(body)
    monkeypatch.setattr(census_api.fast_reader, "_SCAN_BLOCK", 7)
    assert census_api.parse_fast_path(landed) is None
    monkeypatch.setattr(census_api, "FAST_PARSE_MIN_BYTES", 0)
    for parse in (lambda: census_api.parse(body), lambda: census_api.parse_path(landed)):
        try:
            answer: Parsed | str = parse()
        except ParseError as exc:
            answer = f"ParseError: {exc}"
        assert same(answer, reference_or_error(body))


def test_parse_reads_large_payloads_the_fast_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above FAST_PARSE_MIN_BYTES parse goes through DuckDB, below through json.loads; both
    give the same table."""
    rows = [HS_HEADER] + [
        [f"{1000 + p}", f"PARTNER {p}", f"{8703230000 + c}", str(p * c), "HS10", "2024-01"]
        for p in range(40)
        for c in range(600)
    ]
    body = api_layout(rows)
    assert len(body) > census_api.FAST_PARSE_MIN_BYTES
    calls: list[bytes] = []
    real = census_api.parse_reference
    monkeypatch.setattr(census_api, "parse_reference", lambda b: calls.append(b) or real(b))
    parsed = census_api.parse(body)
    assert calls == [] and parsed.table.num_rows == 24_000
    assert same(parsed, real(body))


# --------------------------------------------------------------------------------------------
# Its suite on a large batch: only the columns it reads, dates however DuckDB hands them over


def test_the_suite_reads_only_the_columns_it_names() -> None:
    from tradewh.ingest.validation import columns_read

    raw = json.loads((ROOT / "expectations" / "census_api.json").read_text())
    assert columns_read(raw) == {
        "period",
        "partner_code",
        "flow",
        "commodity_class",
        "commodity_code",
        "value_is_number",
        "trade_value_musd",
        "world_gap_musd",
    }
    table_level = {"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": []}}
    assert columns_read({**raw, "expectations": [*raw["expectations"], table_level]}) is None
    conditional = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "flow"}}
    conditional["kwargs"]["row_condition"] = 'partner_code=="-"'
    assert columns_read({**raw, "expectations": [conditional]}) is None


def test_the_suite_gives_one_verdict_on_dates_as_timestamps_or_as_dates() -> None:
    """DuckDB's .df() hands DATE over as datetime64[us]; through Arrow, as Python dates."""
    import pandas as pd

    from tradewh.ingest.validation import validate_frame

    periods = [date(2024, 1, 1), date(2024, 2, 1), date(2099, 1, 1)]  # the last in the future
    frame = {
        "period": periods,
        "partner_code": ["5880", "1220", "5880"],
        "partner_name": ["JAPAN", "CANADA", "JAPAN"],
        "flow": ["exports"] * 3,
        "commodity_class": ["hs"] * 3,
        "commodity_code": ["8703230190"] * 3,
        "value_is_number": [True] * 3,
        "trade_value_musd": [1.0, 2.0, 3.0],
        "world_gap_musd": [None, None, None],
    }
    suite = ROOT / "expectations" / "census_api.json"
    parameters = {"max_period": "2026-01-01T00:00:00"}
    as_dates = validate_frame(pd.DataFrame(frame), "census_api", suite, parameters)
    stamps = pd.DataFrame(frame).assign(
        period=lambda f: pd.to_datetime(f["period"]).astype("datetime64[us]")
    )
    as_stamps = validate_frame(stamps, "census_api", suite, parameters)
    assert as_dates.failures_json() == as_stamps.failures_json()
    assert (as_dates.evaluated, as_dates.passed) == (as_stamps.evaluated, as_stamps.passed)
    [failure] = as_dates.failures
    assert (failure.column, failure.unexpected_count) == ("period", 1)
    assert "2099-01-01" in failure.describe()
