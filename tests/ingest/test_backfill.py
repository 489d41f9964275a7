"""`tradewh backfill` in a real process against a Census API served on 127.0.0.1: stopped with
SIGTERM part way, then run again, it resumes without asking again for, or loading twice, what
the first run published, and says where it stands as it goes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from tests.httpserver import Reply, ScriptedServer
from tests.ingest.test_pipeline import migrated, query
from tradewh.settings import Settings

MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]
PARTNERS = [("-", "TOTAL FOR ALL COUNTRIES"), ("5880", "JAPAN"), ("1220", "CANADA")]
API = "/data/timeseries/intltrade"


def _month_of_detail(query: str, flow: str) -> Reply:
    """One month of HS10 detail (two products, three partners), the world row their sum;
    answered slowly enough that a signal lands between two items."""
    [month] = parse_qs(query)["time"]
    index = MONTHS.index(month) + 1
    commodity, value = (
        ("E_COMMODITY", "ALL_VAL_MO")
        if flow == "exports"
        else (
            "I_COMMODITY",
            "GEN_VAL_MO",
        )
    )
    rows: list[list[str]] = [["CTY_CODE", "CTY_NAME", commodity, value, "COMM_LVL", "time"]]
    for code in ("8703230190", "0101210010"):
        parts = {"5880": 500 * index, "1220": 200 * index}
        for partner, name in PARTNERS:
            amount = sum(parts.values()) if partner == "-" else parts[partner]
            rows.append([partner, name, code, str(amount), "HS10", month])
    body = ("[" + ",\n".join(json.dumps(r, separators=(",", ":")) for r in rows) + "]").encode()
    return Reply(body=body, delay=0.4)


@pytest.fixture
def api() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    server.start()
    # End-use: nothing yet (204), so only the HS detail loads.
    for flow in ("exports", "imports"):
        server.route(f"{API}/{flow}/enduse", lambda _query: Reply(status=204))
        server.route(f"{API}/{flow}/hs", lambda query, flow=flow: _month_of_detail(query, flow))
    try:
        yield server
    finally:
        server.stop()


def _command(settings: Settings) -> list[str]:
    tradewh = Path(sys.executable).with_name("tradewh")
    return [str(tradewh), "backfill", "census_api", "--from", MONTHS[0]]


def _environment(settings: Settings, server: ScriptedServer) -> dict[str, str]:
    return {
        **os.environ,
        "TRADEWH_PROFILE": "live",
        "TRADEWH_CENSUS_API_URL": server.url(API),
        "TRADEWH_DATA_DIR": str(settings.data_dir),
        "TRADEWH_LANDING_DIR": str(settings.landing_dir),
    }


def _hs_asked(server: ScriptedServer) -> list[tuple[str, str]]:
    return [
        (r.path.rsplit("/", 2)[-2], parse_qs(r.query)["time"][0])
        for r in server.requests
        if r.path.endswith("/hs")
    ]


def test_backfill_stops_on_sigterm_and_resumes(settings: Settings, api: ScriptedServer) -> None:
    settings = migrated(settings)
    command = [*_command(settings), "--to", MONTHS[-1], "--hs-level", "HS10"]
    env = _environment(settings, api)
    first = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert first.stdout is not None
    lines = []
    # 2 end-use requests (no data), then 4 months of exports and 4 of imports.
    for line in first.stdout:
        lines.append(line)
        if line.startswith("[4/10] published"):
            first.send_signal(signal.SIGTERM)
            break
    out, err = first.communicate(timeout=120)
    lines += out.splitlines(keepends=True)
    assert first.returncode == 130, (lines, err)
    assert "stopped" in err and "run the same command again to resume" in err
    # Each line: where the backfill stands, rows so far, the rate and what is left.
    assert re.match(
        r"\[3/10\] published 6 rows \(6 rows, [\d,]+ rows/s, ETA \d+:\d\d:\d\d\): http://",
        lines[2],
    ), lines
    published_first = query(
        settings, "SELECT count(*) FROM ops.releases WHERE status = 'published'"
    )[0][0]
    assert 2 <= published_first < 8
    asked_first = _hs_asked(api)

    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    # What the first run published was not asked for again; everything else was.
    asked_second = _hs_asked(api)[len(asked_first) :]
    every = [(flow, month) for flow in ("exports", "imports") for month in MONTHS]
    assert sorted(set(asked_first[:published_first]) & set(asked_second)) == []
    assert sorted(set(asked_first) | set(asked_second)) == sorted(every)
    assert f"{published_first} skipped" in second.stdout, second.stdout
    assert "8 published" not in second.stdout
    # Every month of both flows published once, each row once.
    assert query(
        settings,
        "SELECT count(*), count(DISTINCT release_id) FROM ops.loads",
    ) == [(8, 8)]
    assert query(
        settings,
        "SELECT count(*), count(DISTINCT (period, flow, partner_code, commodity_code)) "
        "FROM core.observations",
    ) == [(48, 48)]
    # Run again: nothing left to do, nothing asked.
    asked = len(api.requests)
    third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert third.returncode == 0, third.stderr
    assert "8 skipped" in third.stdout
    assert _hs_asked(api)[len(asked_first) + len(asked_second) :] == []
    assert len(api.requests) - asked == 2  # the end-use years (no data yet) are asked again
