"""Property tests: no parser and not the claim extractor crashes on arbitrary input.

Each source's parse(bytes, url) either returns a Parsed whose table has the source's schema or
raises ParseError, on arbitrary bytes and on inputs of roughly the right shape with random
contents (the cases a fuzzer of bytes alone rarely reaches). extract_claims never raises, and
each claim's character span is exactly the text it quotes.
"""

from __future__ import annotations

import io
import json
from datetime import date
from types import ModuleType

import pyarrow as pa
import pytest
import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tradewh.claims import extract_claims
from tradewh.sources import (
    OBSERVATION_SCHEMA,
    Parsed,
    ParseError,
    alfred,
    census_api,
    census_country,
    ft900,
    news,
)

# database=None: nothing written into the checkout (.hypothesis/); every run starts afresh.
FAST = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
WORKBOOKS = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
SOURCES: dict[str, tuple[ModuleType, pa.Schema, str]] = {
    "census_country": (census_country, census_country.SCHEMA, "file:///s/country_2024-11.xlsx"),
    "ft900": (ft900, OBSERVATION_SCHEMA, "file:///s/exh1_2021-09.xlsx"),
    "alfred": (alfred, OBSERVATION_SCHEMA, "file:///s/BOPGSTB.json"),
    "census_api": (census_api, OBSERVATION_SCHEMA, "https://api.census.gov/x?time=2024-01"),
    "news": (news, news.SCHEMA, "https://www.corpus.example/news/story"),
}


def parses_or_refuses(source: str, payload: bytes) -> Parsed | None:
    module, schema, url = SOURCES[source]
    try:
        parsed = module.parse(payload, url=url)
    except ParseError:
        return None
    assert isinstance(parsed, Parsed)
    assert parsed.table.schema.equals(schema), parsed.table.schema
    return parsed


# --- arbitrary bytes, and bytes that start like the right format -----------------------------

PREFIXES = {
    "census_country": [b"", b"PK\x03\x04", b"\xef\xbb\xbf"],
    "ft900": [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
    "alfred": [b"", b'{"observations": [', b"\xef\xbb\xbf{"],
    "census_api": [
        b"",
        b'[["CTY_CODE","CTY_NAME","E_ENDUSE","ALL_VAL_MO","time"],',
        b"<",
        b"error:",
    ],
    "news": [b"", b"<?xml version='1.0'?><rss version='2.0'>", b"<!DOCTYPE html><html>", b"<feed>"],
}


@pytest.mark.parametrize("source", sorted(SOURCES))
@FAST
@given(data=st.data())
def test_parse_refuses_arbitrary_bytes_cleanly(source: str, data: st.DataObject) -> None:
    prefix = data.draw(st.sampled_from(PREFIXES[source]), label="prefix")
    body = data.draw(st.binary(max_size=2000), label="body")
    parses_or_refuses(source, prefix + body)


# --- workbooks with random cells -------------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        [
            "CTY_CODE",
            "year",
            "CTYNAME",
            "IJAN",
            "EYR",
            "Period",
            "Balance",
            "Exports",
            "Imports",
            "Exhibit 1. U.S. International Trade",
            "Jan. - Dec.",
            "March",
            "2021",
            "1994",
            "5880",
            "(1) Data are presented on a balance of payments (BOP) basis.",
            "Total",
            "Goods (1)",
        ]
    ),
)


def workbook(sheet: str, grid: list[list[object]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write_number(r, c, value)
    book.close()
    return out.getvalue()


@pytest.mark.parametrize("source", ["census_country", "ft900"])
@WORKBOOKS
@given(
    grid=st.lists(st.lists(CELLS, max_size=12), max_size=15),
    sheet=st.sampled_from(["country", "1", "x"]),
)
def test_parse_refuses_random_workbooks_cleanly(
    source: str, grid: list[list[object]], sheet: str
) -> None:
    parses_or_refuses(source, workbook(sheet, grid))


COUNTRY_HEADER = list(census_country.constants.COLUMNS)
COUNTRY_ROWS = st.lists(st.lists(CELLS, min_size=3, max_size=len(COUNTRY_HEADER) + 2), max_size=6)


@WORKBOOKS
@given(rows=COUNTRY_ROWS)
@example(rows=[[None, 0, None]])
def test_a_country_header_with_random_rows_parses_or_refuses(rows: list[list[object]]) -> None:
    """A real header row with random rows below: past the layout checks, into the row reads."""
    parses_or_refuses("census_country", workbook("country", [COUNTRY_HEADER, *rows]))


FT900_TOP = [
    ["Exhibit 1. U.S. International Trade in Goods and Services"],
    ["Period", "Balance", "", "", "Exports", "", "", "Imports", "", ""],
    ["", *("Total", "Goods (1)", "Services") * 3],
]
FT900_LABELS = st.sampled_from(
    [
        "2021",
        "2099",
        "1899",
        "Jan. - Dec.",
        "Jan. - Sep.",
        "March",
        "March (R)",
        "January",
        "February data as published last month:",
        "",
        "(1) Data are presented on a balance of payments (BOP) basis.",
        "Note",
    ]
)


@WORKBOOKS
@given(rows=st.lists(st.tuples(FT900_LABELS, st.lists(CELLS, max_size=10)), max_size=10))
def test_an_ft900_header_with_random_rows_parses_or_refuses(
    rows: list[tuple[str, list[object]]],
) -> None:
    grid = [*FT900_TOP, *([label, *cells] for label, cells in rows)]
    parses_or_refuses("ft900", workbook("1", grid))


# --- JSON of the right shape with random contents ---------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=10),
    st.sampled_from(["-", "5880", "NULL", "N/A", "", "2024-01", "2099-13", "12a", "1e400"]),
)
API_HEADERS = st.one_of(
    st.just(["CTY_CODE", "CTY_NAME", "E_ENDUSE", "ALL_VAL_MO", "time"]),
    st.just(["CTY_CODE", "CTY_NAME", "I_ENDUSE", "GEN_VAL_MO", "time"]),
    st.lists(st.one_of(st.text(max_size=8), SCALARS), max_size=6),
)


@FAST
@given(
    header=API_HEADERS,
    rows=st.lists(st.lists(SCALARS, min_size=0, max_size=6), max_size=8),
    wrap=st.booleans(),
)
def test_census_api_random_arrays(
    header: list[object], rows: list[list[object]], wrap: bool
) -> None:
    document: object = [header, *rows] if wrap else {"rows": rows}
    parses_or_refuses("census_api", json.dumps(document).encode())


DATES = st.one_of(
    st.dates().map(date.isoformat), st.text(max_size=12), st.sampled_from(["9999-12-31", "."])
)
OBSERVATION = st.fixed_dictionaries(
    {"realtime_start": DATES, "realtime_end": DATES, "date": DATES},
    optional={"value": st.one_of(SCALARS, st.just(".")), "extra": SCALARS},
)


@FAST
@given(
    observations=st.one_of(st.lists(OBSERVATION, max_size=8), SCALARS),
    extra=st.dictionaries(st.sampled_from(["error_code", "error_message", "count"]), SCALARS),
    series=st.sampled_from(["BOPGSTB", "XYZ", ""]),
)
def test_alfred_fred_shaped_random_values(
    observations: object, extra: dict[str, object], series: str
) -> None:
    body = json.dumps({"observations": observations, **extra}).encode()
    module, schema, _ = SOURCES["alfred"]
    for url in (f"file:///s/{series}.json", None, f"https://x/obs?series_id={series}"):
        try:
            parsed = module.parse(body, url=url)
        except ParseError:
            continue
        assert parsed.table.schema.equals(schema)


# --- random XML and HTML for news -------------------------------------------------------------

TAGS = st.sampled_from(
    [
        "rss",
        "channel",
        "item",
        "feed",
        "entry",
        "link",
        "title",
        "pubDate",
        "updated",
        "content:encoded",
        "description",
        "html",
        "body",
        "p",
        "article",
        "h1",
        "meta",
        "x",
    ]
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30).map(
    lambda t: t.replace("&", "&amp;").replace("<", "&lt;")
)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attr, inner: f'<{tag} {attr}="v">{inner}</{tag}>',
        TAGS,
        st.sampled_from(["href", "version", "rel", "content", "datetime", "charset"]),
        st.lists(children, max_size=4).map("".join),
    )


XML = st.recursive(TEXT, element, max_leaves=20)


@FAST
@given(
    prolog=st.sampled_from(
        [
            "",
            "<?xml version='1.0' encoding='UTF-8'?>",
            "<!DOCTYPE html>",
            "<!DOCTYPE rss [<!ENTITY a 'b'>]>",
        ]
    ),
    root=st.sampled_from(["rss", "feed", "html", "rdf:RDF"]),
    inner=XML,
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_news_random_xml(prolog: str, root: str, inner: str, encoding: str) -> None:
    document = f'{prolog}<{root} version="2.0">{inner}</{root}>'
    parses_or_refuses("news", document.encode(encoding, errors="replace"))


# --- the claim extractor ---------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "The",
        "trade",
        "deficit",
        "surplus",
        "with",
        "Japan",
        "China",
        "rose",
        "fell",
        "to",
        "from",
        "$7.46",
        "billion",
        "million",
        "$",
        "7.46",
        "-",
        "%",
        "percent",
        "in",
        "March",
        "1994",
        "last",
        "year",
        "month",
        "exports",
        "imports",
        "goods",
        "services",
        ".",
        ",",
        "\n",
        "record",
        "a",
        "share",
        "of",
        "narrowed",
        "widened",
        "by",
        "1.2",
        "(",
        ")",
        "’",
        "first",
    ]
)
CLAIM_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(WORDS, st.text(max_size=5)), max_size=80).map(" ".join),
)


@settings(max_examples=150, deadline=None, database=None)
@given(
    text=CLAIM_TEXT, published=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2200, 12, 31)))
)
def test_extract_claims_never_raises_and_spans_quote_exactly(
    text: str, published: date | None
) -> None:
    for claim in extract_claims(text, published):
        assert 0 <= claim.start_char < claim.end_char <= len(text)
        assert text[claim.start_char : claim.end_char] == claim.quoted_text


def test_the_word_strategy_reaches_claims() -> None:
    """The property above is not vacuous: text of these words does yield claims."""
    claims = extract_claims("The trade deficit rose to $7.46 billion in March 1994.", None)
    assert claims and claims[0].quoted_text.startswith("$7.46")
