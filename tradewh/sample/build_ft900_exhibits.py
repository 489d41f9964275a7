"""Build the complete August 2021 FT-900 release of the sample archive (tradewh/sample/ft900/).

Every exhibit tradewh reads besides Exhibit 1 (build_ft900.py writes that one), from the release
as published on 5 October 2021 (the workbooks in
../shared/reference/ft900/release_2021-08_all_exhibits/), cell for cell through
tradewh.sources.ft900.exhibits.writer. Figures only: nothing of the published files but their
cells.

    python -m tradewh.sample.build_ft900_exhibits --reference ../shared/reference
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tradewh.sources.ft900.constants import EXHIBIT_FILES
from tradewh.sources.ft900.exhibits.cells import read_sheet
from tradewh.sources.ft900.exhibits.writer import write_sheet

SAMPLE_DIR = Path(__file__).resolve().parent
RELEASE = "2021-08"
FOLDER = "ft900/release_2021-08_all_exhibits"
# Released Tuesday 5 October 2021, 08:30 EDT (../shared/reference/README.md).
PUBLISHED = "Tue, 05 Oct 2021 12:30:00 GMT"


# Later vintages of single exhibits found in the reference: data month -> (file, release time as
# in build_ft900.RELEASES, the same releases' Exhibit 1).
OTHER_VINTAGES = {
    ("exh12", "2025-12"): (
        "ft900/exh12_release-2025-12data_ericayork-0aafba3.xlsx",
        "Thu, 19 Feb 2026 13:30:00 GMT",
    ),
    ("exh12", "2026-01"): (
        "ft900/exh12_release-2026-01data_ericayork-fbd0522.xlsx",
        "Thu, 12 Mar 2026 12:30:00 GMT",
    ),
}


def _write(source: Path, target: Path, published: str) -> Path:
    sheet = read_sheet(source.read_bytes())
    write_sheet(target, sheet.name, sheet.cells)
    # Recorded response headers, served by the file:// transport like a web server would.
    sidecar = target.with_name(target.name + ".headers.json")
    sidecar.write_text(json.dumps({"Last-Modified": published}, indent=2) + "\n")
    return target


def build(reference: Path, out_dir: Path = SAMPLE_DIR) -> list[Path]:
    written = []
    for name in EXHIBIT_FILES:
        if name == "exh1":
            continue  # build_ft900.py
        source = reference / FOLDER / f"{name}_ft900_{RELEASE}data.xlsx"
        written.append(_write(source, out_dir / "ft900" / f"{name}_{RELEASE}.xlsx", PUBLISHED))
    for (name, label), (file, published) in OTHER_VINTAGES.items():
        written.append(
            _write(reference / file, out_dir / "ft900" / f"{name}_{label}.xlsx", published)
        )
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
