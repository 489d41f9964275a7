"""validate_query (row-wise expectations screened in DuckDB, those it fails or cannot translate
in GX on chunks, set-wise ones decided in DuckDB) gives the report GX gives on the whole batch at
once (validate_frame), failures, counts and samples included, whatever the chunk size; a clean
batch never enters the GX chunk loop, and GX on the sample overrules a wrong screen."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tradewh.ingest import row_screen, validation_stream
from tradewh.ingest.validation import ValidationReport, validate_frame
from tradewh.ingest.validation_stream import validate_query
from tradewh.settings import Settings

PARAMETERS = {"max_period": "2024-06-01T00:00:00"}


def _rows(count: int) -> pd.DataFrame:
    """An audit frame of the census_api suite's shape: `count` good rows."""
    return pd.DataFrame(
        {
            "period": [date(2024, 1 + i % 5, 1) for i in range(count)],
            "partner_code": [f"{1000 + i // 5:04d}" for i in range(count)],
            "flow": ["exports"] * count,
            "commodity_class": ["hs"] * count,
            "commodity_code": ["8703230190"] * count,
            "value_musd": [float(i) for i in range(count)],
            "value_is_number": [True] * count,
            "trade_value_musd": [float(i) for i in range(count)],
            "world_gap_musd": [None] * count,
        }
    )


def _bad(frame: pd.DataFrame) -> pd.DataFrame:
    """Spread errors over the whole batch, so that they fall in several chunks."""
    frame = frame.copy()
    frame.loc[[3, 17, 41], "flow"] = "reexports"  # in set, several chunks
    frame.loc[[5, 44], "partner_code"] = "12A4"  # regex
    frame.loc[[8], "partner_code"] = None  # not null (and regex: missing is not unexpected)
    frame.loc[[29, 30], "trade_value_musd"] = -1.0  # between
    frame.loc[[12], "world_gap_musd"] = 5.0  # a warning
    frame.loc[[21], "period"] = date(2031, 1, 1)  # after max_period
    # Duplicate keys: row 33 repeats row 2's key, row 47 repeats row 46's.
    for row, of in ((33, 2), (47, 46)):
        for column in ("period", "partner_code", "flow", "commodity_code"):
            frame.loc[row, column] = frame.loc[of, column]
    return frame


def _summary(report: ValidationReport) -> list[tuple]:
    return [
        (
            f.expectation,
            f.column,
            f.severity,
            f.unexpected_count,
            round(f.unexpected_percent, 6) if f.unexpected_percent is not None else None,
            sorted(json.dumps(s, sort_keys=True, default=str) for s in f.samples),
            json.dumps(f.observed, default=str),
        )
        for f in report.failures
    ]


def _by_query(
    frame: pd.DataFrame, suite: Path, sql_dir: Path, chunk_rows: int, hinted: bool = False
) -> ValidationReport:
    """validate_query on `frame`; `hinted`: told the row count, as the pipeline tells it (GX's
    sample is then drawn in the screen's scan, spread over the batch)."""
    con = duckdb.connect()
    try:
        con.register("frame", frame)
        con.execute("CREATE TABLE kept AS FROM frame")  # in the frame's order
        return validate_query(
            con,
            "SELECT * FROM kept",
            "census_api",
            suite,
            sql_dir,
            PARAMETERS,
            chunk_rows,
            expected_rows=len(frame) if hinted else None,
        )
    finally:
        con.close()


@pytest.mark.parametrize("hinted", [False, True])
@pytest.mark.parametrize("chunk_rows", [7, 50, 500_000])
def test_chunked_bad_batch_reports_what_gx_reports_whole(chunk_rows: int, hinted: bool) -> None:
    settings = Settings()
    suite = settings.expectations_dir / "census_api.json"
    frame = _bad(_rows(50))
    whole = validate_frame(frame.copy(), "census_api", suite, PARAMETERS)
    chunked = _by_query(frame, suite, settings.sql_dir, chunk_rows, hinted)
    assert (chunked.evaluated, chunked.passed) == (whole.evaluated, whole.passed)
    assert _summary(chunked) == _summary(whole)
    failed = {f.expectation + ":" + str(f.column) for f in chunked.failures}
    # Every kind of error planted was found, the set-wise one (duplicates) included.
    assert {
        "expect_column_values_to_be_in_set:flow",
        "expect_column_values_to_match_regex:partner_code",
        "expect_column_values_to_not_be_null:partner_code",
        "expect_column_values_to_be_between:trade_value_musd",
        "expect_column_values_to_be_between:world_gap_musd",
        "expect_column_values_to_be_between:period",
        "expect_compound_columns_to_be_unique:period,partner_code,flow,commodity_code",
    } <= failed
    assert not chunked.success


def test_good_batch_passes_and_row_count_is_set_wise() -> None:
    settings = Settings()
    suite = settings.expectations_dir / "census_api.json"
    good = _by_query(_rows(40), suite, settings.sql_dir, 7)
    assert good.success and good.failures == [] and good.passed == good.evaluated
    # An empty batch fails the row count (at least 1 row), as GX says on the whole.
    empty = _rows(0)
    whole = validate_frame(empty.copy(), "census_api", suite, PARAMETERS)
    chunked = _by_query(empty, suite, settings.sql_dir, 7)
    assert _summary(chunked) == _summary(whole)
    assert [f.expectation for f in chunked.failures] == ["expect_table_row_count_to_be_between"]


def test_distinct_values_are_set_wise() -> None:
    """expect_column_distinct_values_to_contain_set needs every row: never judged on a chunk."""
    settings = Settings()
    suite = settings.expectations_dir / "census_api.json"
    raw = json.loads(suite.read_text())
    raw["expectations"] = [
        {
            "type": "expect_column_distinct_values_to_contain_set",
            "kwargs": {"column": "flow", "value_set": ["exports", "imports"]},
            "severity": "critical",
        }
    ]
    path = Path(settings.data_dir) / "distinct.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw))
    frame = _rows(20)
    frame.loc[19, "flow"] = "imports"  # the only imports row: in the last chunk alone
    assert _by_query(frame, path, settings.sql_dir, 7).success
    frame.loc[19, "flow"] = "exports"
    whole = validate_frame(frame.copy(), "census_api", path, PARAMETERS)
    chunked = _by_query(frame, path, settings.sql_dir, 7)
    assert not chunked.success and _summary(chunked) == _summary(whole)


class _Spy:
    """Records the suite positions sent to the GX chunk path, then runs it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[list[int]] = []
        real = validation_stream.row_wise_failures

        def spy(con, raw, dataset, parameters, in_chunks, *args):  # type: ignore[no-untyped-def]
            self.calls.append(list(in_chunks))
            return real(con, raw, dataset, parameters, in_chunks, *args)

        monkeypatch.setattr(validation_stream, "row_wise_failures", spy)


def _suite_with(settings: Settings, name: str, extra: list[dict]) -> Path:
    raw = json.loads((settings.expectations_dir / "census_api.json").read_text())
    raw["expectations"] += extra
    path = Path(settings.data_dir) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw))
    return path


def _position(path: Path, kind: str, column: str) -> int:
    expectations = json.loads(path.read_text())["expectations"]
    return next(
        p
        for p, e in enumerate(expectations)
        if e["type"] == kind and e["kwargs"].get("column") == column
    )


@pytest.mark.parametrize("hinted", [False, True])
def test_a_clean_batch_never_enters_the_gx_chunk_loop(
    monkeypatch: pytest.MonkeyPatch, hinted: bool
) -> None:
    settings = Settings()
    suite = settings.expectations_dir / "census_api.json"
    spy = _Spy(monkeypatch)
    sampled: list[list[int]] = []
    real_sample = validation_stream.sample_failures

    def sample(rows, raw, dataset, parameters, positions):  # type: ignore[no-untyped-def]
        sampled.append(positions)
        return real_sample(rows, raw, dataset, parameters, positions)

    monkeypatch.setattr(validation_stream, "sample_failures", sample)
    report = _by_query(_rows(60), suite, settings.sql_dir, 7, hinted)
    assert report.success and report.passed == report.evaluated
    assert spy.calls == []
    # GX still saw the batch: every row-wise expectation of the suite, on the sample.
    row_wise = [
        p
        for p, e in enumerate(json.loads(suite.read_text())["expectations"])
        if e["type"] in validation_stream.ROW_WISE
    ]
    assert sampled == [row_wise]


def test_a_bad_batch_fails_as_it_did_without_the_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings()
    suite = settings.expectations_dir / "census_api.json"
    frame = _bad(_rows(50))
    spy = _Spy(monkeypatch)
    screened = _by_query(frame, suite, settings.sql_dir, 7)
    # Only the failing row-wise expectations went to GX's chunk path.
    row_wise_failed = {
        _position(suite, f.expectation, str(f.column))
        for f in screened.failures
        if f.expectation in validation_stream.ROW_WISE
    }
    assert len(spy.calls) == 1 and set(spy.calls[0]) == row_wise_failed
    monkeypatch.setattr(row_screen, "translate", lambda *args: None)  # no screen: all in GX
    unscreened = _by_query(frame, suite, settings.sql_dir, 7)
    assert screened.failures == unscreened.failures
    assert (screened.evaluated, screened.passed) == (unscreened.evaluated, unscreened.passed)


def test_an_untranslatable_expectation_goes_to_gx(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings()
    # \d is Unicode in Python, ASCII in RE2: the screen leaves it to GX.
    path = _suite_with(
        settings,
        "untranslatable",
        [
            {
                "type": "expect_column_values_to_match_regex",
                "kwargs": {"column": "commodity_code", "regex": r"^\d{6}$"},
                "severity": "critical",
            }
        ],
    )
    position = len(json.loads(path.read_text())["expectations"]) - 1
    spy = _Spy(monkeypatch)
    frame = _rows(30)
    chunked = _by_query(frame, path, settings.sql_dir, 7)
    whole = validate_frame(frame.copy(), "census_api", path, PARAMETERS)
    assert spy.calls == [[position]]
    assert _summary(chunked) == _summary(whole)
    assert [(f.expectation, f.unexpected_count) for f in chunked.failures] == [
        ("expect_column_values_to_match_regex", 30)
    ]


def _wrong_flow_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """A screen bug, forced: the flow check passes every row."""
    real = row_screen.translate

    def wrong(position, expectation, types, parameters):  # type: ignore[no-untyped-def]
        check = real(position, expectation, types, parameters)
        if check is not None and expectation["kwargs"].get("column") == "flow":
            return dataclasses.replace(check, unexpected="false")
        return check

    monkeypatch.setattr(row_screen, "translate", wrong)


@pytest.mark.parametrize("hinted", [False, True])
def test_gx_overrules_the_screen_when_they_disagree_on_the_sample(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, hinted: bool
) -> None:
    """A screen bug (here forced: the flow check made to pass everything) is caught by GX on
    the sample, and the expectation is judged by GX on the whole batch."""
    settings = Settings()
    suite = settings.expectations_dir / "census_api.json"
    _wrong_flow_screen(monkeypatch)
    spy = _Spy(monkeypatch)
    frame = _bad(_rows(50))
    with caplog.at_level(logging.WARNING, logger="tradewh.ingest.validation_stream"):
        chunked = _by_query(frame, suite, settings.sql_dir, 7, hinted)
    flow = _position(suite, "expect_column_values_to_be_in_set", "flow")
    assert flow in spy.calls[0]
    assert any("GX fails it on a sample" in r.getMessage() for r in caplog.records)
    whole = validate_frame(frame.copy(), "census_api", suite, PARAMETERS)
    assert _summary(chunked) == _summary(whole)
    failed = {(f.expectation, f.column): f.unexpected_count for f in chunked.failures}
    assert failed[("expect_column_values_to_be_in_set", "flow")] == 3


def test_the_sample_is_spread_over_the_batch_not_its_first_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the row count known (as the pipeline knows it), GX's sample comes from all over
    the batch: a screen bug that shows only after the first SAMPLE_ROWS rows is still caught.
    The first-rows sample (no hint) misses it: that is what the spread buys."""
    settings = Settings()
    suite = settings.expectations_dir / "census_api.json"
    monkeypatch.setattr(validation_stream, "SAMPLE_ROWS", 10)
    _wrong_flow_screen(monkeypatch)
    frame = _rows(400)
    frame.loc[40:, "flow"] = "reexports"  # wrong everywhere but in the first 40 rows
    flow = ("expect_column_values_to_be_in_set", "flow")
    spread = _by_query(frame, suite, settings.sql_dir, 500_000, hinted=True)
    assert {(f.expectation, f.column): f.unexpected_count for f in spread.failures} == {flow: 360}
    first_rows = _by_query(frame, suite, settings.sql_dir, 500_000, hinted=False)
    assert first_rows.success  # the forced screen bug, unseen in the first 10 rows
