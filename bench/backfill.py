"""One measured backfill of generated months, in this (fresh) process; prints its figures as
one JSON line. Run by bench/run.py, once per repetition:

    python -m bench.backfill tradewh DATA WORK   # `tradewh backfill census_api
                                                 #  --from 2024-01 --to 2024-MM --hs-level HS10`
                                                 # against the local API (bench/run.py's)
    python -m bench.backfill duckdb DATA WORK    # DuckDB: each payload read_json into a DuckLake
                                                 # table + the checks query, one after another

DATA holds one generated data set a month (bench/generate.py, months=1): month_MM/.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from bench.common import RssSampler, peak_rss_bytes, rss_bytes, timed
from bench.generate import YEAR, Dataset
from bench.ingest import CHECKS, _json_source


def month_sets(data: Path) -> list[tuple[Path, Dataset]]:
    return [(d, Dataset.load(d)) for d in sorted(data.glob("month_*"))]


def ours(data: Path, work: Path) -> dict[str, Any]:
    """The real command, in this process: Ctrl-C handling, lock, progress lines, views."""
    sets = month_sets(data)
    started = time.perf_counter()
    with RssSampler() as sampler:
        from tradewh import pipeline, warehouse
        from tradewh.cli import app, entry
        from tradewh.settings import get_settings

        settings = get_settings()
        assert settings.data_dir == work, settings.data_dir
        with warehouse.writer(settings) as con:
            warehouse.migrate(con, settings.sql_dir)
        setup = time.perf_counter() - started
        # Peaks by stage: the pipeline announces parse, stage, validate and publish; the views
        # rebuilt at the end of the command are announced here.
        pipeline.stage_listeners.append(sampler.enter)
        # RSS as each payload starts (its parse): flat if nothing is kept from one to the next.
        at_each_payload: list[int] = []
        pipeline.stage_listeners.append(
            lambda stage: at_each_payload.append(rss_bytes()) if stage == "parse" else None
        )
        rebuild = warehouse.rebuild_views

        def announced(*args: Any, **kwargs: Any) -> Any:
            sampler.enter("views")
            return rebuild(*args, **kwargs)

        warehouse.rebuild_views = announced  # type: ignore[assignment]
        began = time.perf_counter()
        sampler.enter("backfill")
        code = entry.run(
            app,
            [
                "backfill",
                "census_api",
                "--from",
                f"{YEAR}-01",
                "--to",
                f"{YEAR}-{len(sets):02d}",
                "--hs-level",
                "HS10",
            ],
        )
        backfill_s = time.perf_counter() - began
        sampler.enter("end")
        with warehouse.writer(settings) as con:
            rows = con.execute("SELECT count(*) FROM core.observations").fetchone()[0]
            loads = con.execute("SELECT count(*) FROM ops.loads").fetchone()[0]
    if code != 0:
        raise SystemExit(f"tradewh backfill exited {code}")
    return {
        "mode": "tradewh",
        "months": len(sets),
        "rows": sum(d.rows for _, d in sets),
        "rows_published": rows,
        "payloads_published": loads,
        "timings": {"setup": setup, "backfill": backfill_s},
        "rss_peaks": sampler.peaks,
        "rss_at_each_payload": at_each_payload,
        "peak_rss": peak_rss_bytes(),
    }


def duckdb_loads(data: Path, work: Path) -> dict[str, Any]:
    """Each payload loaded on its own (as a backfill receives them) into a DuckLake attached as
    tradewh attaches it, then checked; the sum of the loads and checks is what is compared."""
    from tradewh import warehouse
    from tradewh.settings import get_settings

    sets = month_sets(data)
    timings = {"load": 0.0, "checks": 0.0}
    rows = 0
    with RssSampler() as sampler:
        con = warehouse.writer_connection(get_settings())
        con.execute("CREATE SCHEMA IF NOT EXISTS bench")
        for number, (directory, dataset) in enumerate(sets):
            for flow in dataset.files:
                one = Dataset(**{**dataset.__dict__, "files": {flow: dataset.files[flow]}})
                table = f"bench.observations_{number}_{flow}"
                step: dict[str, float] = {}
                with timed(step, "load", sampler):
                    con.execute(f"CREATE TABLE {table} AS {_json_source(directory, one)}")
                with timed(step, "checks", sampler):
                    checked = con.execute(
                        CHECKS.replace("FROM observations", f"FROM {table}")
                    ).fetchone()
                rows += checked[0]
                for key, seconds in step.items():
                    timings[key] += seconds
        con.close()
        sampler.enter("end")
    return {
        "mode": "duckdb_lake",
        "months": len(sets),
        "rows": sum(d.rows for _, d in sets),
        "rows_published": rows,
        "timings": timings,
        "rss_peaks": sampler.peaks,
        "peak_rss": peak_rss_bytes(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["tradewh", "duckdb"])
    parser.add_argument("data", type=Path)
    parser.add_argument("work", type=Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    result = (
        ours(args.data, args.work) if args.mode == "tradewh" else duckdb_loads(args.data, args.work)
    )
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
