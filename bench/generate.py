"""Synthetic Census International Trade API detail: months x partners x HS10 codes.

Written exactly in the API's shape (a JSON array of arrays, header row first, every cell a
string, one row per line, the predicate variables COMM_LVL and time appended as columns), one
file per flow as `exports/hs` and `imports/hs` answer `get=CTY_CODE,CTY_NAME,<commodity>,<value>
&COMM_LVL=HS10&time=from YYYY-01 to YYYY-12`. The same rows are also written as a CSV for the
DuckDB `read_csv` baseline.

What is real: the partner codes and names (the countries of the bundled country file,
tradewh/sample/census_country), the layout of a response, and the world rows (CTY_CODE `-`),
which are the exact sum of the countries as in a real answer. What is made up: every value
(log-normal whole dollars from a fixed seed) and the HS10 codes (well-formed: a real HS chapter
01-97 but 77, then eight more digits; exports and imports have their own lists, as Schedule B
and HTS do). Every partner trades every code: a real answer is sparser (a partner trades a
subset of the codes), which changes nothing in the work per row.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from tradewh.settings import PACKAGE_DIR

COUNTRY_FILE = PACKAGE_DIR / "sample" / "census_country" / "country_2024-11.xlsx"
WORLD = ("-", "TOTAL FOR ALL COUNTRIES")
YEAR = 2024
MONTHS = 12
# Flow -> (API path under intltrade, commodity variable, value variable).
FLOWS = {
    "exports": ("exports/hs", "E_COMMODITY", "ALL_VAL_MO"),
    "imports": ("imports/hs", "I_COMMODITY", "GEN_VAL_MO"),
}
# HS chapters in use (77 is reserved).
CHAPTERS = [c for c in range(1, 98) if c != 77]


@dataclass(frozen=True)
class Dataset:
    """What a generated set holds; written beside the files as dataset.json."""

    rows: int  # data rows over both flows (header rows not counted)
    months: int
    partners: int  # countries, plus the world row
    codes: int  # HS10 codes per flow
    year: int
    files: dict[str, str]  # flow -> API payload file name
    csv: str  # every row of both flows, for read_csv
    payload_bytes: int

    @classmethod
    def load(cls, directory: Path) -> Dataset:
        return cls(**json.loads((directory / "dataset.json").read_text()))


def countries(limit: int | None = None) -> list[tuple[str, str]]:
    """(CTY_CODE, CTY_NAME) of every country (not a group) in the bundled country file."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(COUNTRY_FILE)).get_sheet_by_name("country")
    seen: dict[str, str] = {}
    for row in sheet.to_python()[1:]:
        code, name = str(row[1]).strip(), str(row[2]).strip()
        if code.isdigit() and not code.startswith("00"):
            seen.setdefault(code, name.upper())
    found = sorted(seen.items())
    return found[:limit] if limit else found


def hs10_codes(count: int, rng: np.random.Generator) -> list[str]:
    """`count` distinct well-formed HS10 codes, sorted."""
    codes: set[str] = set()
    while len(codes) < count:
        chapter = CHAPTERS[int(rng.integers(len(CHAPTERS)))]
        codes.add(f"{chapter:02d}{int(rng.integers(10**8)):08d}")
    return sorted(codes)


def dimensions(rows: int, partners: int, months: int = MONTHS) -> int:
    """HS10 codes per flow so that two flows x months x (partners + world) x codes ~ rows."""
    return max(1, round(rows / (len(FLOWS) * months * (partners + 1))))


def generate(
    directory: Path, rows: int, seed: int = 7, first_month: int = 1, months: int = MONTHS
) -> Dataset:
    """`rows` over both flows and `months` months from `first_month` of YEAR (a backfill's
    month: months=1)."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    partners = countries()
    count = dimensions(rows, len(partners), months)
    times = [f"{YEAR}-{month:02d}" for month in range(first_month, first_month + months)]
    files: dict[str, str] = {}
    total_rows = 0
    total_bytes = 0
    csv_path = directory / "rows.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as csv:
        csv.write("flow,CTY_CODE,CTY_NAME,COMMODITY,VALUE,time\n")
        for flow, (path, commodity, value) in FLOWS.items():
            codes = hs10_codes(count, rng)
            # Whole dollars, log-normal around ~$60k with a long tail; a few cells are 0.
            values = np.floor(
                rng.lognormal(mean=11.0, sigma=2.0, size=(months, len(partners), count))
            ).astype(np.int64)
            values[rng.random(values.shape) < 0.01] = 0
            world = values.sum(axis=1)
            name = path.replace("/", "_") + ".json"
            header = ["CTY_CODE", "CTY_NAME", commodity, value, "COMM_LVL", "time"]
            with (directory / name).open("w", encoding="utf-8") as out:
                out.write("[" + json.dumps(header, separators=(",", ":")))
                for m, time in enumerate(times):
                    blocks = [(WORLD, world[m])] + [
                        (partner, values[m, p]) for p, partner in enumerate(partners)
                    ]
                    for (code, cname), cells in blocks:
                        head = f'["{code}","{cname}","'
                        tail = f'","HS10","{time}"]'
                        texts = cells.astype(str)
                        pairs = zip(codes, texts, strict=True)
                        out.write("".join(f',\n{head}{hs}","{v}{tail}' for hs, v in pairs))
                        quoted = f'"{cname}"' if "," in cname else cname
                        csv.write(
                            "".join(
                                f"{flow},{code},{quoted},{hs},{v},{time}\n"
                                for hs, v in zip(codes, texts, strict=True)
                            )
                        )
                        total_rows += len(codes)
                out.write("]\n")
            files[flow] = name
            total_bytes += (directory / name).stat().st_size
    dataset = Dataset(
        rows=total_rows,
        months=months,
        partners=len(partners) + 1,
        codes=count,
        year=YEAR,
        files=files,
        csv=csv_path.name,
        payload_bytes=total_bytes,
    )
    (directory / "dataset.json").write_text(json.dumps(asdict(dataset), indent=2))
    return dataset


def parse_size(text: str) -> int:
    """'1M' -> 1_000_000, '250k' -> 250_000, '5000' -> 5000."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale != 1 else text
    return int(math.floor(float(number) * scale))


if __name__ == "__main__":
    import argparse
    import time

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--rows", default="1M")
    args = parser.parse_args()
    started = time.perf_counter()
    made = generate(args.directory, parse_size(args.rows))
    seconds = time.perf_counter() - started
    print(f"{made.rows:,} rows, {made.payload_bytes / 1e6:.0f} MB in {seconds:.1f} s")
