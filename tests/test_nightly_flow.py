"""The nightly flow end to end on the bundled sample archive, under a temporary Prefect API."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tradewh import warehouse
from tradewh.settings import Settings

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
    assert first.ok
    [census] = first.sources
    assert (census.fetched, census.published, census.quarantined) == (3, 3, 0)
    assert census.checks_failed == 0 and census.checks_passed == 45
    assert census.rows_published > 100_000
    assert "3 new" in first.render()

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
        "AND year(period) = 2019",
    )
    assert (first_2019, latest_2019) == (Decimal("-69189.1"), Decimal("-69111.3"))
    assert answer(
        settings,
        "SELECT count(*) > 0 FROM marts.revisions WHERE revision_musd <> 0",
    ) == [(True,)]

    # Every query the README shows runs on the sample warehouse.
    from tests.test_docs import readme_queries

    for sql in readme_queries():
        assert answer(settings, sql), sql

    before = checksums(settings)
    second = nightly_refresh()
    assert second.ok
    assert second.new_vintages == 0
    assert second.sources[0].not_modified == 3
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

    archive = tmp_path / "sample" / "census_country"
    archive.mkdir(parents=True)
    (archive / "country_9999-01.xlsx").write_bytes(b"not a workbook")
    monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(tmp_path / "sample"))

    state = nightly_refresh(return_state=True)
    assert state.is_failed()
    assert "census_country" in state.message
    summary = state.result(raise_on_failure=False)
    assert summary.sources[0].quarantined == 1
    assert summary.views > 0  # views were still rebuilt
    assert answer(settings, "SELECT state FROM ops.runs") == [("failed",)]
    assert answer(settings, "SELECT count(*) FROM marts.balance_monthly") == [(0,)]
