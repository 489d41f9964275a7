"""Build the ALFRED sample: every vintage of BOPGSTB seen in real captures, as FRED answers it.

The captures are in ../shared/reference/fred/: a fredgraph.csv download of 2022-04-30 and ten
weekly pulls from the FRED API committed 2026-01-07 … 2026-08-09 (the date is in each file's
name). Every value is copied as published. A value's realtime_start is the first capture that
shows it and its realtime_end the day before the first capture that shows another one
(9999-12-31 while current): capture dates, i.e. latest dates, not the publication dates.

The file is a FRED observations answer to the request the live profile makes (whole real-time
window, output type 1, largest page), written compactly with FRED's keys in FRED's order.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from tradewh.sources.alfred.constants import (
    OUTPUT_TYPE,
    PAGE_LIMIT,
    REALTIME_END,
    REALTIME_START,
)

SERIES_ID = "BOPGSTB"
# The fredgraph download was committed on 2022-04-30 (its name only says the month).
FREDGRAPH = ("fred/BOPGSTB_fredgraph_vintage2022-04_AGoyal0512.csv", date(2022, 4, 30))
# BOPGSTB_<commit date>_<sha7>.csv
PULLS_GLOB = "fred/BOPGSTB_vintages_LeopoldN/BOPGSTB_*.csv"

Capture = tuple[date, dict[str, str]]


def _values(path: Path) -> dict[str, str]:
    """Observation date -> value text; both layouts are `date,value` under a header line."""
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    next(rows)
    return {day: value for day, value in rows}


def _captures(reference: Path) -> list[Capture]:
    name, captured = FREDGRAPH
    captures = [(captured, _values(reference / name))]
    for path in reference.glob(PULLS_GLOB):
        captures.append((date.fromisoformat(path.stem.split("_")[1]), _values(path)))
    return sorted(captures, key=lambda capture: capture[0])


def _runs(day: str, captures: list[Capture]) -> list[dict[str, str]]:
    """The vintages of one observation: one per run of captures showing the same value."""
    runs: list[dict[str, str]] = []
    for captured, values in captures:
        if day not in values:
            continue
        if runs and runs[-1]["value"] == values[day]:
            continue
        if runs:
            runs[-1]["realtime_end"] = (captured - timedelta(days=1)).isoformat()
        runs.append(
            {
                "realtime_start": captured.isoformat(),
                "realtime_end": REALTIME_END,
                "date": day,
                "value": values[day],
            }
        )
    return runs


def _answer(observations: list[dict[str, str]]) -> dict[str, Any]:
    # What FRED echoes for this request (observation_start/_end are its defaults as it states
    # them in real answers).
    return {
        "realtime_start": REALTIME_START,
        "realtime_end": REALTIME_END,
        "observation_start": "1600-01-01",
        "observation_end": "9999-12-31",
        "units": "lin",
        "output_type": OUTPUT_TYPE,
        "file_type": "json",
        "order_by": "observation_date",
        "sort_order": "asc",
        "count": len(observations),
        "offset": 0,
        "limit": PAGE_LIMIT,
        "observations": observations,
    }


def build(reference: Path, out_dir: Path) -> list[Path]:
    captures = _captures(reference)
    days = sorted({day for _, values in captures for day in values})
    observations = [run for day in days for run in _runs(day, captures)]
    target = out_dir / "alfred" / f"{SERIES_ID}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(json.dumps(_answer(observations), separators=(",", ":")).encode())
    # Recorded response headers for the file:// transport: the answer as of the last capture.
    last_capture = max(captured for captured, _ in captures)
    sidecar = target.with_name(target.name + ".headers.json")
    stamp = format_datetime(datetime.combine(last_capture, time(), UTC), usegmt=True)
    sidecar.write_text(json.dumps({"Last-Modified": stamp}, indent=2) + "\n")
    return [target]
