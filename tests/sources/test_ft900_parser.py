"""The FT-900 Exhibit 1 parser on the real published workbooks in ../shared/reference/ft900,
and the ft900 part of the sample archive."""

from __future__ import annotations

import csv
import email.utils
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from tradewh.sample.build_ft900 import SAMPLE_DIR, build
from tradewh.settings import Settings
from tradewh.sources import OBSERVATION_SCHEMA, Parsed, ParseError, Request, ft900
from tradewh.sources.ft900.constants import EXHIBIT_FILES
from tradewh.sources.ft900.workbook import read_release, write_release


@dataclass(frozen=True)
class Case:
    file: str
    period_start: date
    period_end: date
    # Observations: 9 per month row with figures, annual row and the as-published line.
    rows: int
    revised_months: frozenset[date]


def months(year: int, first: int, last: int) -> frozenset[date]:
    return frozenset(date(year, m, 1) for m in range(first, last + 1))


# data month -> what the release shows, read by hand from the workbook
CASES = {
    "2021-09": Case(
        "exh1_release-2021-09data_meschef-d44adcc.xlsx",
        date(2019, 1, 1),
        date(2021, 9, 1),
        9 * (12 + 12 + 9 + 2 + 1),
        months(2021, 8, 8),
    ),
    "2021-12": Case(
        "exh1_release-2021-12data_meschef-abe9862.xlsx",
        date(2019, 1, 1),
        date(2021, 12, 1),
        9 * (36 + 3 + 1),
        months(2021, 1, 11),
    ),
    "2022-02": Case(
        "exh1_release-2022-02data_meschef-c47c3e4.xlsx",
        date(2020, 1, 1),
        date(2022, 2, 1),
        9 * (12 + 12 + 2 + 2 + 1),
        months(2022, 1, 1),
    ),
    "2025-12": Case(
        "exh1_release-2025-12data_ericayork-0aafba3.xlsx",
        date(2023, 1, 1),
        date(2025, 12, 1),
        9 * (36 + 3 + 1),
        months(2025, 1, 11),
    ),
    "2026-01": Case(
        "exh1_release-2026-01data_ericayork-fbd0522.xlsx",
        date(2024, 1, 1),
        date(2026, 1, 1),
        9 * (12 + 12 + 1 + 2 + 1),
        months(2025, 1, 12),
    ),
}

G_S, GOODS, SERVICES = "goods_and_services", "goods", "services"
AS_PUBLISHED = "as_published_last_month"
# (release, period, row_kind, flow, product, value as published, revised) read by hand
FIGURES = [
    ("2026-01", date(2025, 12, 1), AS_PUBLISHED, "balance", G_S, "-70311", None),
    ("2026-01", date(2025, 12, 1), "month", "balance", G_S, "-72900", True),
    ("2026-01", date(2025, 1, 1), "annual", "balance", G_S, "-911689", True),
    ("2026-01", date(2026, 1, 1), "month", "balance", GOODS, "-81791", False),
    ("2026-01", date(2026, 1, 1), "month", "exports", GOODS, "195492", False),
    ("2026-01", date(2026, 1, 1), "month", "imports", SERVICES, "79321", False),
    ("2026-01", date(2025, 12, 1), AS_PUBLISHED, "imports", GOODS, "280161", None),
    ("2025-12", date(2025, 1, 1), "annual", "balance", G_S, "-901469", False),
    ("2025-12", date(2025, 12, 1), "month", "balance", G_S, "-70311", False),
    ("2025-12", date(2025, 11, 1), AS_PUBLISHED, "balance", G_S, "-56825", None),
    ("2025-12", date(2025, 4, 1), "month", "exports", SERVICES, "100682", True),
    ("2025-12", date(2025, 4, 1), "month", "imports", GOODS, "277025", True),
    ("2025-12", date(2023, 12, 1), "month", "balance", SERVICES, "24284", False),
    ("2021-12", date(2021, 11, 1), AS_PUBLISHED, "balance", G_S, "-80172", None),
    ("2021-12", date(2021, 11, 1), "month", "balance", G_S, "-79331", True),
    ("2021-12", date(2021, 12, 1), "month", "balance", G_S, "-80731", False),
    ("2021-12", date(2021, 1, 1), "annual", "exports", G_S, "2528537", False),
    # Dec-2021 revised two months later, without an (R) mark in that release.
    ("2022-02", date(2021, 12, 1), "month", "balance", G_S, "-81957", False),
    ("2022-02", date(2022, 1, 1), AS_PUBLISHED, "balance", G_S, "-89692", None),
    ("2022-02", date(2022, 1, 1), "month", "balance", G_S, "-89229", True),
    ("2022-02", date(2022, 2, 1), "month", "balance", SERVICES, "18285", False),
    ("2022-02", date(2022, 2, 1), "month", "imports", G_S, "317814", False),
    ("2021-09", date(2021, 8, 1), AS_PUBLISHED, "balance", G_S, "-73252", None),
    ("2021-09", date(2021, 8, 1), "month", "balance", G_S, "-72813", True),
    ("2021-09", date(2021, 9, 1), "month", "exports", G_S, "207558", False),
    ("2021-09", date(2020, 4, 1), "month", "exports", GOODS, "95025", False),
    ("2021-09", date(2020, 4, 1), "month", "imports", SERVICES, "33392", False),
]

# exh1_vintages_long.csv value columns, in the sheet's order
CSV_COLUMNS = {
    "balance_total": ("balance", G_S),
    "balance_goods_bop": ("balance", GOODS),
    "balance_services": ("balance", SERVICES),
    "exports_total": ("exports", G_S),
    "exports_goods_bop": ("exports", GOODS),
    "exports_services": ("exports", SERVICES),
    "imports_total": ("imports", G_S),
    "imports_goods_bop": ("imports", GOODS),
    "imports_services": ("imports", SERVICES),
}


def payload_of(reference_dir: Path, label: str) -> bytes:
    return (reference_dir / "ft900" / CASES[label].file).read_bytes()


@pytest.fixture(scope="module")
def parsed(reference_dir: Path) -> dict[str, Parsed]:
    return {label: ft900.parse(payload_of(reference_dir, label)) for label in CASES}


def observations(table: pa.Table) -> dict[tuple, dict[str, Any]]:
    """Rows keyed by (period, frequency, row_kind, flow, product); keys must be unique."""
    out: dict[tuple, dict[str, Any]] = {}
    for row in table.to_pylist():
        key = (row["period"], row["frequency"], row["row_kind"], row["flow"], row["product"])
        assert key not in out, f"duplicate observation {key}"
        out[key] = row
    return out


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f[0]}:{f[1]:%Y-%m}:{f[2]}:{f[3]}")
def test_hand_read_figures(parsed: dict[str, Parsed], figure: tuple) -> None:
    label, period, kind, flow, product, value, revised = figure
    frequency = "A" if kind == "annual" else "M"
    row = observations(parsed[label].table)[(period, frequency, kind, flow, product)]
    assert (row["value_text"], row["revised"]) == (value, revised)


@pytest.mark.parametrize("label", CASES)
def test_coverage_row_count_and_schema(parsed: dict[str, Parsed], label: str) -> None:
    case, result = CASES[label], parsed[label]
    assert result.table.schema == OBSERVATION_SCHEMA
    assert (result.period_start, result.period_end) == (case.period_start, case.period_end)
    assert result.table.num_rows == case.rows
    monthly = [r for r in result.table.to_pylist() if r["row_kind"] == "month"]
    # Months not yet published are empty cells and give no rows.
    assert max(r["period"] for r in monthly) == case.period_end


@pytest.mark.parametrize("label", CASES)
def test_constant_columns(parsed: dict[str, Parsed], label: str) -> None:
    table = parsed[label].table
    for name, value in {
        "basis": "bop",
        "adjustment": "sa",
        "partner_code": "-",
        "partner_name": "All countries",
        "partner_is_aggregate": True,
        "commodity_class": "total",
        "commodity_code": "-",
        "unit": "musd",
        "series_id": None,
        "vintage_start": None,
        "vintage_end": None,
    }.items():
        assert set(table[name].to_pylist()) == {value}, name
    kinds = {(r["row_kind"], r["frequency"]) for r in table.to_pylist()}
    assert kinds == {("month", "M"), ("annual", "A"), (AS_PUBLISHED, "M")}


@pytest.mark.parametrize("label", CASES)
def test_revised_flags(parsed: dict[str, Parsed], label: str) -> None:
    rows = parsed[label].table.to_pylist()
    revised = {r["period"] for r in rows if r["row_kind"] == "month" and r["revised"]}
    assert revised == CASES[label].revised_months
    assert {r["revised"] for r in rows if r["row_kind"] == AS_PUBLISHED} == {None}


def test_year_to_date_rows_are_read_but_not_loaded(reference_dir: Path) -> None:
    release = read_release(payload_of(reference_dir, "2026-01"))
    ytd = [row for row in release.rows if row.kind == "year_to_date"]
    assert [(row.label, row.year) for row in ytd] == [
        ("Jan. -", 2024),
        ("Jan. - (R)", 2025),
        ("Jan. -", 2026),
    ]
    table = ft900.parse(payload_of(reference_dir, "2026-01")).table
    assert "year_to_date" not in set(table["row_kind"].to_pylist())


def vintages_csv(reference_dir: Path) -> list[dict[str, str]]:
    with (reference_dir / "ft900" / "exh1_vintages_long.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def csv_period(text: str) -> tuple[date, str]:
    if len(text) == 4:
        return date(int(text), 1, 1), "A"
    year, month = text.split("-")
    return date(int(year), int(month), 1), "M"


@pytest.mark.parametrize("label", CASES)
def test_every_figure_matches_the_derived_table(
    reference_dir: Path, parsed: dict[str, Parsed], label: str
) -> None:
    expected: dict[tuple, tuple[str, bool | None]] = {}
    for line in vintages_csv(reference_dir):
        if line["release_file"] != CASES[label].file or line["row_kind"].startswith("ytd"):
            continue
        period, frequency = csv_period(line["period"])
        kind = line["row_kind"]
        revised = None if kind == AS_PUBLISHED else line["revised_flag"] == "R"
        for column, (flow, product) in CSV_COLUMNS.items():
            expected[(period, frequency, kind, flow, product)] = (line[column], revised)
    got = {
        key: (row["value_text"], row["revised"])
        for key, row in observations(parsed[label].table).items()
    }
    assert got == expected


@pytest.mark.parametrize("label", CASES)
def test_year_to_date_figures_match_the_derived_table(reference_dir: Path, label: str) -> None:
    expected = {
        (int(line["period"]), line["revised_flag"] == "R"): [line[c] for c in CSV_COLUMNS]
        for line in vintages_csv(reference_dir)
        if line["release_file"] == CASES[label].file and line["row_kind"].startswith("ytd")
    }
    release = read_release(payload_of(reference_dir, label))
    got = {
        (row.year, row.revised): [str(int(v)) for v in row.values]
        for row in release.rows
        if row.kind == "year_to_date"
    }
    assert got == expected


@pytest.mark.parametrize("label", CASES)
def test_write_then_read_round_trip(reference_dir: Path, tmp_path: Path, label: str) -> None:
    release = read_release(payload_of(reference_dir, label))
    path = tmp_path / "exh1.xlsx"
    write_release(path, release)
    assert read_release(path.read_bytes()) == release
    assert ft900.parse(path.read_bytes()).table.equals(
        ft900.parse(payload_of(reference_dir, label)).table
    )


# --- layout variations and layout errors -----------------------------------------------------

Cells = list[list[Any]]


def sheet_cells(payload: bytes) -> Cells:
    book = CalamineWorkbook.from_filelike(io.BytesIO(payload))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)


def write_sheets(path: Path, sheets: dict[str, Cells]) -> bytes:
    book = xlsxwriter.Workbook(str(path))
    for name, cells in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(cells):
            for c, cell in enumerate(row):
                if isinstance(cell, float):
                    sheet.write_number(r, c, cell)
                elif cell:
                    sheet.write_string(r, c, str(cell))
    book.close()
    return path.read_bytes()


def blank_lines_everywhere(cells: Cells) -> dict[str, Cells]:
    spaced: Cells = [[], [], []]
    for row in cells:
        spaced += [row, []]
    return {"1": spaced}


def extra_sheet_first(cells: Cells) -> dict[str, Cells]:
    return {"Contents": [["Exhibits of the FT-900"], ["1", "Goods and services"]], "1": cells}


def shifted_one_column(cells: Cells) -> dict[str, Cells]:
    return {"1": [[None, *row] for row in cells]}


@pytest.mark.parametrize("variant", [blank_lines_everywhere, extra_sheet_first, shifted_one_column])
def test_tolerated_layout_variations(
    reference_dir: Path, tmp_path: Path, variant: Callable[[Cells], dict[str, Cells]]
) -> None:
    original = payload_of(reference_dir, "2021-12")
    changed = write_sheets(tmp_path / "variant.xlsx", variant(sheet_cells(original)))
    assert ft900.parse(changed).table.equals(ft900.parse(original).table)


def find(cells: Cells, label: str) -> int:
    return next(i for i, row in enumerate(cells) if str(row[0]).strip() == label)


def set_cell(label: str, column: int, value: Any) -> Callable[[Cells], None]:
    def mutate(cells: Cells) -> None:
        cells[find(cells, label)][column] = value

    return mutate


def set_product_header(column: int, value: str) -> Callable[[Cells], None]:
    def mutate(cells: Cells) -> None:
        cells[find(cells, "Period") + 1][column] = value

    return mutate


def delete_row(label: str) -> Callable[[Cells], None]:
    def mutate(cells: Cells) -> None:
        del cells[find(cells, label)]

    return mutate


def duplicate_row(label: str) -> Callable[[Cells], None]:
    def mutate(cells: Cells) -> None:
        at = find(cells, label)
        cells.insert(at, list(cells[at]))

    return mutate


FOOTNOTE = "(1) Data are presented on a balance of payments (BOP) basis."
# mutation of the Dec-2021 release -> what the error says
LAYOUT_ERRORS = {
    # The source reads other exhibits too: a title naming one it does not read says so.
    "other exhibit title": (
        set_cell("Exhibit 1. U.S. International Trade in Goods and Services", 0, "Exhibit 2."),
        "exhibit 2 ('Exhibit 2.') is not one tradewh reads",
    ),
    "no header": (set_cell("Period", 0, "Month"), "no header row starting with 'Period'"),
    "flows swapped": (set_cell("Period", 4, "Imports"), "header"),
    "products changed": (set_product_header(2, "Goods (Census basis)"), "second header row"),
    "unknown label": (set_cell("March", 0, "Marzo"), "unrecognised label 'Marzo'"),
    "text figure": (set_cell("June", 3, "n/a"), "balance services is not a number"),
    "no year heading": (delete_row("2019"), "before any year heading"),
    "month twice": (duplicate_row("May"), "'May' appears twice in 2019"),
    "as-published month": (
        set_cell(
            "November data as published last month:", 0, "October data as published last month:"
        ),
        "month before the newest published one is November 2021",
    ),
    "no BOP footnote": (delete_row(FOOTNOTE), "BOP basis"),
}


@pytest.mark.parametrize("name", LAYOUT_ERRORS)
def test_layout_errors(reference_dir: Path, tmp_path: Path, name: str) -> None:
    mutate, message = LAYOUT_ERRORS[name]
    cells = sheet_cells(payload_of(reference_dir, "2021-12"))
    mutate(cells)
    payload = write_sheets(tmp_path / "broken.xlsx", {"1": cells})
    with pytest.raises(ParseError, match=re.escape(message)):
        ft900.parse(payload)


@pytest.mark.parametrize(
    "payload",
    [b"", b"not a workbook", b"%PDF-1.7\n", b"PK\x03\x04garbage", b"Period,Balance\n2025,1\n"],
    ids=["empty", "text", "pdf", "broken zip", "csv"],
)
def test_not_a_workbook(payload: bytes) -> None:
    with pytest.raises(ParseError, match="not a readable Excel workbook"):
        ft900.parse(payload)


def test_truncated_workbook(reference_dir: Path) -> None:
    payload = payload_of(reference_dir, "2025-12")
    with pytest.raises(ParseError):
        ft900.parse(payload[: len(payload) // 2])


def test_exhibits_it_does_not_read_are_refused(reference_dir: Path) -> None:
    # Exhibit 10 (real goods, chained dollars) is not money of the one series model; the other
    # exhibits tradewh reads are tested in test_ft900_exhibits.py.
    name = "exh10_release-2022-01data_nancunjie4560-ea9a0cd.xlsx"
    with pytest.raises(ParseError, match=r"exhibit 10 \('Exhibit 10\. Real U\.S\. Trade"):
        ft900.parse((reference_dir / "ft900" / name).read_bytes())


# --- the sample archive ------------------------------------------------------------------------

SAMPLE = SAMPLE_DIR / "ft900"
# data month -> release date of the FT-900 that first published it
PUBLISHED = {
    "1994-03": date(1994, 5, 19),
    "2021-08": date(2021, 10, 5),
    "2021-09": date(2021, 11, 4),
    "2021-12": date(2022, 2, 8),
    "2022-02": date(2022, 4, 5),
    "2025-12": date(2026, 2, 19),
    "2026-01": date(2026, 3, 12),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sample_is_rebuilt_byte_for_byte(reference_dir: Path, tmp_path: Path) -> None:
    rebuilt = build(reference_dir, tmp_path)
    assert [p.name for p in rebuilt] == [f"exh1_{label}.xlsx" for label in PUBLISHED]
    assert sorted(p.name for p in SAMPLE.glob("exh1_*.xlsx")) == [p.name for p in rebuilt]
    for path in rebuilt:
        assert digest(path) == digest(SAMPLE / path.name), f"{path.name} differs"
        sidecar = path.name + ".headers.json"
        assert (path.parent / sidecar).read_text() == (SAMPLE / sidecar).read_text()


@pytest.mark.parametrize("label", CASES)
def test_sample_shows_the_published_figures(reference_dir: Path, label: str) -> None:
    sample = read_release((SAMPLE / f"exh1_{label}.xlsx").read_bytes())
    assert sample == read_release(payload_of(reference_dir, label))


@pytest.mark.parametrize("label", PUBLISHED)
def test_sample_last_modified_is_the_release_time(label: str) -> None:
    headers = json.loads((SAMPLE / f"exh1_{label}.xlsx.headers.json").read_text())
    released = email.utils.parsedate_to_datetime(headers["Last-Modified"])
    assert released.date() == PUBLISHED[label]
    # 08:30 Eastern: 12:30 GMT in summer time, 13:30 in winter.
    assert (released.hour, released.minute) in {(12, 30), (13, 30)}


def test_sample_march_1994_first_print() -> None:
    result = ft900.parse((SAMPLE / "exh1_1994-03.xlsx").read_bytes())
    assert (result.period_start, result.period_end) == (date(1994, 3, 1), date(1994, 3, 1))
    got = {
        (r["period"], r["frequency"], r["row_kind"], r["revised"], r["flow"], r["product"]): r[
            "value_text"
        ]
        for r in result.table.to_pylist()
    }
    march = (date(1994, 3, 1), "M", "month", False)
    assert got == {
        (*march, "balance", G_S): "-7460",
        (*march, "balance", GOODS): "-12040",
        (*march, "balance", SERVICES): "4580",
        (*march, "exports", GOODS): "42170",
        (*march, "imports", GOODS): "54210",
    }


def test_requests(settings: Settings) -> None:
    sample = ft900.requests(settings)
    exhibit_1 = [Request((SAMPLE / f"exh1_{label}.xlsx").resolve().as_uri()) for label in PUBLISHED]
    assert [r for r in sample if "/exh1_" in r.url] == exhibit_1
    assert [r.url for r in sample] == sorted(
        p.resolve().as_uri() for p in SAMPLE.glob("exh*_*.xlsx")
    )
    live = ft900.requests(settings.model_copy(update={"profile": "live"}))
    assert live[0] == Request(
        "https://www.census.gov/foreign-trade/Press-Release/current_press_release/exh1.xlsx",
        missing_is_no_data=True,
    )
    assert [r.url.rsplit("/", 1)[-1] for r in live] == [f"{n}.xlsx" for n in EXHIBIT_FILES]
