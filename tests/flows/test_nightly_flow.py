"""The nightly flow end to end on the bundled sample archive, under a temporary Prefect API."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

import pytest

from tests.paths import SAMPLE
from tradewh import warehouse
from tradewh.settings import Settings

if TYPE_CHECKING:
    from prefect.client.schemas.objects import TaskRun

pytestmark = pytest.mark.usefixtures("prefect_harness")


# Attempt logs grow on every run by design (a 304 is a fetch too); everything else must not move.
ATTEMPT_LOGS = {"ops.fetches", "ops.runs"}


def checksums(settings: Settings) -> dict[str, str]:
    con = warehouse.reader(settings)
    try:
        return {
            name: digest
            for name, digest in warehouse.table_checksums(con).items()
            if name not in ATTEMPT_LOGS
        }
    finally:
        con.close()


def answer(settings: Settings, sql: str) -> list[tuple]:
    con = warehouse.reader(settings)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_refresh_twice_on_the_sample(settings: Settings) -> None:
    from flows.nightly import nightly_refresh

    first = nightly_refresh()
    assert first.ok, first.render()
    by_source = {s.source: s for s in first.sources}
    assert list(by_source) == [
        "census_country",
        "census_api",
        "ft900",
        "alfred",
        "news",
        "census_enduse",
    ]
    published = {name: (s.fetched, s.published, s.quarantined) for name, s in by_source.items()}
    assert published == {
        "census_country": (4, 4, 0),
        "census_api": (0, 0, 0),  # no published figures at hand: left out of the sample
        # Exhibit 1 of 7 releases, the other 16 exhibits of August 2021, Exhibit 12 of 2 more.
        "ft900": (25, 25, 0),
        "alfred": (1, 1, 0),
        "news": (5, 5, 0),  # two feeds and the three article pages they link to
        "census_enduse": (1, 1, 0),
    }
    assert "nothing to fetch in the sample profile" in by_source["census_api"].messages
    assert all(s.checks_failed == 0 for s in first.sources)
    assert by_source["census_country"].checks_passed == 64  # 16 per vintage
    assert by_source["census_country"].rows_published > 100_000
    assert first.cross_source == "cross_source: all 2 checks passed"
    # The analysts' report, written by the flow (its content: tests/report/).
    assert first.report == str(settings.report_path)
    assert '<section id="japan">' in settings.report_path.read_text(encoding="utf-8")

    # March 1994 goods and services balance: first print (FT-900, 1994-05-19) and latest (ALFRED).
    assert answer(
        settings,
        "SELECT first_value_musd, first_source, latest_value_musd, latest_source "
        "FROM marts.revisions WHERE partner_code = '-' AND product = 'goods_and_services' "
        "AND measure = 'balance' AND period = DATE '1994-03-01'",
    ) == [(Decimal("-7460"), "ft900", Decimal("-6466"), "alfred")]
    # Japan's share of the 1994 goods deficit and its rank.
    assert answer(
        settings,
        "SELECT share_of_total_pct, deficit_rank FROM marts.deficit_shares "
        "WHERE frequency = 'A' AND period = DATE '1994-01-01' AND partner_code = '5880'",
    ) == [(Decimal("43.60"), 1)]
    # The annual 2025 revision of the goods and services balance, as FT-900 printed it.
    assert answer(
        settings,
        "SELECT first_value_musd, latest_value_musd FROM marts.revisions "
        "WHERE partner_code = '-' AND product = 'goods_and_services' AND measure = 'balance' "
        "AND frequency = 'A' AND period = DATE '2025-01-01'",
    ) == [(Decimal("-901469"), Decimal("-911689"))]

    # The questions of the issue, answered from the marts.
    japan_1994 = answer(
        settings,
        "SELECT period, balance_musd FROM marts.balance_monthly "
        "WHERE partner_code = '5880' AND period BETWEEN '1994-01-01' AND '1994-12-01' "
        "ORDER BY period",
    )
    assert len(japan_1994) == 12
    assert dict((str(p), b) for p, b in japan_1994)["1994-03-01"] == Decimal("-5752.7")
    assert answer(
        settings,
        "SELECT balance_musd, is_complete FROM marts.balance_annual "
        "WHERE partner_code = '5880' AND year = 1994",
    ) == [(Decimal("-65668.2"), True)]
    # 2019 was revised between the 2020-10 and 2024-11 vintages.
    [(first_2019, latest_2019)] = answer(
        settings,
        "SELECT round(sum(first_value_musd), 1), round(sum(latest_value_musd), 1) "
        "FROM marts.revisions WHERE partner_code = '5880' AND measure = 'balance' "
        "AND basis = 'census' AND adjustment = 'nsa' AND frequency = 'M' "
        "AND year(period) = 2019",
    )
    assert (first_2019, latest_2019) == (Decimal("-69189.1"), Decimal("-69111.3"))
    assert answer(
        settings,
        "SELECT count(*) > 0 FROM marts.revisions WHERE revision_musd <> 0",
    ) == [(True,)]

    # Issue 14: autos and parts with Japan in August 2021 and January-August 2021 (Exhibit 18),
    # their share of the goods deficit with Japan, and the August balance's first print.
    assert answer(
        settings,
        "SELECT frequency, exports_musd, imports_musd, balance_musd, share_of_goods_balance_pct, "
        "share_of_goods_balance_latest_pct "
        "FROM marts.autos_by_partner WHERE partner_name = 'Japan' AND period = '2021-08-01' "
        "ORDER BY frequency",
    ) == [
        (
            "M",
            Decimal("217"),
            Decimal("4390"),
            Decimal("-4173"),
            Decimal("66.60"),
            Decimal("67.88"),
        ),
        (
            "YTD",
            Decimal("1549"),
            Decimal("33375"),
            Decimal("-31826"),
            Decimal("74.25"),
            Decimal("74.25"),
        ),
    ]
    assert answer(
        settings,
        "SELECT first_value_musd, first_source, latest_value_musd, latest_source "
        "FROM marts.revisions WHERE partner_code = '5880' AND measure = 'balance' "
        "AND basis = 'census' AND adjustment = 'nsa' AND frequency = 'M' "
        "AND commodity_class = 'total' AND period = '2021-08-01'",
    ) == [(Decimal("-6266"), "ft900", Decimal("-6147.559774"), "census_country")]
    assert answer(settings, "SELECT count(*) > 0 FROM marts.enduse_composition") == [(True,)]

    # The news: the story that misquotes the March 1994 deficit ($7.64 billion for $7.46) is
    # the one figure that differs; every other quoted figure matches a print.
    verdicts = answer(
        settings,
        "SELECT quoted_text, verdict FROM marts.claim_check WHERE verdict NOT IN "
        "('matches_first_print', 'matches_latest', 'revised_since')",
    )
    assert verdicts == [("$7.64 billion", "differs")]
    assert first.claims > 20

    # Every view (and mart table) computes every column on the real data (a division by a
    # zero month once broke a whole view): hash each row to force all of them.
    views = answer(
        settings,
        "SELECT schema_name || '.' || view_name FROM duckdb_views() "
        "WHERE schema_name IN ('core', 'marts') UNION ALL "
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name = 'marts'",
    )
    assert len(views) >= 14
    for (view,) in views:
        assert answer(settings, f"SELECT count(*), max(hash(t)) FROM {view} AS t")[0][0] >= 0

    # The README shows this run's summary, abridged only where it says so.
    from tests.test_docs import abridged, readme_output_after, readme_queries

    printed = first.render().replace(str(settings.data_dir), "data") + "\n"
    assert abridged(readme_output_after("prints what it did")).fullmatch(printed), printed

    # Every query the README shows runs on the sample warehouse.

    for sql in readme_queries():
        assert answer(settings, sql), sql

    before = checksums(settings)
    second = nightly_refresh()
    assert second.ok
    assert second.new_vintages == 0
    # The pages already fetched are not followed again: only the feeds are asked.
    assert [s.not_modified for s in second.sources] == [4, 0, 25, 1, 2, 1]
    assert "nothing new" in second.render()
    assert checksums(settings) == before
    assert answer(settings, "SELECT state FROM ops.runs ORDER BY run_id") == [
        ("completed",),
        ("completed",),
    ]


def test_failed_source_does_not_stop_the_views_and_fails_the_run(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.nightly import nightly_refresh

    # The bundled ALFRED files, two FT-900 exhibits (Exhibit 14 gives Japan's months; the
    # whole release only costs time here), and a broken country file.
    shutil.copytree(SAMPLE / "alfred", tmp_path / "sample" / "alfred")
    shutil.copytree(
        SAMPLE / "ft900",
        tmp_path / "sample" / "ft900",
        ignore=lambda _, names: [n for n in names if not n.startswith(("exh1_2021", "exh14_"))],
    )
    archive = tmp_path / "sample" / "census_country"
    archive.mkdir(parents=True)
    (archive / "country_9999-01.xlsx").write_bytes(b"not a workbook")
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(tmp_path / "sample"))

    state = nightly_refresh(return_state=True)
    assert state.is_failed()
    assert "census_country" in state.message
    summary = state.result(raise_on_failure=False)
    assert summary.failed_sources == ["census_country"]
    assert summary.sources[0].quarantined == 1
    assert summary.views > 0  # views were still rebuilt
    assert answer(settings, "SELECT state FROM ops.runs") == [("failed",)]
    # The healthy sources of the same archive were published.
    assert answer(settings, "SELECT DISTINCT source FROM core.observations ORDER BY 1") == [
        ("alfred",),
        ("ft900",),
    ]
    # Japan's months come from the FT-900 exhibits only: nothing of the failed country file.
    assert answer(
        settings, "SELECT DISTINCT source FROM marts.balance_monthly WHERE partner_code = '5880'"
    ) == [("ft900",)]


def test_fetch_failure_is_isolated_to_its_source(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.nightly import nightly_refresh

    shutil.copytree(SAMPLE / "alfred", tmp_path / "sample" / "alfred")
    # A "file" the transport cannot read: the fetch fails after its retries.
    (tmp_path / "sample" / "census_country" / "country_9999-01.xlsx").mkdir(parents=True)
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(tmp_path / "sample"))

    state = nightly_refresh(return_state=True)
    assert state.is_failed()
    summary = state.result(raise_on_failure=False)
    assert summary.failed_sources == ["census_country"]
    [census] = [s for s in summary.sources if s.source == "census_country"]
    assert "country_9999-01.xlsx" in census.error
    # Tried twice: the task retry (TRADEWH_FETCH_TASK_RETRIES=1 in tests) after the first failure.
    assert answer(settings, "SELECT count(*) FROM ops.fetches WHERE source = 'census_country'") == [
        (2,)
    ]
    assert answer(settings, "SELECT DISTINCT source FROM core.observations") == [("alfred",)]

    # In the Prefect UI each source's refresh is a task run holding its fetch (retried) and a
    # task run per payload published; the failed fetch fails its task run, not its source's.
    runs = task_runs(state.state_details.flow_run_id)
    [fetch_census] = runs["fetch-census_country"]
    [refresh_census] = runs["refresh-census_country"]
    assert fetch_census.state.is_failed() and fetch_census.run_count == 2
    assert refresh_census.state.is_completed()
    assert parents(fetch_census) == {refresh_census.id}
    [publish_alfred] = runs["publish-alfred"]
    [refresh_alfred] = runs["refresh-alfred"]
    assert publish_alfred.state.is_completed()
    assert parents(publish_alfred) == {refresh_alfred.id}


def task_runs(flow_run_id: UUID) -> dict[str, list[TaskRun]]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        found = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    runs: dict[str, list[TaskRun]] = {}
    for run in found:
        runs.setdefault(run.name, []).append(run)
    return runs


def parents(run: TaskRun) -> set[UUID]:
    return {parent.id for parent in run.task_inputs.get("__parents__", [])}
