"""A nightly refresh with nothing new against an empty Prefect flow run, in the same process and
the same Prefect mode; prints one JSON line. Run by bench/run.py:

    python -m bench.noop inprocess WORK [--runs 3]   # flow-run durations in one process
    python -m bench.noop empty                       # one empty flow run: a whole process

`inprocess` runs the real nightly flow (flows.nightly.nightly_refresh) on the sample profile once
to fill the warehouse (and to start Prefect: its temporary server in ephemeral mode, or the
connection to the server PREFECT_API_URL names), then alternately an empty @flow and the
nightly flow again (a no-op: every fetch answers 304 Not Modified), `runs` times each. The
durations are those of the flow calls (`flow(return_state=True)`), what a scheduled run costs
once its process is up. bench/run.py also times whole processes: `tradewh refresh` on the
filled warehouse against `python -m bench.noop empty`.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any


def _quiet() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def empty_flow() -> Any:
    from prefect import flow

    @flow(name="bench_empty")
    def bench_empty() -> None:
        return None

    return bench_empty


def inprocess(runs: int) -> dict[str, Any]:
    _quiet()
    from flows.nightly import nightly_refresh

    empty = empty_flow()
    started = time.perf_counter()
    first = nightly_refresh(return_state=True)
    first_s = time.perf_counter() - started
    summary = first.result(raise_on_failure=False)
    filled = getattr(summary, "new_vintages", None)
    empties, noops, new_after = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        state = empty(return_state=True)
        empties.append(time.perf_counter() - started)
        assert state.is_completed(), state
        started = time.perf_counter()
        state = nightly_refresh(return_state=True)
        noops.append(time.perf_counter() - started)
        result = state.result(raise_on_failure=False)
        new_after.append(getattr(result, "new_vintages", None))
    return {
        "mode": "inprocess",
        "api": os.environ.get("PREFECT_API_URL") or "ephemeral",
        "first_refresh_s": first_s,
        "first_new_vintages": filled,
        "empty_s": empties,
        "noop_s": noops,
        "noop_new_vintages": new_after,
    }


def empty() -> dict[str, Any]:
    _quiet()
    flow = empty_flow()
    started = time.perf_counter()
    state = flow(return_state=True)
    assert state.is_completed(), state
    return {"mode": "empty", "flow_s": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["inprocess", "empty"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result = inprocess(args.runs) if args.mode == "inprocess" else empty()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
