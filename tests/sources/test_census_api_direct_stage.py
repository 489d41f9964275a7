"""census_api's stage_path: a landed answer made the relation `batch` by DuckDB reading the file
where it lies gives exactly the rows the reference reading (json.loads) gives, declines whatever
fast_reader declines, and through the pipeline publishes or quarantines as the Arrow path does."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.httpserver import Reply, ScriptedServer, scripted_server
from tests.ingest.test_pipeline import migrated, query
from tests.sources.test_census_api import DECLINED, FAST, HS_ROWS, api_layout, with_cell
from tradewh import pipeline
from tradewh.http import HttpClient
from tradewh.ingest import publish
from tradewh.settings import Settings
from tradewh.sources import census_api


def staged(body: bytes, tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, object]:
    landed = tmp_path / "landed.json"
    landed.write_bytes(body)
    con = duckdb.connect()
    return con, census_api.direct_stage.stage_path(con, landed)


@pytest.mark.parametrize("case", list(FAST))
def test_direct_stage_gives_the_reference_rows(case: str, tmp_path: Path) -> None:
    body = FAST[case]
    con, made = staged(body, tmp_path)
    assert made is not None, "declined a payload in the API's layout"
    reference = census_api.parse_reference(body)
    con.register("reference", reference.table)
    # Same rows (as multisets, nulls equal), same column names and types.
    assert con.sql("SELECT * FROM batch EXCEPT ALL SELECT * FROM reference").fetchall() == []
    assert con.sql("SELECT * FROM reference EXCEPT ALL SELECT * FROM batch").fetchall() == []
    assert con.sql("SELECT count(*) FROM batch").fetchone()[0] == reference.table.num_rows
    assert con.sql("DESCRIBE batch").fetchall() == con.sql("DESCRIBE reference").fetchall()
    assert (made.rows, made.period_start, made.period_end) == (
        reference.table.num_rows,
        reference.period_start,
        reference.period_end,
    )
    made.release(con)
    with pytest.raises(duckdb.CatalogException):
        con.sql("SELECT * FROM batch")
    assert _cells_left(con) == 0


def _cells_left(con: duckdb.DuckDBPyConnection) -> int:
    """Temp tables holding a read of the file (census_api_cells) still on the connection."""
    return con.sql(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
        params=[census_api.direct_stage.CELLS],
    ).fetchone()[0]


@pytest.mark.parametrize("case", list(DECLINED))
def test_direct_stage_declines_what_the_fast_reading_declines(case: str, tmp_path: Path) -> None:
    con, made = staged(DECLINED[case], tmp_path)
    assert made is None
    assert con.sql("SELECT count(*) FROM duckdb_views() WHERE view_name = 'batch'").fetchone() == (
        0,
    )
    assert _cells_left(con) == 0  # nothing of the declined read stays on the connection


def _ingest(settings: Settings, server: ScriptedServer, body: bytes) -> pipeline.ReleaseOutcome:
    server.plan("/data/timeseries/intltrade/exports/hs", Reply(body=body, repeat=True))
    [request] = [
        r
        for r in census_api.requests_for_range(
            settings, HS_ROWS_MONTH, HS_ROWS_MONTH, hs_level="HS10"
        )
        if r.url.endswith("/exports/hs")
    ]
    with HttpClient.from_settings(settings) as client:
        landed = pipeline.fetch_one(settings, client, census_api.SOURCE, request)
    try:
        return pipeline.ingest(settings, "census_api", landed)
    except pipeline.Quarantined as exc:
        return exc.outcome


HS_ROWS_MONTH = date(2024, 1, 1)
CORE = (
    "SELECT period, flow, partner_code, partner_name, partner_is_aggregate, commodity_class, "
    "commodity_code, value_musd FROM core.observations ORDER BY ALL"
)
LEDGER = "SELECT status, period_start, period_end, row_count FROM ops.releases"


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        pytest.param(api_layout(HS_ROWS), "published", "published: 4 rows", id="published"),
        pytest.param(
            api_layout(with_cell(HS_ROWS, 1, 3, "12a")),
            "quarantined",
            "expect_column_values_to_be_in_set on value_is_number",
            id="not-a-number",
        ),
        pytest.param(
            api_layout([*HS_ROWS, HS_ROWS[2]]),
            "quarantined",
            "expect_compound_columns_to_be_unique",
            id="duplicated-row",
        ),
    ],
)
def test_through_the_pipeline_as_the_arrow_path(
    body: bytes,
    status: str,
    reason: str,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same payload, staged directly and through the Arrow table, in two warehouses: the
    same outcome, reason, ledger and published rows. Either way the batch is validated as a
    view over what was read (written once, by the publish): no temp table holds the staged
    rows, only, on the direct way, the one read of the file's cells."""
    monkeypatch.setenv("TRADEWH_PROFILE", "live")
    monkeypatch.setattr(census_api, "FAST_PARSE_MIN_BYTES", 0)
    seen = []
    for direct in (True, False):
        monkeypatch.setenv("TRADEWH_DATA_DIR", str(tmp_path / f"w{direct}" / "data"))
        monkeypatch.setenv("TRADEWH_LANDING_DIR", str(tmp_path / f"w{direct}" / "landing"))
        calls: list[Path] = []
        real = census_api.direct_stage.stage_path

        def spy(con, path, url=None, real=real, calls=calls, direct=direct):  # noqa: ANN001, ANN202
            calls.append(path)
            return real(con, path, url) if direct else None

        monkeypatch.setattr(census_api.direct_stage, "stage_path", spy)
        monkeypatch.setattr(census_api, "_stage_path", spy)
        held: list[tuple[list, list]] = []
        validate = publish.validate_query

        def looking(con, *args, validate=validate, held=held, **kwargs):  # noqa: ANN001, ANN202
            held.append(
                (
                    con.sql("SELECT view_name FROM duckdb_views() WHERE temporary").fetchall(),
                    con.sql("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall(),
                )
            )
            return validate(con, *args, **kwargs)

        monkeypatch.setattr(publish, "validate_query", looking)
        with scripted_server() as server:
            monkeypatch.setattr(
                census_api.asking, "BASE_URL", server.url("/data/timeseries/intltrade")
            )
            settings = migrated(Settings())
            outcome = _ingest(settings, server, body)
        assert len(calls) == 1
        [(views, tables)] = held
        assert ("staged_batch",) in views
        assert tables == ([(census_api.direct_stage.CELLS,)] if direct else [])
        reason = outcome.message.replace(f"vintage {outcome.release_id}", "vintage N")
        seen.append((outcome.status, reason, query(settings, LEDGER), query(settings, CORE)))
    assert seen[0] == seen[1]
    assert seen[0][0] == status and reason in seen[0][1], seen[0][1]
    assert seen[0][2][0][3] == len(json.loads(body)) - 1  # ledger row_count: the data rows
