"""One measured load of a generated data set, in this (fresh) process; prints its figures as
one JSON line. Run by bench/run.py, once per repetition:

    python -m bench.ingest tradewh DATA WORK --api URL   # our path: fetch, parse, stage,
                                                          # validate, publish, views
    python -m bench.ingest duckdb_json DATA WORK         # DuckDB read_json + one checks query
    python -m bench.ingest duckdb_csv DATA WORK          # DuckDB read_csv + the same query
    python -m bench.ingest duckdb_lake DATA WORK         # DuckDB read_json into a DuckLake + checks
    python -m bench.ingest dlt DATA WORK                 # dlt: merge into DuckDB on the key
    python -m bench.ingest dlt_lake DATA WORK            # dlt: merge into a DuckLake on the key

Our path runs with the settings of the environment (bench/run.py points TRADEWH_WAREHOUSE and
TRADEWH_LANDING_DIR at WORK and the census_api source at the local server).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.common import RssSampler, peak_rss_bytes, rss_bytes, timed
from bench.generate import Dataset

KEY = ["period", "partner_code", "flow", "commodity_code"]


def tradewh(data: Path, work: Path, api: str) -> dict[str, Any]:
    timings: dict[str, float] = {}
    with RssSampler() as sampler:
        with timed(timings, "import", sampler):
            from tradewh import pipeline, warehouse
            from tradewh.http import HttpClient
            from tradewh.ingest import validation
            from tradewh.settings import get_settings
            from tradewh.sources import census_api

            settings = get_settings()
            assert settings.data_dir == work, settings.warehouse
            census_api.asking.BASE_URL = api
        # Paid once per process, not per payload: Great Expectations' import and context.
        with timed(timings, "gx_import", sampler):
            validation._context()
        with timed(timings, "migrate", sampler):
            with warehouse.writer(settings) as con:
                warehouse.migrate(con, settings.sql_dir)
        after_setup = rss_bytes()
        dataset = Dataset.load(data)
        # One payload a flow holding the whole year, as generated (a backfill asks a month a
        # request: bench/backfill.py).
        year = (date(dataset.year, 1, 1), date(dataset.year, 12, 1))
        requests = [
            request
            for request in census_api.asking._requests(settings, [year], "HS10")
            if urlsplit(request.url).path.endswith("/hs")
        ]
        landed = []
        with timed(timings, "fetch", sampler), HttpClient.from_settings(settings) as client:
            for request in requests:
                landed.append(pipeline.fetch_one(settings, client, census_api.SOURCE, request))
        pipeline.stage_listeners.append(sampler.enter)
        outcomes = []
        started = time.perf_counter()
        for payload in landed:
            outcomes.append(pipeline.ingest(settings, census_api.NAME, payload))
        ingest_wall = time.perf_counter() - started
        with timed(timings, "views", sampler):
            with warehouse.writer(settings) as con:
                views = warehouse.rebuild_views(con, settings.sql_dir)
        sampler.enter("end")
    for outcome in outcomes:
        for stage, seconds in outcome.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    staged = sum(timings.get(s, 0.0) for s in ("parse", "stage", "validate", "publish"))
    timings["ingest"] = ingest_wall
    timings["ingest_other"] = ingest_wall - staged
    with warehouse.writer(settings) as con:
        rows = con.execute("SELECT count(*) FROM core.observations").fetchone()[0]
    return {
        "mode": "tradewh",
        "rows": dataset.rows,
        "rows_published": rows,
        "payloads": len(landed),
        "statuses": [o.status for o in outcomes],
        "checks": [[o.checks_evaluated, o.checks_passed, o.checks_failed] for o in outcomes],
        "warnings": [w for o in outcomes for w in o.warnings],
        "views": len(views),
        "timings": timings,
        "rss_peaks": sampler.peaks,
        "rss_after_setup": after_setup,
        "peak_rss": peak_rss_bytes(),
    }


# The rows of either source as the warehouse holds them: typed, values in exact $M.
TYPED = """
    CAST(strptime({time}, '%Y-%m') AS DATE) AS period,
    {flow} AS flow,
    {code} AS partner_code,
    {name} AS partner_name,
    {code} = '-' OR {code} LIKE '00__' OR {code} LIKE '_XXX' AS partner_is_aggregate,
    'hs' AS commodity_class,
    {commodity} AS commodity_code,
    {value} AS value_text,
    TRY_CAST(TRY_CAST({value} AS DECIMAL(18, 0)) * CAST(0.000001 AS DECIMAL(7, 6))
        AS DECIMAL(18, 6)) AS value_musd
"""


def _json_source(data: Path, dataset: Dataset) -> str:
    files = ", ".join(f"'{data / name}'" for name in dataset.files.values())
    columns = TYPED.format(
        time="r[6]",
        flow="CASE WHEN filename LIKE '%exports%' THEN 'exports' ELSE 'imports' END",
        code="r[1]",
        name="r[2]",
        commodity="r[3]",
        value="r[4]",
    )
    return f"""
        SELECT {columns}
        FROM read_json([{files}], format = 'array', records = 'false',
            columns = {{'r': 'VARCHAR[]'}}, filename = true)
        WHERE r[1] <> 'CTY_CODE'
    """


def _csv_source(data: Path, dataset: Dataset) -> str:
    columns = TYPED.format(
        time="time",
        flow="flow",
        code="CTY_CODE",
        name="CTY_NAME",
        commodity="COMMODITY",
        value="VALUE",
    )
    types = {
        "flow": "VARCHAR",
        "CTY_CODE": "VARCHAR",
        "CTY_NAME": "VARCHAR",
        "COMMODITY": "VARCHAR",
        "VALUE": "VARCHAR",
        "time": "VARCHAR",
    }
    return f"""
        SELECT {columns}
        FROM read_csv('{data / dataset.csv}', header = true, delim = ',', quote = '"',
            escape = '"', columns = {types!r})
    """


# The checks of expectations/census_api.json and sql/pipeline/observations/audit.sql that
# apply to these rows, in one query: each column counts the rows that fail one check.
CHECKS = """
WITH obs AS (SELECT * FROM observations),
world AS (
    SELECT
        period, flow, commodity_code,
        sum(value_musd) FILTER (WHERE NOT partner_is_aggregate) AS countries,
        max(value_musd) FILTER (WHERE partner_code = '-') AS total
    FROM obs
    GROUP BY ALL
),
keys AS (
    SELECT count(*) - count(DISTINCT (period, partner_code, flow, commodity_code)) AS duplicated
    FROM obs
)
SELECT
    count(*) AS row_count,
    count_if(period IS NULL) AS period_null,
    count_if(partner_code IS NULL) AS partner_null,
    count_if(flow IS NULL) AS flow_null,
    count_if(NOT regexp_full_match(partner_code, '-|[0-9]{4}|[0-9]XXX')) AS partner_bad,
    count_if(flow NOT IN ('exports', 'imports')) AS flow_bad,
    count_if(commodity_class NOT IN ('total', 'enduse', 'hs')) AS class_bad,
    count_if(value_text IS NOT NULL AND value_musd IS NULL) AS not_a_number,
    any_value(keys.duplicated) AS duplicated,
    count_if(period < DATE '2010-01-01' OR period > date_trunc('month', current_date))
        AS period_out_of_range,
    count_if(value_musd < 0) AS negative,
    (SELECT count_if(abs(countries - total) > 1) FROM world) AS world_gap
FROM obs, keys
"""


def duckdb_load(data: Path, work: Path, source: str) -> dict[str, Any]:
    import duckdb

    dataset = Dataset.load(data)
    select = _json_source(data, dataset) if source == "json" else _csv_source(data, dataset)
    timings: dict[str, float] = {}
    with RssSampler() as sampler:
        con = duckdb.connect(str(work / "baseline.duckdb"))
        # As our writer connection: big loads without keeping insertion order.
        con.execute("SET preserve_insertion_order = false")
        with timed(timings, "load", sampler):
            con.execute(f"CREATE TABLE observations AS {select}")
        with timed(timings, "checks", sampler):
            cursor = con.execute(CHECKS)
            names = [d[0] for d in cursor.description]
            checks = dict(zip(names, cursor.fetchone(), strict=True))
        con.close()
        sampler.enter("end")
    return {
        "mode": f"duckdb_{source}",
        "rows": dataset.rows,
        "rows_published": checks["row_count"],
        "checks": checks,
        "timings": timings,
        "rss_peaks": sampler.peaks,
        "peak_rss": peak_rss_bytes(),
    }


def duckdb_lake_load(data: Path, work: Path) -> dict[str, Any]:
    """The same load + checks as duckdb_load, into a DuckLake like ours (SQLite catalog, Parquet
    files under WORK), attached as tradewh attaches it (not timed, as ours is not)."""
    from tradewh import warehouse
    from tradewh.settings import get_settings

    dataset = Dataset.load(data)
    select = _json_source(data, dataset)
    timings: dict[str, float] = {}
    with RssSampler() as sampler:
        con = warehouse.writer_connection(get_settings())
        con.execute("CREATE SCHEMA IF NOT EXISTS bench")
        with timed(timings, "load", sampler):
            con.execute(f"CREATE TABLE bench.observations AS {select}")
        with timed(timings, "checks", sampler):
            cursor = con.execute(CHECKS.replace("FROM observations", "FROM bench.observations"))
            names = [d[0] for d in cursor.description]
            checks = dict(zip(names, cursor.fetchone(), strict=True))
        con.close()
        sampler.enter("end")
    return {
        "mode": "duckdb_lake",
        "rows": dataset.rows,
        "rows_published": checks["row_count"],
        "checks": checks,
        "timings": timings,
        "rss_peaks": sampler.peaks,
        "peak_rss": peak_rss_bytes(),
    }


def _dlt_ducklake(work: Path) -> Any:
    """dlt's DuckLake destination on a SQLite catalog and local Parquet files, its connections
    pointed at tradewh's offline extension directory (no extension download here)."""
    import duckdb
    from dlt.common.configuration.specs.connection_string_credentials import (
        ConnectionStringCredentials,
    )
    from dlt.destinations import ducklake
    from dlt.destinations.impl.ducklake.configuration import DuckLakeCredentials

    from tradewh.settings import get_settings
    from tradewh.store import lake

    settings = get_settings()
    with duckdb.connect() as con:
        lake.prepare(con, settings)  # installs ducklake and sqlite from their wheels
    catalog = ConnectionStringCredentials(
        {"drivername": "sqlite", "database": str(work / "dlt_lake.sqlite")}
    )
    credentials = DuckLakeCredentials(
        "dlt_lake", catalog=catalog, storage=(work / "dlt_lake_files").as_uri()
    )
    credentials.global_config = {"extension_directory": str(lake.extension_dir(settings))}
    return ducklake(credentials=credentials)


def dlt_merge(data: Path, work: Path, on_lake: bool = False) -> dict[str, Any]:
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    timings: dict[str, float] = {}
    dataset = Dataset.load(data)
    with RssSampler() as sampler:
        with timed(timings, "import", sampler):
            import dlt
            import duckdb
        # dlt has no reader of its own for the API's array of arrays that is not a Python dict
        # per row (about 200 s per million rows): DuckDB reads it into Arrow for it.
        with timed(timings, "read", sampler):
            arrow = duckdb.connect().sql(_json_source(data, dataset)).to_arrow_table()
        destination = (
            _dlt_ducklake(work) if on_lake else dlt.destinations.duckdb(str(work / "dlt.duckdb"))
        )
        pipeline = dlt.pipeline(
            pipeline_name="bench",
            destination=destination,
            dataset_name="core",
            pipelines_dir=str(work / "dlt_pipelines"),
        )
        resource = dlt.resource(
            arrow, name="observations", write_disposition="merge", primary_key=KEY
        )
        with timed(timings, "extract", sampler):
            pipeline.extract(resource)
        del arrow, resource
        with timed(timings, "normalize", sampler):
            pipeline.normalize()
        with timed(timings, "load", sampler):
            pipeline.load()
        sampler.enter("end")
    with pipeline.sql_client() as client:
        rows = client.execute_sql("SELECT count(*) FROM observations")[0][0]
    return {
        "mode": "dlt_lake" if on_lake else "dlt",
        "rows": dataset.rows,
        "rows_published": rows,
        "timings": timings,
        "rss_peaks": sampler.peaks,
        "peak_rss": peak_rss_bytes(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "mode",
        choices=["tradewh", "duckdb_json", "duckdb_csv", "duckdb_lake", "dlt", "dlt_lake"],
    )
    parser.add_argument("data", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--api", help="base URL standing in for the Census API (tradewh)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.mode == "tradewh":
        result = tradewh(args.data, args.work, args.api)
    elif args.mode in ("dlt", "dlt_lake"):
        result = dlt_merge(args.data, args.work, on_lake=args.mode == "dlt_lake")
    elif args.mode == "duckdb_lake":
        result = duckdb_lake_load(args.data, args.work)
    else:
        result = duckdb_load(args.data, args.work, args.mode.removeprefix("duckdb_"))
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
