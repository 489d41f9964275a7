"""Build the bundled sample archive from real published workbooks.

The archive holds published figures only, copied from real published files (found in
../shared/reference/), written back in the published formats by our own writers: the Census
country file trimmed to a few years so the package stays small, FT-900 Exhibit 1 releases, and
ALFRED's answer for BOPGSTB rebuilt from captured vintages. tradewh/sample/README.md says where
every figure comes from.

    python -m tradewh.sample.build --reference ../shared/reference
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tradewh.sources.census_country.workbook import read_rows, write_workbook

SAMPLE_DIR = Path(__file__).resolve().parent
YEARS = frozenset(range(1992, 1997)) | frozenset(range(2017, 2021))
# vintage label -> (reference file, date the vintage was captured, used as its Last-Modified)
COUNTRY_VINTAGES = {
    "2020-10": ("country_vintage2020-10.xlsx", "Sun, 25 Oct 2020 00:00:00 GMT"),
    "2022-05": ("country_vintage2022-05.xlsx", "Wed, 11 May 2022 00:00:00 GMT"),
    "2024-11": ("country_vintage2024-11.xlsx", "Fri, 01 Nov 2024 00:00:00 GMT"),
    # Committed 2026-04-14 to iriswang-creator/US_Trade_Analytics_ (224dd77), data to 2026-01.
    "2026-03": ("country_vintage2026-03.xlsx", "Tue, 14 Apr 2026 00:00:00 GMT"),
}
# Years kept beyond YEARS in one vintage: 2021 in the newest, so that the partner figures the
# FT-900 release of August 2021 first printed (Exhibits 14 and 4s) have a revised value to show.
EXTRA_YEARS = {"2026-03": frozenset({2021})}


def build_census_country(reference: Path, out_dir: Path = SAMPLE_DIR) -> list[Path]:
    written = []
    for label, (name, last_modified) in COUNTRY_VINTAGES.items():
        header, rows = read_rows((reference / "census_country" / name).read_bytes())
        years = YEARS | EXTRA_YEARS.get(label, frozenset())
        kept = [
            row
            for row in rows
            if row and str(row[0]).strip().isdigit() and int(str(row[0]).strip()) in years
        ]
        target = out_dir / "census_country" / f"country_{label}.xlsx"
        write_workbook(target, kept, header)
        # Recorded response headers, served by the file:// transport like a web server would.
        sidecar = target.with_name(target.name + ".headers.json")
        sidecar.write_text(json.dumps({"Last-Modified": last_modified}, indent=2) + "\n")
        written.append(target)
    return written


def build_all(reference: Path, out_dir: Path = SAMPLE_DIR) -> list[Path]:
    from tradewh.sample import build_alfred, build_census_enduse, build_ft900, build_ft900_exhibits

    return [
        *build_census_country(reference, out_dir),
        *build_ft900.build(reference, out_dir),
        *build_ft900_exhibits.build(reference, out_dir),
        *build_alfred.build(reference, out_dir),
        *build_census_enduse.build(reference, out_dir),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference", type=Path, default=Path("../shared/reference"))
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR)
    args = parser.parse_args()
    for path in build_all(args.reference, args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
