"""The FT-900 exhibits beyond Exhibit 1 on the real August 2021 release in
../shared/reference/ft900/release_2021-08_all_exhibits: spot values read by hand from the
workbooks (and in the reference README), their suites on a corrupted copy, the sample archive
written from them, and live mode against a local archive of two releases (one zip each) and
broken zips."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.httpserver import Reply, scripted_server
from tests.ingest.test_pipeline import migrated, query
from tradewh import pipeline, warehouse
from tradewh.sample import build_ft900_exhibits
from tradewh.settings import Settings
from tradewh.sources import ParseError, ft900
from tradewh.sources.ft900.constants import EXHIBIT_FILES
from tradewh.sources.ft900.exhibits.cells import read_sheet
from tradewh.sources.ft900.exhibits.writer import write_sheet

RELEASE = "ft900/release_2021-08_all_exhibits"


def exhibit(reference: Path, name: str) -> Path:
    return reference / RELEASE / f"{name}_ft900_2021-08data.xlsx"


def rows(reference: Path, name: str) -> list[dict[str, Any]]:
    parsed = ft900.parse(exhibit(reference, name).read_bytes())
    return parsed.table.to_pylist()


def value(records: list[dict[str, Any]], **match: Any) -> str:
    found = [r for r in records if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, f"{len(found)} rows match {match}"
    return found[0]["value_text"]


AUG, JUL = date(2021, 8, 1), date(2021, 7, 1)

# (exhibit, the row it names, the value as published) -- from the workbooks, by hand.
SPOT_VALUES = [
    (
        "exh18",
        dict(partner_name="Japan", flow="imports", commodity_code="-", period=AUG, frequency="M"),
        "4390",
    ),
    (
        "exh18",
        dict(partner_name="Japan", flow="imports", commodity_code="-", frequency="YTD"),
        "33375",
    ),
    (
        "exh18",
        dict(
            partner_name="Japan",
            flow="imports",
            commodity_code="passenger_cars",
            period=AUG,
            frequency="M",
        ),
        "3033",
    ),
    (
        "exh18",
        dict(
            partner_name="Japan",
            flow="imports",
            commodity_code="trucks_buses",
            period=AUG,
            frequency="M",
        ),
        "61",
    ),
    (
        "exh18",
        dict(
            partner_name="Japan", flow="imports", commodity_code="parts", period=AUG, frequency="M"
        ),
        "1296",
    ),
    (
        "exh18",
        dict(partner_name="Japan", flow="exports", commodity_code="-", period=AUG, frequency="M"),
        "217",
    ),
    (
        "exh18",
        dict(partner_name="Japan", flow="exports", commodity_code="-", frequency="YTD"),
        "1549",
    ),
    (
        "exh18",
        dict(partner_code="-", flow="imports", commodity_code="-", period=AUG, frequency="M"),
        "29096",
    ),
    (
        "exh18",
        dict(partner_code="-", flow="exports", commodity_code="-", period=AUG, frequency="M"),
        "12236",
    ),
    (
        "exh18",
        dict(partner_name="Mexico", flow="imports", commodity_code="-", period=AUG, frequency="M"),
        "10394",
    ),
    # "(-)": zero or less than half a million, published as such.
    (
        "exh18",
        dict(
            partner_name="Hong Kong",
            flow="exports",
            commodity_code="passenger_cars",
            period=AUG,
            frequency="M",
        ),
        "0",
    ),
    ("exh14", dict(partner_code="5880", flow="balance", period=AUG, frequency="M"), "-6266"),
    ("exh14", dict(partner_code="5880", flow="exports", period=AUG, frequency="M"), "6106"),
    ("exh14", dict(partner_code="5880", flow="imports", period=AUG, frequency="M"), "12371"),
    ("exh14", dict(partner_code="5880", flow="balance", frequency="YTD"), "-42864"),
    # The July value sits in the cell after its header (which holds the (R) flag).
    ("exh14", dict(partner_code="5880", flow="balance", period=JUL, frequency="M"), "-6286"),
    (
        "exh14",
        dict(partner_code="-", basis="bop", flow="balance", period=JUL, frequency="M"),
        "-94628",
    ),
    ("exh14", dict(partner_code="other:0003", flow="balance", period=AUG, frequency="M"), "-2078"),
    (
        "exh14a",
        dict(partner_code="5880", flow="balance", period=date(2020, 8, 1), frequency="M"),
        "-4487",
    ),
    ("exh19", dict(partner_code="5880", flow="balance", period=AUG, frequency="M"), "-5553"),
    (
        "exh19",
        dict(partner_code="1220", flow="balance", period=date(2021, 4, 1), frequency="Q"),
        "-13283",
    ),
    (
        "exh20",
        dict(partner_code="5880", flow="balance", period=date(2019, 1, 1), frequency="A"),
        "-55949",
    ),
    (
        "exh20a",
        dict(partner_code="5700", flow="balance", period=date(2021, 4, 1), frequency="Q"),
        "-86569",
    ),
    (
        "exh20b",
        dict(partner_code="1220", flow="balance", period=date(2020, 1, 1), frequency="Q"),
        "7591",
    ),
    ("exh4s", dict(partner_code="5880", flow="exports", period=AUG, frequency="M"), "6105.542162"),
    ("exh4s", dict(partner_code="5880", flow="imports", period=AUG, frequency="M"), "12371.057616"),
    (
        "exh4as",
        dict(partner_code="-", flow="balance", period=date(2020, 8, 1), frequency="M"),
        "-85508.844465",
    ),
    ("exh8", dict(commodity_code="3", period=AUG, frequency="M"), "28012"),
    (
        "exh8",
        dict(commodity_code="3.passenger_cars_new_and_used", period=AUG, frequency="M"),
        "11200",
    ),
    ("exh7", dict(commodity_code="3", period=AUG, frequency="M"), "11201"),
    ("exh7", dict(basis="bop", commodity_code="-", period=JUL, frequency="M"), "148586"),
    ("exh6", dict(commodity_code="3", flow="imports", period=AUG, frequency="M"), "28012"),
    (
        "exh6",
        dict(
            basis="census",
            commodity_code="-",
            flow="exports",
            period=date(2020, 1, 1),
            frequency="A",
        ),
        "1424935",
    ),
    (
        "exh13",
        dict(commodity_code="3", flow="exports", period=date(2020, 8, 1), frequency="YTD"),
        "77648",
    ),
    ("exh9", dict(commodity_code="petroleum", flow="balance", period=AUG, frequency="M"), "-120"),
    (
        "exh12",
        dict(basis="census", flow="balance", period=date(2019, 1, 1), frequency="A"),
        "-850917",
    ),
    # Thousands of dollars as published (15,496,984), staged in whole dollars.
    (
        "exh17",
        dict(commodity_code="energy_related", flow="exports", period=AUG, frequency="M"),
        "15496984000",
    ),
]


@pytest.mark.parametrize(("name", "match", "expected"), SPOT_VALUES)
def test_spot_values(reference_dir: Path, name: str, match: dict, expected: str) -> None:
    assert value(rows(reference_dir, name), **match) == expected


def test_revised_marks_follow_the_flag_cells(reference_dir: Path) -> None:
    records = rows(reference_dir, "exh14")
    july = {
        (r["partner_code"], r["basis"], r["flow"]): r["revised"]
        for r in records
        if r["period"] == JUL
    }
    # Total BOP row: -98983, '(R)', -94628: July marked revised; Japan's flag cell is blank.
    assert july[("-", "bop", "balance")] is True
    assert july[("1220", "census", "exports")] is True
    assert july[("5880", "census", "balance")] is False
    assert all(r["revised"] is None for r in records if r["period"] == AUG)
    exh19 = rows(reference_dir, "exh19")
    q2 = {
        r["partner_code"]: r["revised"]
        for r in exh19
        if r["frequency"] == "Q" and r["period"] == date(2021, 4, 1) and r["flow"] == "balance"
    }
    assert q2["5880"] is False


@pytest.mark.parametrize("name", [name for name in EXHIBIT_FILES if name != "exh1"])
def test_every_exhibit_names_its_family_and_series(reference_dir: Path, name: str) -> None:
    parsed = ft900.parse(exhibit(reference_dir, name).read_bytes())
    assert parsed.dataset in ft900.DATASETS[1:]
    table = parsed.table.to_pylist()
    assert table and parsed.period_end is not None
    assert {r["basis"] for r in table} <= {"census", "bop"}
    assert {r["adjustment"] for r in table} <= {"sa", "nsa"}
    assert {r["frequency"] for r in table} <= {"M", "Q", "A", "YTD"}
    assert all(r["value_text"] is not None for r in table)


def test_exhibits_it_does_not_read_are_a_parse_error(reference_dir: Path) -> None:
    with pytest.raises(ParseError, match="exhibit 15"):
        ft900.parse(exhibit(reference_dir, "exh15").read_bytes())


def test_exhibit_1_of_the_release_keeps_the_as_published_line(reference_dir: Path) -> None:
    records = rows(reference_dir, "exh1")
    kind = dict(row_kind="as_published_last_month", product="goods_and_services", flow="balance")
    assert value(records, period=JUL, **kind) == "-70051"
    assert (
        value(records, period=JUL, row_kind="month", product="goods_and_services", flow="balance")
        == "-70303"
    )
    assert (
        value(records, period=AUG, row_kind="month", product="goods_and_services", flow="balance")
        == "-73252"
    )


# --- the suites on the real release and on a corrupted copy ------------------------------------


def ingest_files(settings: Settings, folder: Path) -> list[pipeline.ReleaseOutcome]:
    outcomes = []
    for item in pipeline.fetch(settings, "ft900"):
        assert not isinstance(item, pipeline.NotModified)
        outcomes.append(pipeline.ingest(settings, "ft900", item))
    return outcomes


@pytest.fixture
def sample_of(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def make(files: dict[str, Path]) -> Settings:
        folder = tmp_path / "sample"
        for target, source in files.items():
            sheet = read_sheet(source.read_bytes())
            write_sheet(folder / "ft900" / target, sheet.name, sheet.cells)
        monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(folder))
        return migrated(Settings())

    return make


def test_real_release_passes_every_family_suite(reference_dir: Path, sample_of) -> None:
    names = ["exh6", "exh9", "exh14", "exh18", "exh4s"]
    settings = sample_of({f"{n}_2021-08.xlsx": exhibit(reference_dir, n) for n in names})
    outcomes = ingest_files(settings, settings.sample_dir)
    assert [o.status for o in outcomes] == ["published"] * len(names)
    assert all(o.checks_failed == 0 and o.checks_evaluated == 16 for o in outcomes)
    datasets = query(settings, "SELECT DISTINCT dataset FROM ops.loads ORDER BY 1")
    assert [d for (d,) in datasets] == [
        "ft900_autos",
        "ft900_enduse",
        "ft900_partners",
        "ft900_petroleum",
    ]


def corrupt(
    reference: Path, name: str, tmp_path: Path, row_name: str, column: int, delta: float
) -> Path:
    """A copy of a real exhibit with one published figure changed."""
    sheet = read_sheet(exhibit(reference, name).read_bytes())
    cells = [list(row) for row in sheet.cells]
    # The last such row: the imports block, the newest year.
    row = [r for r in cells if r and r[0] == row_name][-1]
    row[column] = row[column] + delta
    target = tmp_path / f"corrupt_{name}.xlsx"
    write_sheet(target, sheet.name, cells)
    return target


@pytest.mark.parametrize(
    ("name", "row_name", "column", "delta", "broken"),
    [
        # Japan's August imports of motor vehicles 4,390 -> 5,390: partners no longer add to TOTAL.
        ("exh18", "Japan", 1, 1000.0, "partner_gap_musd"),
        # Japan's August balance -6,266 -> -6,166: no longer exports - imports.
        ("exh14", "Japan", 1, 100.0, "identity_gap_musd"),
        # August 2021 capital goods imports +500: categories no longer add to the Census total.
        ("exh6", "August", 6, 500.0, "parts_gap_musd"),
    ],
)
def test_a_broken_identity_is_quarantined(
    reference_dir: Path,
    sample_of,
    tmp_path: Path,
    name: str,
    row_name: str,
    column: int,
    delta: float,
    broken: str,
) -> None:
    bad = corrupt(reference_dir, name, tmp_path, row_name, column, delta)
    settings = sample_of({f"{name}_2021-08.xlsx": bad})
    [outcome] = ingest_files(settings, settings.sample_dir)
    assert outcome.status == "quarantined"
    assert broken in outcome.message
    [(published,)] = query(settings, "SELECT count(*) FROM core.observations")
    assert published == 0


# --- the sample archive --------------------------------------------------------------------------


def test_sample_release_holds_the_published_figures(reference_dir: Path, tmp_path: Path) -> None:
    written = build_ft900_exhibits.build(reference_dir, tmp_path)
    others = build_ft900_exhibits.OTHER_VINTAGES
    # Every exhibit of the August 2021 release but Exhibit 1 (build_ft900.py), and the later
    # vintages of Exhibit 12.
    assert len(written) == len(EXHIBIT_FILES) - 1 + len(others)
    for path in written:
        name, label = path.stem.split("_")
        original = (
            reference_dir / others[(name, label)][0]
            if (name, label) in others
            else exhibit(reference_dir, name)
        )
        ours = ft900.parse(path.read_bytes()).table.to_pylist()
        assert ours == ft900.parse(original.read_bytes()).table.to_pylist(), path.name
    bundled = Path(build_ft900_exhibits.SAMPLE_DIR) / "ft900"
    for path in written:
        assert (bundled / path.name).read_bytes() == path.read_bytes(), f"make sample: {path.name}"


# --- live: the current release and the archive by month ------------------------------------------


def release_zip(files: dict[str, bytes], folder: str = "") -> bytes:
    """A release zip as the archive serves it: exh<N>.xlsx members, optionally in a folder."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, body in files.items():
            bundle.writestr(f"{folder}{name}.xlsx", body)
    return out.getvalue()


def test_backfill_fills_history_a_release_at_a_time(
    reference_dir: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    august = {n: exhibit(reference_dir, n).read_bytes() for n in ("exh1", "exh14", "exh18")}
    september = (
        reference_dir / "ft900" / "exh1_release-2021-09data_meschef-d44adcc.xlsx"
    ).read_bytes()
    with scripted_server() as server:
        monkeypatch.setenv("TRADEWH_PROFILE", "live")
        monkeypatch.setattr(ft900, "ARCHIVE_URL", server.url("/ft900/ft900xlsx_{yymm}.zip"))
        # July 2021: a release the archive does not hold; August's zip keeps its exhibits in a
        # folder (as the reference set's unzipped ft900xlsx.zip), September's at the top.
        server.plan("/ft900/ft900xlsx_2107.zip", Reply(404, repeat=True))
        for yymm, body, modified in (
            ("2108", release_zip(august, "ft900xlsx/"), "Tue, 05 Oct 2021 12:30:00 GMT"),
            ("2109", release_zip({"exh1": september}), "Thu, 04 Nov 2021 12:30:00 GMT"),
        ):
            reply = Reply(200, body, {"Last-Modified": modified, "ETag": f'"{yymm}"'})
            server.plan(f"/ft900/ft900xlsx_{yymm}.zip", reply)
            server.plan(f"/ft900/ft900xlsx_{yymm}.zip", Reply(304, headers={"ETag": f'"{yymm}"'}))
        live = migrated(Settings())
        done = pipeline.backfill(live, "ft900", date(2021, 7, 1), date(2021, 9, 1))
        asked = [r.path for r in server.requests]
        # Again: every release with a decided exhibit is skipped, the missing one asked again.
        again = pipeline.backfill(live, "ft900", date(2021, 7, 1), date(2021, 9, 1))
        asked_again = [r.path for r in server.requests][len(asked) :]
        # With --refetch, asked conditionally: a 304 loads nothing.
        refetched = pipeline.backfill(
            live, "ft900", date(2021, 8, 1), date(2021, 8, 1), refetch=True
        )
        conditional = server.requests[-1]
        # A run killed while September's exhibits were landed (before the zip's own row) left
        # it unfinished: the next run asks the zip again.
        with warehouse.writer(live) as con:
            con.execute(
                "DELETE FROM ops.fetches WHERE url = ? AND sha256 IS NULL",
                [server.url("/ft900/ft900xlsx_2109.zip")],
            )
        resumed = pipeline.backfill(live, "ft900", date(2021, 9, 1), date(2021, 9, 1))
        asked_last = server.requests[-1].path
    # One request per release, oldest first.
    assert asked == [f"/ft900/ft900xlsx_{m}.zip" for m in ("2107", "2108", "2109")]
    # 4 exhibits published; every exhibit the archive does not hold is "no data".
    assert done.statuses == {"published": 4, "no_data": 3 * len(EXHIBIT_FILES) - 4}
    assert done.done == done.total == 3 * len(EXHIBIT_FILES)
    assert asked_again == ["/ft900/ft900xlsx_2107.zip"]
    assert again.statuses == {"skipped": 2 * len(EXHIBIT_FILES), "no_data": len(EXHIBIT_FILES)}
    assert conditional.header("If-None-Match") == '"2108"'
    assert refetched.statuses == {"not_modified": len(EXHIBIT_FILES)}
    assert asked_last == "/ft900/ft900xlsx_2109.zip"
    assert resumed.statuses == {"not_modified": len(EXHIBIT_FILES)}
    # Each exhibit is recorded as a member of its release's zip.
    landed = query(live, "SELECT url FROM ops.fetches WHERE sha256 IS NOT NULL ORDER BY fetch_id")
    assert [url for (url,) in landed] == [
        server.url(f"/ft900/ft900xlsx_2108.zip#{n}.xlsx") for n in august
    ] + [server.url("/ft900/ft900xlsx_2109.zip#exh1.xlsx")]
    # August 2021 as first printed (the August release) and as revised a month later.
    held = query(
        live,
        "SELECT strftime(vintage_at AT TIME ZONE 'UTC', '%Y-%m-%d'), row_kind, value_musd "
        "FROM core.observations WHERE partner_code = '-' AND product = 'goods_and_services' "
        "AND flow = 'balance' AND period = '2021-08-01' AND frequency = 'M' ORDER BY 1, 2",
    )
    # The September release repeats the first print "as published last month" (dated a month
    # before it, an estimate) and revises August; the August release printed it first.
    first_print = ("2021-10-05", "month", Decimal("-73252"))
    reprinted = ("2021-10-04", "as_published_last_month", Decimal("-73252"))
    assert first_print in held and reprinted in held
    [revised] = [row for row in held if row[0] == "2021-11-04"]
    assert revised[1] == "month" and revised[2] != Decimal("-73252")


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"<html>Page not found</html>", "release zip that cannot be unpacked"),
        (release_zip({"exh18": b"PK\x03\x04 truncated"}), "not an FT-900"),
    ],
    ids=["not a zip", "a member that is not a workbook"],
)
def test_a_broken_release_zip_is_kept_and_quarantined(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, body: bytes, reason: str
) -> None:
    with scripted_server() as server:
        monkeypatch.setenv("TRADEWH_PROFILE", "live")
        monkeypatch.setattr(ft900, "ARCHIVE_URL", server.url("/ft900/ft900xlsx_{yymm}.zip"))
        server.plan("/ft900/ft900xlsx_2108.zip", Reply(200, body))
        live = migrated(Settings())
        done = pipeline.backfill(live, "ft900", date(2021, 8, 1), date(2021, 8, 1))
    assert done.statuses.get("quarantined") == 1
    [(message, path)] = query(
        live,
        "SELECT reason, landed_path FROM ops.quarantine",
    )
    assert reason in message
    # The raw payload is kept: the body as served, or the member as the zip held it.
    kept = (live.landing_dir / path).read_bytes()
    assert kept == body or kept == b"PK\x03\x04 truncated"
    [(published,)] = query(live, "SELECT count(*) FROM core.observations")
    assert published == 0


def test_exhibit_12_vintages_give_first_print_and_revision(reference_dir: Path, sample_of) -> None:
    # Three real releases of Exhibit 12 (NSA goods, BOP and Census basis), oldest first: November
    # 2025 first printed -80,425 (Census basis), revised to -77,691 a month later.
    names = {
        f"exh12_{label}.xlsx": reference_dir / "ft900" / f"exh12_release-{label}data_{commit}.xlsx"
        for label, commit in (
            ("2025-11", "ericayork-66e6dd3"),
            ("2025-12", "ericayork-0aafba3"),
            ("2026-01", "ericayork-fbd0522"),
        )
    }
    settings = sample_of(names)
    outcomes = ingest_files(settings, settings.sample_dir)
    assert [o.status for o in outcomes] == ["published"] * 3
    with warehouse.writer(settings) as con:
        warehouse.rebuild_views(con, settings.sql_dir)
    [(first, latest, values)] = query(
        settings,
        "SELECT first_value_musd, latest_value_musd, distinct_values FROM marts.revisions "
        "WHERE partner_code = '-' AND basis = 'census' AND adjustment = 'nsa' "
        "AND measure = 'balance' AND frequency = 'M' AND period = '2025-11-01'",
    )
    assert (first, latest, values) == (Decimal("-80425"), Decimal("-77691"), 2)
    # The January release's year to date is labelled "Jan. -": through January.
    [(ytd,)] = query(
        settings,
        "SELECT value_musd FROM core.latest WHERE frequency = 'YTD' AND period = '2026-01-01' "
        "AND basis = 'census' AND flow = 'balance'",
    )
    assert ytd == Decimal("-74151")


def test_a_released_exhibit_keeps_its_family(
    reference_dir: Path, sample_of, tmp_path: Path
) -> None:
    from tradewh.ingest import quarantine

    bad = corrupt(reference_dir, "exh18", tmp_path, "Japan", 1, 1000.0)
    settings = sample_of({"exh18_2021-08.xlsx": bad})
    [outcome] = ingest_files(settings, settings.sample_dir)
    assert outcome.status == "quarantined"
    [(entry, dataset)] = query(settings, "SELECT quarantine_id, dataset FROM ops.quarantine")
    assert dataset == "ft900_autos"
    quarantine.release(settings, entry, by="test", reason="checked by hand")
    assert query(settings, "SELECT dataset FROM ops.loads") == [("ft900_autos",)]


def test_live_current_release_missing_exhibits_are_no_data(
    reference_dir: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scripted_server() as server:
        monkeypatch.setenv("TRADEWH_PROFILE", "live")
        monkeypatch.setattr(ft900, "CURRENT_URL", server.url("/current_press_release/{file}.xlsx"))
        monkeypatch.setattr(ft900, "LIVE_URL", server.url("/current_press_release/exh1.xlsx"))
        for name in EXHIBIT_FILES:
            if name in ("exh1", "exh18"):
                body = exhibit(reference_dir, name).read_bytes()
                reply = Reply(200, body, {"Last-Modified": "Tue, 05 Oct 2021 12:30:00 GMT"})
            else:
                reply = Reply(404)
            server.plan(f"/current_press_release/{name}.xlsx", reply)
        live = migrated(Settings())
        items = pipeline.fetch(live, "ft900")
    landed = [i for i in items if not isinstance(i, pipeline.NotModified)]
    assert sorted(i.url.rsplit("/", 1)[-1] for i in landed) == ["exh1.xlsx", "exh18.xlsx"]
    missing = [i for i in items if isinstance(i, pipeline.NotModified)]
    assert {i.status for i in missing} == {"no_data"} and len(missing) == len(EXHIBIT_FILES) - 2
    for item in landed:
        assert pipeline.ingest(live, "ft900", item).status == "published"
    [(failed,)] = query(live, "SELECT count(*) FROM ops.fetches WHERE error IS NOT NULL")
    assert failed == 0
