"""The live profile's path through the pipeline against a real HTTP server on 127.0.0.1:
the census country file served like census.gov would, with a secret in the URL."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.httpserver import Reply, ScriptedServer, scripted_server
from tests.ingest.test_pipeline import NEWEST, migrated, query, run_source
from tradewh.settings import Settings
from tradewh.sources import census_country

SECRET = "SECRET-KEY-123"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as server:
        yield server


@pytest.fixture
def live(settings: Settings, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("TRADEWH_PROFILE", "live")
    monkeypatch.setenv("CENSUS_API_KEY", SECRET)
    monkeypatch.setattr(census_country, "LIVE_URL", server.url(f"/country.xlsx?key={SECRET}"))
    return migrated(Settings())


def served(status: int = 200, **headers: str) -> Reply:
    body = NEWEST.read_bytes() if status == 200 else b""
    return Reply(status=status, body=body, headers=headers)


def test_live_fetch_publishes_then_304(live: Settings, server: ScriptedServer) -> None:
    validators = {"ETag": '"v2024-11"', "Last-Modified": "Fri, 01 Nov 2024 13:00:00 GMT"}
    server.plan("/country.xlsx", Reply(status=503), served(**validators), served(304))

    [first] = run_source(live)
    assert first.status == "published"
    [second] = run_source(live)
    assert second.status == "not_modified"
    conditional = server.seen("/country.xlsx")[-1]
    assert conditional.header("If-None-Match") == '"v2024-11"'
    assert conditional.header("If-Modified-Since") == validators["Last-Modified"]

    [(published,)] = query(
        live, "SELECT strftime(published_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM ops.releases"
    )
    assert published == "2024-11-01 13:00"


def test_secrets_stay_out_of_ledgers_and_landing(live: Settings, server: ScriptedServer) -> None:
    server.plan("/country.xlsx", served(ETag='"x"'))
    run_source(live)
    ledgers = query(
        live,
        "SELECT url || coalesce(landed_path, '') FROM ops.fetches "
        "UNION ALL SELECT url FROM ops.releases",
    )
    assert ledgers and all(SECRET not in text for (text,) in ledgers)
    assert all("key=***" in text for (text,) in ledgers)
    for path in Path(live.landing_dir).rglob("*"):
        assert SECRET not in str(path)


def test_fetch_failure_is_recorded_and_named(live: Settings, server: ScriptedServer) -> None:
    server.plan("/country.xlsx", Reply(status=404, body=b"Not Found"))
    from tradewh import pipeline

    with pytest.raises(pipeline.SourceFetchError, match="census_country.*404") as raised:
        pipeline.fetch(live, "census_country")
    assert SECRET not in str(raised.value)
    [(status, error)] = query(live, "SELECT status, error FROM ops.fetches")
    assert status == 404 and "Not Found" in error and SECRET not in error


# Made-up figures in the Census API's answer shape: all strings, header first, time last.
API_ROWS = {
    "exports": [
        ["CTY_CODE", "CTY_NAME", "E_ENDUSE", "ALL_VAL_MO", "time"],
        ["-", "TOTAL FOR ALL COUNTRIES", "-", "3000000000", "2024-01"],
        ["5880", "JAPAN", "-", "1000000000", "2024-01"],
        ["1220", "CANADA", "-", "2000000000", "2024-01"],
        ["5880", "JAPAN", "3", "100000000", "2024-01"],
        ["1220", "CANADA", "3", "NULL", "2024-01"],
    ],
    "imports": [
        ["CTY_CODE", "CTY_NAME", "I_ENDUSE", "GEN_VAL_MO", "time"],
        ["-", "TOTAL FOR ALL COUNTRIES", "-", "5500000000", "2024-01"],
        ["5880", "JAPAN", "-", "3000000000", "2024-01"],
        ["1220", "CANADA", "-", "2500000000", "2024-01"],
        ["5880", "JAPAN", "3", "1100000000", "2024-01"],
        ["1220", "CANADA", "3", "N/A", "2024-01"],
    ],
}


def test_census_api_through_the_pipeline_to_the_enduse_mart(
    settings: Settings, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from tradewh import pipeline, warehouse
    from tradewh.sources import census_api

    monkeypatch.setenv("TRADEWH_PROFILE", "live")
    monkeypatch.setenv("CENSUS_API_KEY", SECRET)
    monkeypatch.setattr(census_api.asking, "BASE_URL", server.url("/data/timeseries/intltrade"))
    settings = migrated(Settings())
    for flow, rows in API_ROWS.items():
        # Every span of months asked gets the same answer: one vintage, the rest unchanged.
        body = json.dumps(rows).encode()
        server.plan(f"/data/timeseries/intltrade/{flow}/enduse", Reply(body=body, repeat=True))

    statuses = []
    for item in pipeline.fetch(settings, "census_api"):
        statuses.append(pipeline.ingest(settings, "census_api", item).status)
    assert statuses.count("published") == 2
    assert set(statuses) == {"published", "unchanged"}
    with warehouse.writer(settings) as con:
        warehouse.rebuild_views(con, settings.sql_dir)

    # Whole dollars become exact $ millions; NULL and N/A cells are not observations.
    assert query(
        settings,
        "SELECT flow, commodity_code, value_musd FROM core.observations "
        "WHERE partner_code = '5880' ORDER BY flow, commodity_code",
    ) == [
        ("exports", "-", Decimal("1000")),
        ("exports", "3", Decimal("100")),
        ("imports", "-", Decimal("3000")),
        ("imports", "3", Decimal("1100")),
    ]
    assert query(
        settings, "SELECT count(*) FROM core.observations WHERE partner_code = '1220'"
    ) == [(2,)]
    # Autos and parts: -1,000 of Japan's -2,000 $M deficit in January 2024.
    assert query(
        settings,
        "SELECT balance_musd, total_balance_musd, share_of_balance_pct "
        "FROM marts.enduse_composition WHERE partner_code = '5880' AND frequency = 'M'",
    ) == [(Decimal("-1000"), Decimal("-2000"), Decimal("50.00"))]
    # The key went to the server, never into the ledgers.
    assert any(
        seen.query.count(SECRET)
        for seen in server.seen("/data/timeseries/intltrade/exports/enduse")
    )
    assert all(SECRET not in url for (url,) in query(settings, "SELECT url FROM ops.fetches"))
