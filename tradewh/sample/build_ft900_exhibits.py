"""Build the complete August 2021 FT-900 release of the sample archive (tradewh/sample/ft900/).

Every exhibit tradewh reads, from the release as published on 5 October 2021 (the workbooks in
../shared/reference/ft900/release_2021-08_all_exhibits/): Exhibit 1 through its own reader and
writer, the others cell for cell through tradewh.sources.ft900.exhibits.writer. Figures only:
nothing of the published files but their cells.

    python -m tradewh.sample.build_ft900_exhibits --reference ../shared/reference
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tradewh.sources.ft900.constants import EXHIBIT_FILES
from tradewh.sources.ft900.exhibits.cells import read_sheet
from tradewh.sources.ft900.exhibits.writer import write_sheet
from tradewh.sources.ft900.workbook import read_release, write_release

SAMPLE_DIR = Path(__file__).resolve().parent
RELEASE = "2021-08"
FOLDER = "ft900/release_2021-08_all_exhibits"
# Released Tuesday 5 October 2021, 08:30 EDT (../shared/reference/README.md).
PUBLISHED = "Tue, 05 Oct 2021 12:30:00 GMT"


def build(reference: Path, out_dir: Path = SAMPLE_DIR) -> list[Path]:
    written = []
    for name in EXHIBIT_FILES:
        source = reference / FOLDER / f"{name}_ft900_{RELEASE}data.xlsx"
        target = out_dir / "ft900" / f"{name}_{RELEASE}.xlsx"
        payload = source.read_bytes()
        if name == "exh1":
            write_release(target, read_release(payload))
        else:
            sheet = read_sheet(payload)
            write_sheet(target, sheet.name, sheet.cells)
        sidecar = target.with_name(target.name + ".headers.json")
        sidecar.write_text(json.dumps({"Last-Modified": PUBLISHED}, indent=2) + "\n")
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
