"""Build the census_enduse part of the sample archive (tradewh/sample/census_enduse/).

The Census annual imports by country and 5-digit end-use workbook of February 2026 (found in
../shared/reference/census_enduse_country_annual/), trimmed to the world total and the partners
the other sample extracts follow, rewritten in its published layout by our own writer.

    python -m tradewh.sample.build_census_enduse --reference ../shared/reference
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tradewh.sources.census_enduse.workbook import Table, read_table, write_table

SAMPLE_DIR = Path(__file__).resolve().parent
# World total, Japan, Canada, Mexico, China, Germany.
PARTNERS = frozenset({"0000", "5880", "1220", "2010", "5700", "4280"})
# vintage label -> (reference file, capture date used as its Last-Modified: the commit date of
# iriswang-creator/US_Trade_Analytics_ 224dd77; Census last saved the file 2026-02-17)
VINTAGES = {
    "2026-02": (
        "census_enduse_country_annual/enduse_imports_2016-2025_vintage2026-02_iriswang.xlsx",
        "Tue, 14 Apr 2026 00:00:00 GMT",
    ),
}


def build(reference: Path, out_dir: Path = SAMPLE_DIR) -> list[Path]:
    written = []
    for label, (name, last_modified) in VINTAGES.items():
        table = read_table((reference / name).read_bytes())
        kept = Table(table.header, table.years, tuple(r for r in table.rows if r.code in PARTNERS))
        target = out_dir / "census_enduse" / f"enduse_imports_{label}.xlsx"
        write_table(target, kept)
        # Recorded response headers, served by the file:// transport like a web server would.
        sidecar = target.with_name(target.name + ".headers.json")
        sidecar.write_text(json.dumps({"Last-Modified": last_modified}, indent=2) + "\n")
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference", type=Path, default=Path("../shared/reference"))
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR)
    args = parser.parse_args()
    for path in build(args.reference, args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
