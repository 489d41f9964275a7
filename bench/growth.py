"""Growth: the same publish of 1M rows of Census API HS10 detail into an empty warehouse and into
one already holding 20M rows, publish and views timed; one fresh process per run, its figures
printed as one JSON line. Run by bench/run.py (`--only growth`):

    python -m bench.growth prefill WORK DATA [--years 20]  # the grown warehouse, built once
    python -m bench.growth publish WORK DATA --api URL     # one measured publish + views

The grown warehouse holds `years` yearly vintages (2004-2023) of the generated data set's shape
(bench/generate.py: its partners and HS10 codes, 12 months, 2 flows, ~1M rows a year), written
straight into ops.releases, core.observations and ops.loads with DuckDB
(bench/growth_prefill.sql), plus each partner's monthly totals; its views are then built in
full, so that the measured publish starts, like one into an empty warehouse, from a built
warehouse. The publish is the real path: the two payloads fetched from the local server, then
pipeline.ingest (parse, stage, validate, publish) and warehouse.rebuild_views as a refresh
calls it (force=False).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.common import (
    RssSampler,
    api_server,
    fmt_mb,
    fmt_s,
    median,
    peak_rss_bytes,
    run_worker,
    table,
    timed,
)
from bench.generate import FLOWS, WORLD, Dataset, countries, generate, hs10_codes, parse_size

PREFILL = Path(__file__).with_name("growth_prefill.sql")
FIRST_YEAR = 2004
# The target: into a warehouse holding 20x as much, at most 1.2x the time (views in).
GROWN_VS_EMPTY = 1.2
MODES = ("empty", "grown")
GB = 1024**3


def prefill(work: Path, data: Path, years: int) -> dict[str, Any]:
    """Build the grown warehouse in `work` (its settings come from the environment)."""
    import numpy as np
    import pyarrow as pa

    from tradewh import warehouse
    from tradewh.settings import get_settings

    settings = get_settings()
    assert settings.data_dir == work, settings.warehouse
    dataset = Dataset.load(data)
    rng = np.random.default_rng(11)
    found = [WORLD, *countries()]
    partners = pa.table({"code": [c for c, _ in found], "name": [n for _, n in found]})
    flows, codes = [], []
    for flow in FLOWS:
        for code in hs10_codes(dataset.codes, rng):
            flows.append(flow)
            codes.append(code)
    timings: dict[str, float] = {}
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        con.register("partners", partners)
        con.register("codes", pa.table({"flow": flows, "code": codes}))
        with timed(timings, "insert"):
            con.execute("BEGIN TRANSACTION")
            con.execute(
                PREFILL.read_text().format(
                    first=FIRST_YEAR, last=FIRST_YEAR + years - 1, years=years
                )
            )
            con.execute("COMMIT")
        con.unregister("partners")
        con.unregister("codes")
        with timed(timings, "views_full"):
            views = warehouse.rebuild_views(con, settings.sql_dir, full=True)
        counts = dict(
            con.execute(
                "SELECT commodity_class, count(*) FROM core.observations GROUP BY ALL"
            ).fetchall()
        )
    return {
        "years": years,
        "rows": sum(counts.values()),
        "rows_by_class": counts,
        "views": len(views),
        "timings": timings,
        "warehouse_mb": warehouse.warehouse_bytes(settings) / 1024**2,
        "peak_rss": peak_rss_bytes(),
    }


def copy(source: Path, target: Path) -> None:
    """A copy of a warehouse made by prefill (SQLite catalog and Parquet files), its catalog's
    data path pointed at the copy."""
    shutil.copytree(source, target)
    catalog = target / "catalog.sqlite"
    with sqlite3.connect(catalog) as con:
        con.execute(
            "UPDATE ducklake_metadata SET value = ? WHERE key = 'data_path'",
            [str((target / "lake").resolve()) + "/"],
        )


def publish(work: Path, data: Path, api: str) -> dict[str, Any]:
    timings: dict[str, float] = {}
    with RssSampler() as sampler:
        from tradewh import pipeline, warehouse
        from tradewh.http import HttpClient
        from tradewh.ingest import validation
        from tradewh.settings import get_settings
        from tradewh.sources import census_api

        settings = get_settings()
        assert settings.data_dir == work, settings.warehouse
        census_api.asking.BASE_URL = api
        validation._context()  # Great Expectations' import: paid once per process, not timed
        with warehouse.writer(settings) as con:
            warehouse.migrate(con, settings.sql_dir)
            # An empty warehouse gets its first (empty) build here, a grown one has its own.
            warehouse.rebuild_views(con, settings.sql_dir, force=False)
            rows_before = con.execute("SELECT count(*) FROM core.observations").fetchone()[0]
        dataset = Dataset.load(data)
        requests = [
            request
            for request in census_api.requests_for_range(
                settings, date(dataset.year, 1, 1), date(dataset.year, 12, 1), hs_level="HS10"
            )
            if urlsplit(request.url).path.endswith("/hs")
        ]
        with timed(timings, "fetch", sampler), HttpClient.from_settings(settings) as client:
            landed = [pipeline.fetch_one(settings, client, census_api.SOURCE, r) for r in requests]
        outcomes = []
        with timed(timings, "publish", sampler):
            for payload in landed:
                outcomes.append(pipeline.ingest(settings, census_api.NAME, payload))
        with timed(timings, "views", sampler):
            with warehouse.writer(settings) as con:
                views = warehouse.rebuild_views(con, settings.sql_dir, force=False)
        with warehouse.writer(settings) as con:
            rows_after = con.execute("SELECT count(*) FROM core.observations").fetchone()[0]
            scans = mart_scans(con, settings.sql_dir)
    for outcome in outcomes:
        for stage, seconds in outcome.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    return {
        "rows_before": rows_before,
        "rows_published": rows_after - rows_before,
        "statuses": [o.status for o in outcomes],
        "views_refreshed": views,
        "timings": timings,
        "mart_scans": scans,
        "peak_rss": peak_rss_bytes(),
    }


def mart_scans(con: Any, sql_dir: Path) -> dict[str, dict[str, int]]:
    """What each materialized mart's query reads of core.observations (DuckDB's profile of a
    run of it, EXPLAIN ANALYZE): the rows its scans return and the Parquet files of HS detail
    they open (none: HS detail is in files of its own, pruned by the class filter)."""
    from tradewh import warehouse
    from tradewh.store import mart_refresh

    scans = {}
    for path in warehouse.view_files(sql_dir):
        mart = mart_refresh.materialized(path, sql_dir)
        if mart is None:
            continue
        plan = con.execute(f"EXPLAIN (ANALYZE, FORMAT json) {mart.query}").fetchall()
        rows, files = _scanned(json.loads(plan[0][1]), "observations")
        scans[mart.name] = {
            "rows": rows,
            "files": len(files),
            "hs_files": sum("commodity_class=hs" in f for f in files),
        }
    return scans


def _scanned(node: Any, table: str) -> tuple[int, list[str]]:
    """Rows the scans of `table` in a profile tree returned, and the files they opened."""
    if isinstance(node, list):
        parts = [_scanned(child, table) for child in node]
        return sum(r for r, _ in parts), [f for _, fs in parts for f in fs]
    rows, files = 0, []
    info = node.get("extra_info") or {}
    if isinstance(info, dict) and info.get("Table") == table:
        rows += int(node.get("operator_cardinality", 0))
        files += [f.strip() for f in info.get("Filename(s)", "").split(",") if f.strip()]
    for child in node.get("children", []):
        more_rows, more_files = _scanned(child, table)
        rows, files = rows + more_rows, files + more_files
    return rows, files


# --------------------------------------------------------------------------------------------
# Driven by bench/run.py


def _env(work: Path) -> dict[str, str]:
    return {
        "TRADEWH_PROFILE": "live",
        "TRADEWH_DATA_DIR": str(work),
        "TRADEWH_LANDING_DIR": str(work / "landing"),
        "TRADEWH_HTTP_MAX_BYTES": str(8 * GB),
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }


def compared_seconds(result: dict[str, Any]) -> float:
    """What the target compares: the publish (pipeline.ingest of both payloads) and the views."""
    return result["timings"]["publish"] + result["timings"]["views"]


def bench(reps: int, tmp: Path, size: str = "1M", years: int = 20) -> dict[str, Any]:
    data = tmp / "growth_data"
    dataset = generate(data, parse_size(size))
    template = tmp / "growth_grown"
    grown = run_worker(
        ["bench.growth", "prefill", str(template), str(data), "--years", str(years)],
        _env(template),
    )
    print(
        f"[growth] grown warehouse: {grown['rows']:,} rows, {grown['warehouse_mb']:,.0f} MB, "
        f"built in {fmt_s(grown['timings']['insert'])}, its views in full "
        f"{fmt_s(grown['timings']['views_full'])}",
        flush=True,
    )
    files = {
        path: (data / dataset.files[flow], {"CTY_CODE", "CTY_NAME", commodity, value})
        for flow, (path, commodity, value) in FLOWS.items()
    }
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    with api_server(files) as api:
        for rep in range(reps):  # interleaved: the machine's noise falls on both alike
            for mode in MODES:
                work = tmp / f"growth_{mode}_{rep}"
                if mode == "grown":
                    copy(template, work)
                result = run_worker(
                    ["bench.growth", "publish", str(work), str(data), "--api", api], _env(work)
                )
                shutil.rmtree(work, ignore_errors=True)
                runs[mode].append(result)
                print(
                    f"[growth] {mode} rep {rep + 1}/{reps}: publish "
                    f"{fmt_s(result['timings']['publish'])}, views "
                    f"{fmt_s(result['timings']['views'])}, peak RSS {fmt_mb(result['peak_rss'])}",
                    flush=True,
                )
    shutil.rmtree(template, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    medians = {
        mode: {
            "compared_s": median([compared_seconds(r) for r in results]),
            "publish_s": median([r["timings"]["publish"] for r in results]),
            "views_s": median([r["timings"]["views"] for r in results]),
            "peak_rss": median([r["peak_rss"] for r in results]),
            "stages": {
                stage: median([r["timings"].get(stage, 0.0) for r in results])
                for stage in sorted({s for r in results for s in r["timings"]})
            },
        }
        for mode, results in runs.items()
    }
    return {
        "dataset": dataset.__dict__,
        "grown": grown,
        "runs": runs,
        "median": medians,
        "ratio": medians["grown"]["compared_s"] / medians["empty"]["compared_s"],
    }


def verdicts(out: dict[str, Any]) -> list[dict[str, Any]]:
    empty, grown = out["median"]["empty"], out["median"]["grown"]
    return [
        {
            "target": f"growth: the same publish into a warehouse holding 20x as much within "
            f"{GROWN_VS_EMPTY}x of its time into an empty one, views included",
            "at": f"{out['dataset']['rows']:,} rows HS10 into {out['grown']['rows']:,}",
            "measured": f"{fmt_s(grown['compared_s'])} vs {fmt_s(empty['compared_s'])}: "
            f"{out['ratio']:.2f}x",
            "met": out["ratio"] <= GROWN_VS_EMPTY,
        }
    ]


STAGES = [
    ("fetch (not compared)", "fetch"),
    ("parse", "parse"),
    ("stage", "stage"),
    ("validate", "validate"),
    ("publish (core + ledger)", "publish_release"),
]


def markdown(out: dict[str, Any]) -> str:
    empty, grown = out["median"]["empty"], out["median"]["grown"]
    info = out["grown"]
    by_class = ", ".join(f"{k} {v:,}" for k, v in sorted(info["rows_by_class"].items()))
    rows = [
        [label, fmt_s(empty["stages"].get(key)), fmt_s(grown["stages"].get(key))]
        for label, key in STAGES
        if key in empty["stages"] or key in grown["stages"]
    ]
    rows += [
        [
            "**publish (pipeline.ingest, both payloads)**",
            fmt_s(empty["publish_s"]),
            fmt_s(grown["publish_s"]),
        ],
        [
            "**views (rebuild_views, as a refresh)**",
            fmt_s(empty["views_s"]),
            fmt_s(grown["views_s"]),
        ],
        [
            "**publish + views (compared)**",
            f"**{fmt_s(empty['compared_s'])}**",
            f"**{fmt_s(grown['compared_s'])}**",
        ],
        ["relative to empty", "1x", f"{out['ratio']:.2f}x"],
        ["peak RSS (process)", fmt_mb(empty["peak_rss"]), fmt_mb(grown["peak_rss"])],
    ]
    scans = out["runs"]["grown"][0]["mart_scans"]
    scan_rows = [
        [name, f"{s:,}", "-", "-"]
        if isinstance(s, int)  # a run from before files were counted
        else [name, f"{s['rows']:,}", str(s["files"]), str(s["hs_files"])]
        for name, s in scans.items()
    ]
    pairs = [
        compared_seconds(grown_run) / compared_seconds(empty_run)
        for empty_run, grown_run in zip(out["runs"]["empty"], out["runs"]["grown"], strict=True)
    ]
    refreshed = out["runs"]["grown"][0]["views_refreshed"]
    return (
        f"{out['dataset']['rows']:,} rows of HS10 detail (bench/generate.py, one year, 2 "
        f"payloads) published into an empty warehouse and into one holding "
        f"{info['rows']:,} rows ({info['years']} yearly vintages of the same shape: {by_class}; "
        f"{info['warehouse_mb']:,.0f} MB; written straight with DuckDB in "
        f"{fmt_s(info['timings']['insert'])}, bench/growth_prefill.sql). Medians of "
        f"{len(out['runs']['empty'])} runs, each in a fresh process.\n\n"
        + table(["median of runs", "into an empty warehouse", "into the grown one"], rows)
        + f"\nThe views step after the publish refreshed {len(refreshed)} marts "
        f"({', '.join(refreshed) or 'none: HS detail is read by no mart'}). A full rebuild of "
        f"the grown warehouse's views (what every publish cost before the marts were refreshed "
        f"in proportion) took {fmt_s(info['timings']['views_full'])}.\n\n"
        "What each materialized mart's query reads of core.observations in the grown "
        "warehouse (EXPLAIN ANALYZE after the publish; HS rows are "
        f"{info['rows_by_class'].get('hs', 0) + out['dataset']['rows']:,}):\n\n"
        + table(
            ["mart", "rows of core.observations read", "Parquet files opened", "of HS detail"],
            scan_rows,
        )
        + "\nGrown against empty, run by run (interleaved pairs): "
        + ", ".join(f"{p:.2f}x" for p in pairs)
        + ".\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["prefill", "publish"])
    parser.add_argument("work", type=Path)
    parser.add_argument("data", type=Path)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--api")
    args = parser.parse_args()
    if args.mode == "prefill":
        result = prefill(args.work, args.data, args.years)
    else:
        result = publish(args.work, args.data, args.api)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
