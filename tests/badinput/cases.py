"""The bad-input corpus: one row per malformed payload, what is wrong with it, how it is made and
what the pipeline must do with it.

Each `make(tmp)` returns the files of a one-off sample archive (path under TRADEWH_SAMPLE_DIR ->
bytes) or, for census_api (served live from tests/httpserver.py), endpoint path -> body or
Reply. `target` is the file (or endpoint) whose payload the case is about, when a case fetches
several (a news feed and the page it links to).

Outcomes:
    quarantined             ingest's outcome is quarantined; `reason` is a substring of its message
    fetch_error             fetch raised SourceFetchError; `reason` is a substring of it
    published_with_warning  published with a warning expectation failed (`reason` in one)
    published               published cleanly: the damage is one the layout tolerates
    no_data                 an empty 200 body: recorded in ops.fetches, nothing landed
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import xlsxwriter
from python_calamine import CalamineWorkbook

from tests.httpserver import Reply
from tradewh.sources.census_country.workbook import read_rows

SAMPLE = Path(__file__).resolve().parents[2] / "tradewh" / "sample"
COUNTRY = SAMPLE / "census_country" / "country_2024-11.xlsx"
FT900 = SAMPLE / "ft900" / "exh1_2021-09.xlsx"
ALFRED = SAMPLE / "alfred" / "BOPGSTB.json"

Outcome = Literal["quarantined", "fetch_error", "published_with_warning", "published", "no_data"]
Files = dict[str, "bytes | Reply"]


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    wrong: str
    make: Callable[[Path], Files]
    outcome: Outcome
    reason: str
    target: str = ""
    env: dict[str, str] = field(default_factory=dict)
    # A string that must reach no table of the warehouse (a file an XXE would read).
    forbidden: str | None = None
    # Set when the code does not do what it should: the case runs as xfail(strict=True).
    xfail: str | None = None
    slow: bool = False


# --- workbooks ----------------------------------------------------------------------------


def workbook(sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> bytes:
    """An .xlsx of the given sheets (name, grid); numbers as numbers, everything else as text."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    for name, grid in sheets:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


@cache
def _country() -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]:
    header, rows = read_rows(COUNTRY.read_bytes())
    return tuple(header), tuple(tuple(r) for r in rows)


def country_grid() -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the newest sample country file, as fresh lists to damage."""
    header, rows = _country()
    return list(header), [list(r) for r in rows]


def japan_1994(header: list[str], rows: list[list[Any]]) -> list[Any]:
    return next(r for r in rows if str(r[1]) == "5880" and str(r[0]) == "1994")


def country(
    change: Callable[[list[str], list[list[Any]]], Any] | None = None,
    above: int = 0,
    before: Sequence[str] = (),
    sheet: str = "country",
) -> Callable:
    def make(tmp: Path) -> Files:
        header, rows = country_grid()
        if change:
            change(header, rows)
        grid = [["Title line"]] * above + [header, *rows]
        extra = [(name, [["not the data"]]) for name in before]
        return {"census_country/country_9999-01.xlsx": workbook([*extra, (sheet, grid)])}

    return make


def country_bytes(content: bytes) -> Callable:
    return lambda tmp: {"census_country/country_9999-01.xlsx": content}


def set_cell(column: str, value: Any) -> Callable:
    def change(header: list[str], rows: list[list[Any]]) -> None:
        japan_1994(header, rows)[header.index(column)] = value

    return change


def negative_value(header: list[str], rows: list[list[Any]]) -> None:
    row = japan_1994(header, rows)
    i = header.index("IMAR")
    row[header.index("IYR")] -= row[i] + 5.0
    row[i] = -5.0


def rename(old: str, new: str) -> Callable:
    def change(header: list[str], rows: list[list[Any]]) -> None:
        header[header.index(old)] = new

    return change


def drop_column(name: str) -> Callable:
    def change(header: list[str], rows: list[list[Any]]) -> None:
        i = header.index(name)
        del header[i]
        for row in rows:
            del row[i]

    return change


def extra_column(header: list[str], rows: list[list[Any]]) -> None:
    header.append("NOTE")
    for row in rows:
        row.append("see footnote")


def duplicated_row(header: list[str], rows: list[list[Any]]) -> None:
    rows.append(list(japan_1994(header, rows)))


def future_year(header: list[str], rows: list[list[Any]]) -> None:
    row = list(japan_1994(header, rows))
    row[0] = "2099"
    rows.append(row)


def every_year(value: str) -> Callable:
    def change(header: list[str], rows: list[list[Any]]) -> None:
        for row in rows:
            row[header.index("year")] = value

    return change


def csv_text(bom: bool = False) -> bytes:
    header, rows = country_grid()
    lines = [",".join(header)] + [",".join(str(c) for c in r) for r in rows[:50]]
    return (b"\xef\xbb\xbf" if bom else b"") + "\n".join(lines).encode()


# --- FT-900 ---------------------------------------------------------------------------------

MARCH_2021 = 40  # the row of March 2021 in FT900's sheet (0-based)


def ft900_grid() -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(FT900))
    return [list(r) for r in book.get_sheet_by_name("1").to_python(skip_empty_area=False)]


def ft900(change: Callable[[list[list[Any]]], Any]) -> Callable:
    def make(tmp: Path) -> Files:
        grid = ft900_grid()
        change(grid)
        return {"ft900/exh1_9999-01.xlsx": workbook([("1", grid)])}

    return make


def ft900_set(row: int, column: int, value: Any) -> Callable:
    def change(grid: list[list[Any]]) -> None:
        grid[row][column] = value

    return change


def ft900_drop_lines(prefix: str) -> Callable:
    def change(grid: list[list[Any]]) -> None:
        grid[:] = [r for r in grid if not str(r[0]).startswith(prefix)]

    return change


def ft900_duplicate_month(grid: list[list[Any]]) -> None:
    grid.insert(MARCH_2021 + 1, list(grid[MARCH_2021]))


def ft900_future(grid: list[list[Any]]) -> None:
    for row in grid:
        if str(row[0]) in ("2019", "2020", "2021"):
            row[0] = str(int(row[0]) + 80)


def ft900_shift(row: int, column: int, delta: float) -> Callable:
    def change(grid: list[list[Any]]) -> None:
        grid[row][column] += delta

    return change


# --- FT-900 exhibits beyond Exhibit 1 (the August 2021 release of the sample) ------------------


def exhibit_grid(name: str) -> tuple[str, list[list[Any]]]:
    book = CalamineWorkbook.from_path(str(SAMPLE / "ft900" / f"{name}_2021-08.xlsx"))
    sheet = book.sheet_names[0]
    return sheet, [list(r) for r in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)]


def exhibit(name: str, change: Callable[[list[list[Any]]], Any]) -> Callable:
    def make(tmp: Path) -> Files:
        sheet, grid = exhibit_grid(name)
        change(grid)
        return {f"ft900/{name}_9999-01.xlsx": workbook([(sheet, grid)])}

    return make


def last_row(grid: list[list[Any]], label: str) -> list[Any]:
    """The last row labelled so (the imports block, the newest year)."""
    return [r for r in grid if r and str(r[0]).strip() == label][-1]


def shift_cell(label: str, column: int, delta: float) -> Callable:
    def change(grid: list[list[Any]]) -> None:
        last_row(grid, label)[column] += delta

    return change


def set_labelled(label: str, column: int, value: Any) -> Callable:
    def change(grid: list[list[Any]]) -> None:
        last_row(grid, label)[column] = value

    return change


def retitle(title: str) -> Callable:
    def change(grid: list[list[Any]]) -> None:
        for row in grid:
            if row and str(row[0]).startswith("Exhibit "):
                row[0] = title
                return

    return change


# --- census_enduse ------------------------------------------------------------------------------

ENDUSE = SAMPLE / "census_enduse" / "enduse_imports_2026-02.xlsx"


def enduse(change: Callable[[list[list[Any]]], Any]) -> Callable:
    def make(tmp: Path) -> Files:
        book = CalamineWorkbook.from_path(str(ENDUSE))
        grid = [list(r) for r in book.get_sheet_by_name("EnduseImp").to_python()]
        change(grid)
        return {"census_enduse/enduse_imports_9999-01.xlsx": workbook([("EnduseImp", grid)])}

    return make


def enduse_set(row: int, column: int, value: Any) -> Callable:
    def change(grid: list[list[Any]]) -> None:
        grid[row][column] = value

    return change


# --- ALFRED -------------------------------------------------------------------------------


def alfred_document() -> dict[str, Any]:
    return json.loads(ALFRED.read_bytes())


def alfred(
    change: Callable[[dict[str, Any]], Any] | None = None,
    series: str = "BOPGSTB",
    raw: Callable[[bytes], bytes] | None = None,
) -> Callable:
    def make(tmp: Path) -> Files:
        document = alfred_document()
        if change:
            change(document)
        body = json.dumps(document).encode()
        return {f"alfred/{series}.json": raw(body) if raw else body}

    return make


def alfred_first(**fields: str) -> Callable:
    def change(document: dict[str, Any]) -> None:
        document["observations"][0].update(fields)

    return change


def alfred_all_missing(document: dict[str, Any]) -> None:
    for observation in document["observations"]:
        observation["value"] = "."


def alfred_duplicate(document: dict[str, Any]) -> None:
    document["observations"].append(dict(document["observations"][0]))


FRED_ERROR = {
    "error_code": 400,
    "error_message": "Bad Request.  The value for variable api_key is not registered.",
}


# --- Census API ---------------------------------------------------------------------------

EXPORTS = "exports/enduse"
API_HEADER = ["CTY_CODE", "CTY_NAME", "E_ENDUSE", "ALL_VAL_MO", "time"]
API_ROWS = [
    ["-", "TOTAL FOR ALL COUNTRIES", "-", "3000000000", "2024-01"],
    ["5880", "JAPAN", "-", "1000000000", "2024-01"],
    ["1220", "CANADA", "-", "2000000000", "2024-01"],
]


def api_json(rows: list[Any], header: list[Any] | None = None) -> bytes:
    return json.dumps([header or API_HEADER, *rows]).encode()


def api(body: bytes | Reply) -> Callable:
    return lambda tmp: {EXPORTS: body}


def api_rows(change: Callable[[list[list[str]]], Any]) -> Callable:
    def make(tmp: Path) -> Files:
        rows = [list(r) for r in API_ROWS]
        change(rows)
        return {EXPORTS: api_json(rows)}

    return make


def api_set(row: int, column: int, value: Any) -> Callable:
    def change(rows: list[list[Any]]) -> None:
        rows[row][column] = value

    return change


# --- news ---------------------------------------------------------------------------------

HOST = "www.corpus.example"
ARTICLE = (
    "The nation's deficit in goods and services trade narrowed to $7.46 billion in March "
    "from $8.9 billion in February, the Commerce Department said on Thursday, as exports "
    "of farm goods and aircraft rose faster than imports of cars and oil. "
) * 2


def rss(items: str, prolog: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + prolog + '<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Corpus</title><link>https://{HOST}/</link><description>d</description>"
        f"{items}</channel></rss>"
    ).encode()


def item(name: str, content: str | None = ARTICLE, date: str | None = None) -> str:
    body = f"<content:encoded><![CDATA[<p>{content}</p>]]></content:encoded>" if content else ""
    when = f"<pubDate>{date}</pubDate>" if date else ""
    return (
        f"<item><title>Trade gap narrows</title><link>https://{HOST}/news/{name}</link>"
        f"{when}<description>Summary.</description>{body}</item>"
    )


DATE = "Fri, 20 May 1994 11:30:00 GMT"


def feed(content: bytes) -> Callable:
    return lambda tmp: {"news/feed.xml": content}


def page_case(page: Callable[[Path], bytes], name: str = "story") -> Callable:
    """A feed whose one entry has no full text, and the page it links to."""

    def make(tmp: Path) -> Files:
        return {
            "news/feed.xml": rss(item(name, content=None, date=DATE)),
            f"news/pages/{HOST}/{name}.html": page(tmp),
        }

    return make


def html(
    text: str, charset: str = "utf-8", encoding: str = "utf-8", headline: str = "Trade gap narrows"
) -> bytes:
    heading = f"<h1>{headline}</h1>" if headline else ""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">'
        f"<title>Trade gap narrows</title>"
        f'<link rel="canonical" href="https://{HOST}/news/story">'
        '<meta property="article:published_time" content="1994-05-20T11:30:00+00:00">'
        f"</head><body><article>{heading}<p>{text}</p></article></body></html>"
    ).encode(encoding)


def big_page(tmp: Path) -> bytes:
    filler = "<p>" + "trade " * 1000 + "</p>\n"
    body = filler * (50 * 1024 * 1024 // len(filler) + 1)
    return html(ARTICLE)[: -len(b"</body></html>")] + body.encode() + b"</body></html>"


BILLION_LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)


def xxe(tmp: Path) -> Files:
    secret = tmp / "secret.txt"
    secret.write_text("TOP-SECRET-XXE-MARKER")
    prolog = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    return {"news/feed.xml": rss(item("leak", content="&xxe;", date=DATE), prolog)}


# --- the table ----------------------------------------------------------------------------

CC = "census_country"
VALUE_NOT_NULL = "expect_column_values_to_not_be_null on value_musd"
BETWEEN_VALUE = "expect_column_values_to_be_between on value_musd"
BETWEEN_PERIOD = "expect_column_values_to_be_between on period"
UNIQUE = "expect_compound_columns_to_be_unique"
ROW_COUNT = "expect_table_row_count_to_be_between"
NOT_A_NUMBER = "expect_column_values_to_be_in_set on value_is_number"
TRADE_VALUE = "expect_column_values_to_be_between on trade_value_musd"
NOT_WORKBOOK = "not a readable Excel workbook"

CASES: list[Case] = [
    # census_country ------------------------------------------------------------------------
    Case(
        "cc-renamed-column",
        CC,
        "IJAN renamed IJANUARY",
        country(rename("IJAN", "IJANUARY")),
        "quarantined",
        "columns missing from the country sheet: IJAN",
    ),
    Case(
        "cc-missing-column",
        CC,
        "EYR column dropped",
        country(drop_column("EYR")),
        "quarantined",
        "columns missing from the country sheet: EYR",
    ),
    Case(
        "cc-extra-column",
        CC,
        "an extra text column NOTE at the end",
        country(extra_column),
        "published",
        "",
    ),
    Case(
        "cc-header-moved-down-3",
        CC,
        "three title rows above the header",
        country(above=3),
        "published",
        "",
    ),
    Case(
        "cc-header-moved-down-30",
        CC,
        "header on row 31, past the search window",
        country(above=30),
        "quarantined",
        "no header row with CTY_CODE in the first 20 rows",
    ),
    Case(
        "cc-extra-sheet-first",
        CC,
        "a sheet 'notes' before 'country'",
        country(before=["notes"]),
        "published",
        "",
    ),
    Case(
        "cc-no-country-sheet",
        CC,
        "the data sheet is named Sheet1",
        country(sheet="Sheet1"),
        "quarantined",
        "no sheet named 'country'",
    ),
    Case(
        "cc-text-in-value",
        CC,
        "'(X)' in Japan 1994 IMAR",
        country(set_cell("IMAR", "(X)")),
        "quarantined",
        VALUE_NOT_NULL,
    ),
    Case(
        "cc-text-in-year",
        CC,
        "year '1994a' on Japan's row",
        country(set_cell("year", "1994a")),
        "quarantined",
        "expect_column_values_to_not_be_null on period",
    ),
    Case(
        "cc-negative-value",
        CC,
        "Japan 1994 IMAR -5 (annual adjusted)",
        country(negative_value),
        "quarantined",
        BETWEEN_VALUE,
    ),
    Case(
        "cc-nan-value",
        CC,
        "'NaN' in Japan 1994 EJAN",
        country(set_cell("EJAN", "NaN")),
        "quarantined",
        VALUE_NOT_NULL,
    ),
    Case(
        "cc-absurd-value",
        CC,
        "1e15 $M in Japan 1994 EFEB",
        country(set_cell("EFEB", 1e15)),
        "quarantined",
        VALUE_NOT_NULL,
    ),
    Case(
        "cc-duplicated-key",
        CC,
        "Japan 1994 row twice",
        country(duplicated_row),
        "quarantined",
        f"{UNIQUE} on period,partner_code,flow",
    ),
    Case(
        "cc-future-year",
        CC,
        "a Japan row for 2099",
        country(future_year),
        "quarantined",
        BETWEEN_PERIOD,
    ),
    Case("cc-empty-file", CC, "0 bytes", country_bytes(b""), "quarantined", NOT_WORKBOOK),
    Case(
        "cc-csv-as-xlsx",
        CC,
        "a CSV named .xlsx",
        lambda tmp: country_bytes(csv_text())(tmp),
        "quarantined",
        NOT_WORKBOOK,
    ),
    Case(
        "cc-bom-csv",
        CC,
        "a BOM-prefixed CSV named .xlsx",
        lambda tmp: country_bytes(csv_text(bom=True))(tmp),
        "quarantined",
        NOT_WORKBOOK,
    ),
    Case(
        "cc-truncated-xlsx",
        CC,
        "the workbook cut in half",
        lambda tmp: country_bytes(country()(tmp)[f"{CC}/country_9999-01.xlsx"][:20000])(tmp),
        "quarantined",
        NOT_WORKBOOK,
    ),
    Case(
        "cc-no-readable-year",
        CC,
        "every year cell 'n/a' (partner codes present)",
        country(every_year("n/a")),
        "quarantined",
        "no data row has a readable year",
    ),
    # ft900 ---------------------------------------------------------------------------------
    Case(
        "ft900-missing-title",
        "ft900",
        "no 'Exhibit 1.' title line",
        ft900(ft900_drop_lines("Exhibit 1.")),
        "quarantined",
        "no sheet titled 'Exhibit 1.'",
    ),
    Case(
        "ft900-text-in-figure",
        "ft900",
        "'n.a.' for March 2021 goods exports",
        ft900(ft900_set(MARCH_2021, 5, "n.a.")),
        "quarantined",
        "exports goods is not a number: 'n.a.'",
    ),
    Case(
        "ft900-empty-workbook",
        "ft900",
        "a workbook with one empty sheet",
        lambda tmp: {"ft900/exh1_9999-01.xlsx": workbook([("1", [])])},
        "quarantined",
        "no sheet titled 'Exhibit 1.'",
    ),
    Case(
        "ft900-duplicated-month",
        "ft900",
        "the March 2021 line twice",
        ft900(ft900_duplicate_month),
        "quarantined",
        "'March' appears twice in 2021",
    ),
    Case(
        "ft900-negative-exports",
        "ft900",
        "March 2021 services exports -20000",
        ft900(ft900_set(MARCH_2021, 6, -20000.0)),
        "quarantined",
        TRADE_VALUE,
    ),
    Case(
        "ft900-balance-identity",
        "ft900",
        "March 2021 balance 500 off exports - imports",
        ft900(ft900_shift(MARCH_2021, 1, 500.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-no-bop-footnote",
        "ft900",
        "footnote (1) removed",
        ft900(ft900_drop_lines("(1)")),
        "quarantined",
        "no footnote saying goods are on a BOP basis",
    ),
    Case(
        "ft900-future-years",
        "ft900",
        "year headings 2099-2101",
        ft900(ft900_future),
        "quarantined",
        BETWEEN_PERIOD,
    ),
    Case(
        "ft900-absurd-value",
        "ft900",
        "1e15 $M March 2021 total exports (and balance)",
        ft900(ft900_set(MARCH_2021, 4, 1e15)),
        "quarantined",
        VALUE_NOT_NULL,
    ),
    Case(
        "ft900-csv",
        "ft900",
        "plain text named .xlsx",
        lambda tmp: {"ft900/exh1_9999-01.xlsx": b"Period,Balance\n2021-03,-72222\n"},
        "quarantined",
        NOT_WORKBOOK,
    ),
    # ft900 exhibits (one family each at least) ---------------------------------------------
    Case(
        "ft900-autos-partners-sum",
        "ft900",
        "Exhibit 18: Japan's August 2021 imports of motor vehicles 4,390 -> 5,390",
        exhibit("exh18", shift_cell("Japan", 1, 1000.0)),
        "quarantined",
        "expect_column_values_to_be_between on partner_gap_musd",
    ),
    Case(
        "ft900-autos-parts-sum",
        "ft900",
        "Exhibit 18: Japan's August 2021 imports of passenger cars +500 (not in its total)",
        exhibit("exh18", shift_cell("Japan", 4, 500.0)),
        "quarantined",
        "expect_column_values_to_be_between on parts_gap_musd",
    ),
    Case(
        "ft900-partners-balance-identity",
        "ft900",
        "Exhibit 14: Japan's August 2021 balance 100 off exports - imports",
        exhibit("exh14", shift_cell("Japan", 1, 100.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-partners-figure-in-flag-cell",
        "ft900",
        "Exhibit 14: a figure typed into the July (R) flag column (the two-cell header)",
        exhibit("exh14", set_labelled("Japan", 2, -6286.0)),
        "quarantined",
        "'(R)' is not a number",
    ),
    Case(
        "ft900-partners-unknown-country",
        "ft900",
        "supplemental country table: a country renamed 'Atlantis'",
        exhibit("exh4s", set_labelled("Zambia", 0, "Atlantis")),
        "published",
        "",
    ),
    Case(
        "ft900-enduse-category-sum",
        "ft900",
        "Exhibit 6: August 2021 capital goods imports +500 (categories no longer add up)",
        exhibit("exh6", shift_cell("August", 6, 500.0)),
        "quarantined",
        "expect_column_values_to_be_between on parts_gap_musd",
    ),
    Case(
        "ft900-enduse-year-to-date",
        "ft900",
        "Exhibit 13: 2021 year-to-date imports of foods +1,000 (not the sum of its months)",
        exhibit("exh13", shift_cell("Jan. - Aug.", 4, 1000.0)),
        "quarantined",
        "expect_column_values_to_be_between on ytd_gap_musd",
    ),
    Case(
        "ft900-enduse-line-without-category",
        "ft900",
        "Exhibit 8: the 'Foods, feeds, and beverages' heading renamed",
        exhibit("exh8", set_labelled("Foods, feeds, and beverages", 0, "Food")),
        "quarantined",
        "is not under an end-use category",
    ),
    Case(
        "ft900-petroleum-balance-identity",
        "ft900",
        "Exhibit 9: August 2021 petroleum balance +300",
        exhibit("exh9", shift_cell("August", 3, 300.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-petroleum-fractional-thousands",
        "ft900",
        "Exhibit 17: crude oil imports of August 2021 in thousands of dollars with a fraction",
        exhibit("exh17", set_labelled("August", 5, 12669425.5)),
        "quarantined",
        "thousand dollars is not a whole number",
    ),
    Case(
        "ft900-enduse-exports-line",
        "ft900",
        "Exhibit 7: August 2021 exports of corn +1,000 (foods no longer add up)",
        exhibit("exh7", shift_cell("Corn", 1, 1000.0)),
        "quarantined",
        "expect_column_values_to_be_between on parts_gap_musd",
    ),
    Case(
        "ft900-nsa-goods-balance",
        "ft900",
        "Exhibit 12: August 2021 Census-basis balance +500 (not exports - imports)",
        exhibit("exh12", shift_cell("August", 2, 500.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-partners-2020-balance",
        "ft900",
        "Exhibit 14a: Japan's August 2020 balance 100 off exports - imports",
        exhibit("exh14a", shift_cell("Japan", 1, 100.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-partners-sa-imports",
        "ft900",
        "Exhibit 19: Japan's seasonally adjusted August 2021 imports +1,000",
        exhibit("exh19", shift_cell("Japan", 1, 1000.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-partners-bop-goods-and-services",
        "ft900",
        "Exhibit 20: Canada's imports of goods and services, first quarter 2020, +1,000",
        exhibit("exh20", shift_cell("Canada", 1, 1000.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-partners-bop-goods",
        "ft900",
        "Exhibit 20a: Canada's imports of goods, first quarter 2020, +1,000",
        exhibit("exh20a", shift_cell("Canada", 1, 1000.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-partners-bop-services",
        "ft900",
        "Exhibit 20b: Canada's imports of services, first quarter 2020, +1,000",
        exhibit("exh20b", shift_cell("Canada", 1, 1000.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-partners-2020-supplemental",
        "ft900",
        "supplemental country table for 2020 (Exhibit 4a): Albania's August balance +100",
        exhibit("exh4as", shift_cell("Albania", 1, 100.0)),
        "quarantined",
        "expect_column_values_to_be_between on identity_gap_musd",
    ),
    Case(
        "ft900-exhibit-not-read",
        "ft900",
        "an exhibit tradewh does not read (retitled Exhibit 15)",
        exhibit("exh6", retitle("Exhibit 15. U.S. Trade in Goods by Principal Commodities")),
        "quarantined",
        "exhibit 15 ('Exhibit 15. U.S. Trade in Goods by Principal Commodities') is not one",
    ),
    # census_enduse ---------------------------------------------------------------------------
    Case(
        "enduse-letters-in-code",
        "census_enduse",
        "END_USE 'ABCDE' on the first data row",
        enduse(enduse_set(1, 2, "ABCDE")),
        "quarantined",
        "'ABCDE' is not a 5-digit code",
    ),
    Case(
        "enduse-negative-imports",
        "census_enduse",
        "a negative value on the first data row",
        enduse(enduse_set(1, 5, -1000.0)),
        "quarantined",
        TRADE_VALUE,
    ),
    Case(
        "enduse-fractional-dollars",
        "census_enduse",
        "a value with cents",
        enduse(enduse_set(1, 5, 1000.25)),
        "quarantined",
        "is not whole dollars",
    ),
    # alfred --------------------------------------------------------------------------------
    Case(
        "alfred-truncated-json",
        "alfred",
        "the answer cut after 500 bytes",
        alfred(raw=lambda body: body[:500]),
        "quarantined",
        "not JSON",
    ),
    Case(
        "alfred-error-body",
        "alfred",
        "FRED's error answer",
        lambda tmp: {"alfred/BOPGSTB.json": json.dumps(FRED_ERROR).encode()},
        "quarantined",
        "FRED answered error 400: Bad Request.",
    ),
    Case(
        "alfred-all-missing",
        "alfred",
        "every value '.'",
        alfred(alfred_all_missing),
        "quarantined",
        ROW_COUNT,
    ),
    Case(
        "alfred-unknown-series",
        "alfred",
        "XYZ.json: a series with no description",
        alfred(series="XYZ"),
        "quarantined",
        "expect_column_values_to_not_be_null on flow",
        env={"TRADEWH_FRED_SERIES": '["XYZ"]'},
    ),
    Case(
        "alfred-realtime-reversed",
        "alfred",
        "realtime_end before realtime_start",
        alfred(alfred_first(realtime_start="2022-04-30", realtime_end="2001-01-01")),
        "quarantined",
        "on vintage_is_ordered",
    ),
    Case(
        "alfred-bom",
        "alfred",
        "UTF-8 BOM before the JSON (json.loads of bytes skips it)",
        alfred(raw=lambda body: b"\xef\xbb\xbf" + body),
        "published",
        "",
    ),
    Case(
        "alfred-text-value",
        "alfred",
        "value 'abc'",
        alfred(alfred_first(value="abc")),
        "quarantined",
        NOT_A_NUMBER,
    ),
    Case(
        "alfred-bad-date",
        "alfred",
        "date 1992-13-01",
        alfred(alfred_first(date="1992-13-01")),
        "quarantined",
        "date is not a date",
    ),
    Case(
        "alfred-duplicate",
        "alfred",
        "the first observation twice",
        alfred(alfred_duplicate),
        "quarantined",
        f"{UNIQUE} on series_id,period,vintage_start",
    ),
    Case(
        "alfred-future-period",
        "alfred",
        "an observation dated 2099-01-01",
        alfred(alfred_first(date="2099-01-01")),
        "quarantined",
        BETWEEN_PERIOD,
    ),
    Case(
        "alfred-observations-not-list",
        "alfred",
        "'observations' is an object",
        alfred(lambda d: d.update(observations={})),
        "quarantined",
        "not a FRED observations answer",
    ),
    # census_api ----------------------------------------------------------------------------
    Case(
        "api-html-page",
        "census_api",
        "an HTML 'Invalid Key' page",
        api(b"<html><body><h1>Invalid Key</h1>key=SECRET</body></html>"),
        "quarantined",
        "answered with an HTML page where JSON was expected",
    ),
    Case(
        "api-truncated-json",
        "census_api",
        "the JSON cut short (complete HTTP body)",
        api(api_json(API_ROWS)[:-30]),
        "quarantined",
        "the payload is not JSON",
    ),
    Case(
        "api-truncated-body",
        "census_api",
        "Content-Length larger than the body",
        api(Reply(body=api_json(API_ROWS), content_length=10_000, repeat=True)),
        "fetch_error",
        "failed after 2 attempts [truncated]",
    ),
    Case(
        "api-header-only",
        "census_api",
        "the header row and no data",
        api(api_json([])),
        "quarantined",
        ROW_COUNT,
    ),
    Case(
        "api-null-everywhere",
        "census_api",
        "every cell 'NULL'",
        api_rows(lambda rows: rows.__setitem__(slice(None), [["NULL"] * 5 for _ in rows])),
        "quarantined",
        "time 'NULL' is not a YYYY-MM month",
    ),
    Case(
        "api-null-values",
        "census_api",
        "every value 'NULL'",
        api_rows(lambda rows: [r.__setitem__(3, "NULL") for r in rows]),
        "published",
        "",
    ),
    Case(
        "api-non-numeric",
        "census_api",
        "value '12a'",
        api_rows(api_set(1, 3, "12a")),
        "quarantined",
        NOT_A_NUMBER,
    ),
    Case(
        "api-wrong-width",
        "census_api",
        "a data row of 4 cells",
        api_rows(lambda rows: rows[1].pop()),
        "quarantined",
        "is not an array of 5 cells",
    ),
    Case(
        "api-duplicated-rows",
        "census_api",
        "Japan's row twice",
        api_rows(lambda rows: rows.append(list(rows[1]))),
        "quarantined",
        f"{UNIQUE} on period,partner_code,flow,commodity_code",
    ),
    Case(
        "api-future-time",
        "census_api",
        "time 2099-01 on every row",
        api_rows(lambda rows: [r.__setitem__(4, "2099-01") for r in rows]),
        "quarantined",
        BETWEEN_PERIOD,
    ),
    Case(
        "api-error-text",
        "census_api",
        "the API's plain-text error",
        api(b"error: unknown variable 'ALL_VAL_MOX'"),
        "quarantined",
        "the Census API answered: error: unknown variable",
    ),
    Case(
        "api-server-error",
        "census_api",
        "HTTP 500 on every attempt",
        api(Reply(status=500, body=b"Internal Server Error", repeat=True)),
        "fetch_error",
        "failed after 2 attempts [http_status]: HTTP 500",
    ),
    # news ----------------------------------------------------------------------------------
    Case(
        "news-billion-laughs",
        "news",
        "a feed with nested entity declarations",
        feed(rss(item("lol", content="&lol9;", date=DATE), BILLION_LAUGHS)),
        "quarantined",
        "feed refused: EntitiesForbidden",
    ),
    Case(
        "news-xxe",
        "news",
        "a feed whose entity reads a local file",
        xxe,
        "quarantined",
        "feed refused: EntitiesForbidden",
        forbidden="TOP-SECRET-XXE-MARKER",
    ),
    Case(
        "news-empty-feed", "news", "a valid RSS feed with no items", feed(rss("")), "published", ""
    ),
    Case("news-empty-file", "news", "a 0-byte feed", feed(b""), "quarantined", "neither a feed"),
    Case(
        "news-garbage",
        "news",
        "random bytes",
        feed(bytes(range(256)) * 16),
        "quarantined",
        "neither a feed nor an HTML page",
    ),
    Case(
        "news-truncated-feed",
        "news",
        "the feed cut in the middle of an item",
        feed(rss(item("cut", date=DATE))[:300]),
        "quarantined",
        "feed is not well-formed XML",
    ),
    Case(
        "news-50mb-page",
        "news",
        "a 50 MB article page",
        page_case(big_page),
        "quarantined",
        "more than a news payload may be",
        target="story.html",
    ),
    Case(
        "news-page-no-text",
        "news",
        "an article page with an empty body",
        page_case(lambda tmp: html("", headline="")),
        "quarantined",
        "no article text found",
        target="story.html",
    ),
    Case(
        "news-page-headline-only",
        "news",
        "an article page with a headline and no text",
        page_case(lambda tmp: html("")),
        "published_with_warning",
        "expect_column_values_to_be_between on text_chars",
        target="story.html",
    ),
    Case(
        "news-wrong-charset",
        "news",
        "a latin-1 page declaring shift_jis (read as mojibake, published unflagged)",
        page_case(lambda tmp: html(ARTICLE + " Café, naïve", "shift_jis", "latin-1")),
        "published",
        "",
        target="story.html",
    ),
    Case(
        "news-no-date",
        "news",
        "a full-text entry without any date",
        feed(rss(item("undated"))),
        "published_with_warning",
        "has_published_at",
    ),
    Case(
        "news-short-text",
        "news",
        "a full-text entry of one short sentence",
        feed(rss(item("short", content="Deficit up.", date=DATE))),
        "published_with_warning",
        "text_chars",
    ),
    Case(
        "news-duplicate-entries",
        "news",
        "the same article link twice",
        feed(rss(item("twice", date=DATE) * 2)),
        "quarantined",
        "expect_column_values_to_be_unique on canonical_url",
    ),
]
