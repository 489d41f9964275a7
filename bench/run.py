"""`make bench`: every benchmark of issue 7, each measured run in a fresh process; prints the
figures and writes them to bench/results/ (<name>.md and .json, plus summary.md).

    python -m bench.run                       # everything: sizes 1M,5M, 3 repetitions
    python -m bench.run --sizes 100k --reps 1 # a quick look
    python -m bench.run --only marts          # one benchmark (ingest, noop, marts, growth)

Defaults come from the environment too: BENCH_SIZES, BENCH_REPS, BENCH_ONLY, BENCH_PREFECT
(ephemeral,server), BENCH_QUERY_RUNS. Generated data and warehouses live in a temporary
directory (BENCH_TMP, else the system's), never in the repository, and are removed at the end.
bench/README.md says what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import growth
from bench.common import (
    MB,
    RESULTS,
    ROOT,
    api_server,
    fmt_mb,
    fmt_s,
    machine,
    machine_markdown,
    median,
    run_worker,
    table,
    write_results,
)
from bench.generate import FLOWS, generate, parse_size

GB = 1024**3
MODES = ["tradewh", "duckdb_lake", "duckdb_json", "duckdb_csv", "dlt_lake", "dlt"]
# duckdb_csv: the same rows from CSV; on request (--modes), as it repeats duckdb_json's figure.
DEFAULT_MODES = ["tradewh", "duckdb_lake", "duckdb_json", "dlt_lake", "dlt"]
MODE_NAMES = {
    "tradewh": "tradewh (ours)",
    "duckdb_lake": "DuckDB read_json into DuckLake + checks",
    "duckdb_json": "DuckDB read_json into a DuckDB file + checks",
    "duckdb_csv": "DuckDB read_csv + checks",
    "dlt_lake": "dlt merge into DuckLake",
    "dlt": "dlt merge into a DuckDB file",
}
# Targets of issue 12 (issue 7's were 2x, 2x and 1.5 GB).
PATH_VS_DUCKDB = 1.5  # ours within 1.5x of DuckDB's own load + checks, into the same storage
DLT_VS_PATH = 1.5  # ours at least 1.5x faster than dlt's merge into the same storage
PEAK_RSS = 1.0 * GB
BACKFILL_VS_DUCKDB = 1.5  # a backfill within 1.5x of the sum of DuckDB's own loads
NOOP_OVER_EMPTY_S = 2.0
QUERY_P50_S = 0.050


def _env_list(name: str, default: str) -> list[str]:
    return [x.strip() for x in os.environ.get(name, default).split(",") if x.strip()]


# --------------------------------------------------------------------------------------------
# Ingest: 1M and 5M rows through our path, DuckDB and dlt


def path_seconds(result: dict[str, Any]) -> float:
    """What the load targets compare: ours = the whole of pipeline.ingest (parse, stage,
    validate, publish and the ledger writes between them); DuckDB = load + checks query;
    dlt = read (DuckDB into Arrow) + extract + normalize + load."""
    t = result["timings"]
    if result["mode"] == "tradewh":
        return t["ingest"]
    if result["mode"].startswith("dlt"):
        return t["read"] + t["extract"] + t["normalize"] + t["load"]
    return t["load"] + t["checks"]


def bench_ingest(sizes: list[str], reps: int, modes: list[str], tmp: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"sizes": {}}
    for size in sizes:
        data = tmp / f"data_{size}"
        started = time.perf_counter()
        dataset = generate(data, parse_size(size))
        print(
            f"[ingest {size}] generated {dataset.rows:,} rows "
            f"({dataset.payload_bytes / MB:,.0f} MB of API JSON) "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        files = {
            path: (data / dataset.files[flow], {"CTY_CODE", "CTY_NAME", commodity, value})
            for flow, (path, commodity, value) in FLOWS.items()
        }
        runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
        with api_server(files) as api:
            # Interleaved, so that the noise of a shared machine falls on every mode alike.
            for rep in range(reps):
                for mode in modes:
                    work = tmp / f"work_{size}_{mode}_{rep}"
                    env = {
                        "TRADEWH_PROFILE": "live",
                        "TRADEWH_DATA_DIR": str(work),
                        "TRADEWH_LANDING_DIR": str(work / "landing"),
                        "TRADEWH_HTTP_MAX_BYTES": str(8 * GB),
                        "PREFECT_LOGGING_LEVEL": "WARNING",
                    }
                    args = ["bench.ingest", mode, str(data), str(work), "--api", api]
                    result = run_worker(args, env)
                    shutil.rmtree(work, ignore_errors=True)
                    runs[mode].append(result)
                    print(
                        f"[ingest {size}] {mode} rep {rep + 1}/{reps}: path "
                        f"{fmt_s(path_seconds(result))}, peak RSS {fmt_mb(result['peak_rss'])}",
                        flush=True,
                    )
        out["sizes"][size] = {
            "dataset": dataset.__dict__,
            "runs": runs,
            "median": {mode: _medians(results) for mode, results in runs.items()},
        }
        shutil.rmtree(data, ignore_errors=True)
    return out


def _medians(results: list[dict[str, Any]]) -> dict[str, Any]:
    stages = sorted({s for r in results for s in r["timings"]})
    rss_stages = sorted({s for r in results for s in r.get("rss_peaks", {})})
    return {
        "path_s": median([path_seconds(r) for r in results]),
        "process_wall_s": median([r["process_wall_s"] for r in results]),
        "peak_rss": median([r["peak_rss"] for r in results]),
        "timings": {s: median([r["timings"].get(s, 0.0) for r in results]) for s in stages},
        "rss_peaks": {s: median([r["rss_peaks"].get(s, 0) for r in results]) for s in rss_stages},
        "rows_published": [r["rows_published"] for r in results],
    }


INGEST_ROWS = [
    ("fetch (HTTP from 127.0.0.1 + landing)", "tradewh", "fetch"),
    ("parse", "tradewh", "parse"),
    ("stage", "tradewh", "stage"),
    ("validate (audit SQL + GX suite)", "tradewh", "validate"),
    ("publish", "tradewh", "publish"),
    ("ledger writes between stages", "tradewh", "ingest_other"),
    ("views", "tradewh", "views"),
]


def ingest_markdown(out: dict[str, Any]) -> str:
    parts = []
    for size, block in out["sizes"].items():
        ds = block["dataset"]
        med = block["median"]
        modes = list(med)
        parts.append(
            f"### {ds['rows']:,} rows ({size}): {ds['months']} months x {ds['partners']} partners "
            f"x {ds['codes']} HS10 codes x 2 flows, {ds['payload_bytes'] / MB:,.0f} MB of API "
            f"JSON in 2 payloads\n"
        )
        headers = ["median of runs", *[MODE_NAMES[m] for m in modes]]
        rows = []
        if "tradewh" in med:
            t = med["tradewh"]["timings"]
            for label, _, key in INGEST_ROWS:
                rows.append([label, fmt_s(t.get(key)), *["" for _ in modes[1:]]])
        for label, key in (
            ("DuckDB load (CREATE TABLE AS SELECT ... FROM read_...)", "load"),
            ("DuckDB checks query", "checks"),
        ):
            cells = [fmt_s(med[m]["timings"][key]) if m.startswith("duckdb") else "" for m in modes]
            rows.append([label, *cells])
        for key in ("read", "extract", "normalize", "load"):
            if not any(m.startswith("dlt") for m in modes):
                break
            label = {"read": "dlt: read JSON to Arrow (DuckDB)"}.get(key, f"dlt {key}")
            cells = [fmt_s(med[m]["timings"][key]) if m.startswith("dlt") else "" for m in modes]
            rows.append([label, *cells])
        compared = [f"**{fmt_s(med[m]['path_s'])}**" for m in modes]
        rows.append(["**load path (compared)**", *compared])
        if "tradewh" in med:
            ratio = [
                f"{med[m]['path_s'] / med['tradewh']['path_s']:.2f}x" if m != "tradewh" else "1x"
                for m in modes
            ]
            rows.append(["relative to ours", *ratio])
        rows.append(["whole process, wall", *[fmt_s(med[m]["process_wall_s"]) for m in modes]])
        rows.append(["peak RSS (process)", *[fmt_mb(med[m]["peak_rss"]) for m in modes]])
        parts.append(table(headers, rows))
        if "tradewh" in med:
            peaks = med["tradewh"]["rss_peaks"]
            order = [
                "import",
                "gx_import",
                "migrate",
                "fetch",
                "parse",
                "stage",
                "validate",
                "publish",
                "views",
            ]
            parts.append(
                "Ours, peak RSS while each stage ran (sampled every 5 ms; imports of tradewh and "
                "Great Expectations included from the start):\n\n"
                + table(
                    [s for s in order if s in peaks],
                    [[fmt_mb(peaks[s]) for s in order if s in peaks]],
                )
            )
            t = med["tradewh"]["timings"]
            parts.append(
                f"Once per process, not in the path: importing tradewh {fmt_s(t.get('import'))}, "
                f"Great Expectations' import and context {fmt_s(t.get('gx_import'))}, "
                f"migrations {fmt_s(t.get('migrate'))}.\n"
            )
    return "\n".join(parts)


def ingest_verdicts(out: dict[str, Any]) -> list[dict[str, Any]]:
    size = list(out["sizes"])[-1]
    med = out["sizes"][size]["median"]
    rows = out["sizes"][size]["dataset"]["rows"]
    verdicts = []
    if "tradewh" not in med:
        return verdicts
    ours = med["tradewh"]["path_s"]
    # Compared with the same storage (a DuckLake) where measured; a DuckDB file beside it.
    baseline = next((m for m in ("duckdb_lake", "duckdb_json") if m in med), None)
    if baseline:
        limit = med[baseline]["path_s"]
        beside = [
            f"{MODE_NAMES[m]} {fmt_s(med[m]['path_s'])}: {ours / med[m]['path_s']:.2f}x"
            for m in ("duckdb_json", "duckdb_csv")
            if m in med and m != baseline
        ]
        verdicts.append(
            {
                "target": f"load path within {PATH_VS_DUCKDB:g}x of DuckDB's own load + checks "
                "(same storage)",
                "at": f"{rows:,} rows",
                "measured": f"ours {fmt_s(ours)} vs {MODE_NAMES[baseline]} {fmt_s(limit)}: "
                f"{ours / limit:.2f}x" + (f" ({'; '.join(beside)})" if beside else ""),
                "met": ours <= PATH_VS_DUCKDB * limit,
            }
        )
    dlt_mode = next((m for m in ("dlt_lake", "dlt") if m in med), None)
    if dlt_mode:
        dlt = med[dlt_mode]["path_s"]
        beside = (
            f" (into a DuckDB file {fmt_s(med['dlt']['path_s'])}: "
            f"{med['dlt']['path_s'] / ours:.2f}x)"
            if dlt_mode == "dlt_lake" and "dlt" in med
            else ""
        )
        verdicts.append(
            {
                "target": f"at least {DLT_VS_PATH:g}x faster than dlt's merge (same storage)",
                "at": f"{rows:,} rows",
                "measured": f"{MODE_NAMES[dlt_mode]} {fmt_s(dlt)} vs ours {fmt_s(ours)}: "
                f"{dlt / ours:.2f}x" + beside,
                "met": dlt >= DLT_VS_PATH * ours,
            }
        )
    peak = med["tradewh"]["peak_rss"]
    verdicts.append(
        {
            "target": f"peak RSS under {PEAK_RSS / GB:g} GB",
            "at": f"{rows:,} rows",
            "measured": f"{fmt_mb(peak)} (whole process: fetch, ingest, views)",
            "met": peak < PEAK_RSS,
        }
    )
    return verdicts


# --------------------------------------------------------------------------------------------
# Backfill: months of HS10 detail through `tradewh backfill` against DuckDB's own loads


def bench_backfill(months: int, month_size: str, reps: int, tmp: Path) -> dict[str, Any]:
    data = tmp / "backfill_data"
    started = time.perf_counter()
    files: dict[str, tuple[Path, set[str]]] = {}
    sets = []
    for month in range(1, months + 1):
        directory = data / f"month_{month:02d}"
        made = generate(
            directory, parse_size(month_size), seed=7 + month, first_month=month, months=1
        )
        sets.append(made)
        for flow, (path, commodity, value) in FLOWS.items():
            variables = {"CTY_CODE", "CTY_NAME", commodity, value}
            files[f"{path}@{made.year}-{month:02d}"] = (directory / made.files[flow], variables)
        (directory / made.csv).unlink()  # the backfill baseline reads the JSON
    rows = sum(d.rows for d in sets)
    print(
        f"[backfill] generated {months} months, {rows:,} rows "
        f"({sum(d.payload_bytes for d in sets) / MB:,.0f} MB of API JSON in {2 * months} "
        f"payloads) in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    runs: dict[str, list[dict[str, Any]]] = {"tradewh": [], "duckdb_lake": []}
    with api_server(files) as api:
        for rep in range(reps):
            for mode, worker in (("tradewh", "tradewh"), ("duckdb_lake", "duckdb")):
                work = tmp / f"backfill_{mode}_{rep}"
                env = {
                    "TRADEWH_PROFILE": "live",
                    "TRADEWH_DATA_DIR": str(work),
                    "TRADEWH_LANDING_DIR": str(work / "landing"),
                    "TRADEWH_CENSUS_API_URL": api,
                    "TRADEWH_HTTP_MAX_BYTES": str(8 * GB),
                    "PREFECT_LOGGING_LEVEL": "WARNING",
                }
                result = run_worker(["bench.backfill", worker, str(data), str(work)], env)
                shutil.rmtree(work, ignore_errors=True)
                runs[mode].append(result)
                print(
                    f"[backfill] {mode} rep {rep + 1}/{reps}: {fmt_s(backfill_seconds(result))}, "
                    f"peak RSS {fmt_mb(result['peak_rss'])}",
                    flush=True,
                )
    shutil.rmtree(data, ignore_errors=True)
    return {
        "months": months,
        "month_size": month_size,
        "rows": rows,
        "datasets": [d.__dict__ for d in sets],
        "runs": runs,
        "median": {
            mode: {
                "total_s": median([backfill_seconds(r) for r in results]),
                "peak_rss": median([r["peak_rss"] for r in results]),
                "process_wall_s": median([r["process_wall_s"] for r in results]),
                "rows_published": [r["rows_published"] for r in results],
            }
            for mode, results in runs.items()
        },
    }


def backfill_seconds(result: dict[str, Any]) -> float:
    """Ours: the whole `tradewh backfill` command (requests, parse, validate, publish, views;
    Great Expectations' import included). DuckDB: the sum of its loads and checks."""
    t = result["timings"]
    return t["backfill"] if result["mode"] == "tradewh" else t["load"] + t["checks"]


def backfill_markdown(out: dict[str, Any]) -> str:
    med = out["median"]
    head = (
        f"{out['months']} months of HS10 detail, {out['rows']:,} rows ({out['month_size']} a "
        f"month over both flows), one payload a flow and month, served on 127.0.0.1.\n\n"
    )
    rows = [
        [
            "tradewh backfill (ours)",
            fmt_s(med["tradewh"]["total_s"]),
            fmt_s(med["tradewh"]["process_wall_s"]),
            fmt_mb(med["tradewh"]["peak_rss"]),
            ", ".join(f"{r:,}" for r in med["tradewh"]["rows_published"]),
        ],
        [
            "DuckDB read_json into DuckLake + checks, each payload",
            fmt_s(med["duckdb_lake"]["total_s"]),
            fmt_s(med["duckdb_lake"]["process_wall_s"]),
            fmt_mb(med["duckdb_lake"]["peak_rss"]),
            ", ".join(f"{r:,}" for r in med["duckdb_lake"]["rows_published"]),
        ],
    ]
    return head + table(
        ["median of runs", "compared time", "whole process, wall", "peak RSS", "rows loaded"],
        rows,
    )


def backfill_verdicts(out: dict[str, Any]) -> list[dict[str, Any]]:
    med = out["median"]
    ours, duck = med["tradewh"]["total_s"], med["duckdb_lake"]["total_s"]
    at = f"{out['months']} x {out['month_size']} rows"
    return [
        {
            "target": f"backfill within {BACKFILL_VS_DUCKDB:g}x of the sum of DuckDB's own loads",
            "at": at,
            "measured": f"ours {fmt_s(ours)} vs DuckDB {fmt_s(duck)}: {ours / duck:.2f}x",
            "met": ours <= BACKFILL_VS_DUCKDB * duck,
        },
        {
            "target": f"backfill peak RSS under {PEAK_RSS / GB:g} GB",
            "at": at,
            "measured": f"{fmt_mb(med['tradewh']['peak_rss'])} (the whole command)",
            "met": med["tradewh"]["peak_rss"] < PEAK_RSS,
        },
    ]


# --------------------------------------------------------------------------------------------
# No-op nightly refresh against an empty flow run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_prefect_server(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    import logging

    from tradewh.http import FetchError, HttpClient

    # Refused connections while the server starts are expected: not worth a warning each.
    logging.getLogger("tradewh.http").setLevel(logging.ERROR)
    deadline = time.monotonic() + 120
    with HttpClient(user_agent="tradewh-bench", read_timeout=2, max_attempts=1) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(f"{url}/health").status == 200:
                    return proc, url
            except FetchError:
                pass
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    _stop(proc)
    raise RuntimeError(f"prefect server did not start; see {home / 'server.log'}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def bench_noop(prefect_modes: list[str], reps: int, tmp: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"modes": {}}
    for mode in prefect_modes:
        work = tmp / f"noop_{mode}"
        home = work / "prefect_home"
        home.mkdir(parents=True)
        env = {
            "TRADEWH_DATA_DIR": str(work / "data"),
            "TRADEWH_LANDING_DIR": str(work / "data" / "landing"),
            "TRADEWH_PROFILE": "sample",
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_API_URL": "",
        }
        server = None
        try:
            if mode == "server":
                server, url = _start_prefect_server(home)
                env["PREFECT_API_URL"] = url
            inproc = run_worker(["bench.noop", "inprocess", "--runs", str(reps)], env)
            print(
                f"[noop {mode}] in one process: empty flow {fmt_s(median(inproc['empty_s']))}, "
                f"no-op refresh {fmt_s(median(inproc['noop_s']))}",
                flush=True,
            )
            # Whole processes on the warehouse the first run filled: the CLI's refresh (which
            # loads nothing now) against a process running one empty flow.
            refresh_s, empty_s = [], []
            for _ in range(reps):
                started = time.perf_counter()
                subprocess.run(
                    [str(Path(sys.executable).parent / "tradewh"), "refresh"],
                    cwd=ROOT,
                    env={**os.environ, **env},
                    check=True,
                    capture_output=True,
                )
                refresh_s.append(time.perf_counter() - started)
                empty_s.append(run_worker(["bench.noop", "empty"], env)["process_wall_s"])
            print(
                f"[noop {mode}] whole processes: empty flow {fmt_s(median(empty_s))}, "
                f"`tradewh refresh` {fmt_s(median(refresh_s))}",
                flush=True,
            )
        finally:
            if server is not None:
                _stop(server)
        out["modes"][mode] = {
            "inprocess": inproc,
            "process_refresh_s": refresh_s,
            "process_empty_s": empty_s,
            "median": {
                "empty_s": median(inproc["empty_s"]),
                "noop_s": median(inproc["noop_s"]),
                "process_empty_s": median(empty_s),
                "process_refresh_s": median(refresh_s),
            },
        }
        shutil.rmtree(work, ignore_errors=True)
    return out


def noop_markdown(out: dict[str, Any]) -> str:
    rows = []
    for mode, block in out["modes"].items():
        m = block["median"]
        rows.append(
            [
                mode,
                fmt_s(m["empty_s"]),
                fmt_s(m["noop_s"]),
                f"{m['noop_s'] - m['empty_s']:+.2f} s",
                fmt_s(m["process_empty_s"]),
                fmt_s(m["process_refresh_s"]),
                f"{m['process_refresh_s'] - m['process_empty_s']:+.2f} s",
            ]
        )
    return table(
        [
            "Prefect mode",
            "empty flow run",
            "no-op nightly run",
            "difference",
            "process: empty flow",
            "process: `tradewh refresh`",
            "difference",
        ],
        rows,
    )


def noop_verdicts(out: dict[str, Any]) -> list[dict[str, Any]]:
    verdicts = []
    for mode, block in out["modes"].items():
        m = block["median"]
        diff = m["noop_s"] - m["empty_s"]
        verdicts.append(
            {
                "target": f"a no-op nightly refresh within {NOOP_OVER_EMPTY_S:g} s of an empty "
                "flow run in the same mode",
                "at": f"Prefect {mode}, flow runs in one process",
                "measured": f"{fmt_s(m['noop_s'])} vs {fmt_s(m['empty_s'])}: {diff:+.2f} s",
                "met": diff <= NOOP_OVER_EMPTY_S,
            }
        )
    return verdicts


# --------------------------------------------------------------------------------------------
# Ad-hoc queries on the marts


def bench_marts(runs: int, tmp: Path) -> dict[str, Any]:
    work = tmp / "marts"
    env = {
        "TRADEWH_DATA_DIR": str(work),
        "TRADEWH_LANDING_DIR": str(work / "landing"),
    }
    result = run_worker(["bench.marts", str(work), "--runs", str(runs)], env)
    print(
        f"[marts] {result['observations']:,} observations; "
        + ", ".join(f"{fmt_s(q['p50_s'])}" for q in result["queries"].values()),
        flush=True,
    )
    shutil.rmtree(work, ignore_errors=True)
    return result


def marts_markdown(out: dict[str, Any]) -> str:
    head = (
        f"{out['years']} years x {out['partners']} partners, monthly: {out['observations']:,} "
        f"rows in core.observations (up to 4 vintages a month), {out['balance_monthly_rows']:,} "
        f"in marts.balance_monthly; warehouse {out['warehouse_mb']} MB, built in "
        f"{fmt_s(out['build_s'])}. Each query {out['runs']} times after one warm-up, on one "
        f"read-only connection (opening it: {fmt_s(out['open_s'])}).\n\n"
    )
    rows = [
        [
            label,
            str(q["rows"]),
            fmt_s(q["p50_s"]),
            fmt_s(q["p95_s"]),
            "met" if q["p50_s"] < QUERY_P50_S else "**missed**",
        ]
        for label, q in out["queries"].items()
    ]
    attach = out.get("attach_s", {})
    tail = (
        "\n\nAttach cost per process (a fresh process, start of work to first answer, median "
        "of 5): "
        + "; ".join(f"{label} {fmt_s(seconds)}" for label, seconds in attach.items())
        + "\n"
        if attach
        else ""
    )
    return head + table(["query", "rows", "p50", "p95", "p50 < 50 ms"], rows) + tail


def marts_verdicts(out: dict[str, Any]) -> list[dict[str, Any]]:
    slow = {k: q["p50_s"] for k, q in out["queries"].items() if q["p50_s"] >= QUERY_P50_S}
    worst = max(out["queries"].items(), key=lambda kv: kv[1]["p50_s"])
    return [
        {
            "target": "ad-hoc queries on the marts: p50 under 50 ms",
            "at": f"{out['years']} years x {out['partners']} partners",
            "measured": f"{len(out['queries']) - len(slow)} of {len(out['queries'])} queries "
            f"under 50 ms; slowest {worst[0]}: p50 {fmt_s(worst[1]['p50_s'])}",
            "met": not slow,
        }
    ]


# --------------------------------------------------------------------------------------------


def verdict_table(verdicts: list[dict[str, Any]]) -> str:
    return table(
        ["target", "at", "measured", "verdict"],
        [
            [v["target"], v["at"], v["measured"], "met" if v["met"] else "**missed**"]
            for v in verdicts
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(_env_list("BENCH_SIZES", "1M,5M")))
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", "3")))
    parser.add_argument(
        "--only", default=",".join(_env_list("BENCH_ONLY", "ingest,backfill,growth,noop,marts"))
    )
    parser.add_argument(
        "--modes", default=",".join(DEFAULT_MODES), help=f"ingest modes: {', '.join(MODES)}"
    )
    parser.add_argument(
        "--prefect", default=",".join(_env_list("BENCH_PREFECT", "ephemeral,server"))
    )
    parser.add_argument(
        "--query-runs", type=int, default=int(os.environ.get("BENCH_QUERY_RUNS", "30"))
    )
    parser.add_argument("--backfill-months", type=int, default=12)
    parser.add_argument("--backfill-size", default="1M", help="rows a backfilled month")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    only = set(args.only.split(","))
    info = machine()
    print(machine_markdown(info), flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="tradewh-bench-", dir=os.environ.get("BENCH_TMP")))
    verdicts: list[dict[str, Any]] = []
    sections: list[str] = []

    def record(
        name: str,
        title: str,
        out: dict[str, Any],
        text: str,
        found: list[dict[str, Any]],
        reps: int | None = args.reps,
    ) -> None:
        """One benchmark's figures: its part of summary.md, and its own .md and .json."""
        verdicts.extend(found)
        sections.append(f"## {SECTIONS[name][0]}\n\n" + text)
        head = {"machine": info} | ({"reps": reps} if reps is not None else {})
        write_results(
            name,
            f"# {title}\n\n" + machine_markdown(info) + "\n" + verdict_table(found) + "\n" + text,
            {**head, "verdicts": found, **out},
            args.results,
        )

    try:
        if "ingest" in only:
            out = bench_ingest(args.sizes.split(","), args.reps, args.modes.split(","), tmp)
            record("ingest", "Load benchmark", out, ingest_markdown(out), ingest_verdicts(out))
        if "backfill" in only:
            out = bench_backfill(args.backfill_months, args.backfill_size, args.reps, tmp)
            record(
                "backfill",
                "Backfill benchmark",
                out,
                backfill_markdown(out),
                backfill_verdicts(out),
            )
        if "noop" in only:
            out = bench_noop(args.prefect.split(","), args.reps, tmp)
            record(
                "noop_refresh",
                "No-op refresh benchmark",
                out,
                noop_markdown(out),
                noop_verdicts(out),
            )
        if "marts" in only:
            out = bench_marts(args.query_runs, tmp)
            record(
                "marts_queries",
                "Marts query benchmark",
                out,
                marts_markdown(out),
                marts_verdicts(out),
                reps=None,  # queries are counted by --query-runs
            )
        if "growth" in only:
            out = growth.bench(
                args.reps, tmp, years=int(os.environ.get("BENCH_GROWTH_YEARS", "20"))
            )
            record("growth", "Growth benchmark", out, growth.markdown(out), growth.verdicts(out))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nEnded with load average {[round(x, 2) for x in os.getloadavg()]}.\n")
    print(verdict_table(verdicts) + "\n" + "\n".join(sections))
    write_summary(args.results)


SECTIONS = {
    "ingest": ("Load: fetch, parse, stage, validate, publish, views", ingest_markdown),
    "backfill": ("Backfill", backfill_markdown),
    "noop_refresh": ("No-op nightly refresh against an empty flow run", noop_markdown),
    "marts_queries": ("Ad-hoc queries on the marts", marts_markdown),
    "growth": ("Growth: publish + views into a grown warehouse", growth.markdown),
}


def write_summary(directory: Path) -> None:
    """summary.md and .json from the results in `directory`, each benchmark as last run (a run
    of one benchmark updates its part)."""
    verdicts: list[dict[str, Any]] = []
    parts = []
    for name, (title, render) in SECTIONS.items():
        path = directory / f"{name}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        for verdict in data["verdicts"]:
            verdicts.append({**verdict, "run": data["machine"]["date"]})
        parts.append(f"## {title}\n\n" + machine_markdown(data["machine"]) + "\n" + render(data))
    text = (
        "# Benchmarks (issue 7)\n\nSynthetic values throughout (bench/README.md says what each "
        "figure means, and why and how each missed target would be met).\n\n"
        + table(
            ["target", "at", "measured", "verdict", "run"],
            [
                [v["target"], v["at"], v["measured"], "met" if v["met"] else "**missed**", v["run"]]
                for v in verdicts
            ],
        )
        + "\n"
        + "\n".join(parts)
    )
    (directory / "summary.md").write_text(text)
    (directory / "summary.json").write_text(json.dumps({"verdicts": verdicts}, indent=2) + "\n")


if __name__ == "__main__":
    main()
