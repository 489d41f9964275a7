"""Build the FT-900 Exhibit 1 part of the sample archive (tradewh/sample/ft900/).

Published figures only, written by our own writer: five real Exhibit 1 workbooks (found in
../shared/reference/ft900/) re-written from the figures they show, and the March 1994 release as
first published, of which only a few figures of one month were reported.

    python -m tradewh.sample.build_ft900 --reference ../shared/reference
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tradewh.sources.ft900.constants import COLUMNS
from tradewh.sources.ft900.workbook import Release, Row, read_release, write_release

SAMPLE_DIR = Path(__file__).resolve().parent
# data month -> (reference workbook, release time: 08:30 Eastern, as GMT). The release time
# becomes the Last-Modified header of the file:// transport, so the vintage's publication date.
RELEASES = {
    # The August 2021 release, complete in the reference; its other exhibits are written by
    # build_ft900_exhibits.py.
    "2021-08": (
        "release_2021-08_all_exhibits/exh1_ft900_2021-08data.xlsx",
        "Tue, 05 Oct 2021 12:30:00 GMT",
    ),
    "2021-09": ("exh1_release-2021-09data_meschef-d44adcc.xlsx", "Thu, 04 Nov 2021 12:30:00 GMT"),
    "2021-12": ("exh1_release-2021-12data_meschef-abe9862.xlsx", "Tue, 08 Feb 2022 13:30:00 GMT"),
    "2022-02": ("exh1_release-2022-02data_meschef-c47c3e4.xlsx", "Tue, 05 Apr 2022 12:30:00 GMT"),
    "2025-12": ("exh1_release-2025-12data_ericayork-0aafba3.xlsx", "Thu, 19 Feb 2026 13:30:00 GMT"),
    "2026-01": ("exh1_release-2026-01data_ericayork-fbd0522.xlsx", "Thu, 12 Mar 2026 12:30:00 GMT"),
}
# March 1994 as first published on 19 May 1994, $M, SA, goods on a BOP basis; the cells not
# reported are left empty rather than filled from later vintages.
MARCH_1994 = "1994-03"
MARCH_1994_PUBLISHED = "Thu, 19 May 1994 12:30:00 GMT"
MARCH_1994_FIRST_PRINT = {
    ("balance", "goods_and_services"): -7460.0,
    ("balance", "goods"): -12040.0,
    ("balance", "services"): 4580.0,
    ("exports", "goods"): 42170.0,
    ("imports", "goods"): 54210.0,
}


def march_1994() -> Release:
    values = tuple(MARCH_1994_FIRST_PRINT.get(column) for column in COLUMNS)
    return Release((Row("month", "March", 1994, 3, False, values),))


def _reference_release(reference: Path, label: str, name: str) -> Release:
    release = read_release((reference / "ft900" / name).read_bytes())
    newest = max(release.months())
    if f"{newest:%Y-%m}" != label:
        raise ValueError(f"{name} shows data up to {newest:%Y-%m}, not {label}")
    return release


def _write(out_dir: Path, label: str, release: Release, published: str) -> Path:
    target = out_dir / "ft900" / f"exh1_{label}.xlsx"
    write_release(target, release)
    # Recorded response headers, served by the file:// transport like a web server would.
    sidecar = target.with_name(target.name + ".headers.json")
    sidecar.write_text(json.dumps({"Last-Modified": published}, indent=2) + "\n")
    return target


def build(reference: Path, out_dir: Path = SAMPLE_DIR) -> list[Path]:
    """Write the ft900 sample files into out_dir/ft900; the paths, oldest release first."""
    written = [_write(out_dir, MARCH_1994, march_1994(), MARCH_1994_PUBLISHED)]
    for label, (name, published) in RELEASES.items():
        release = _reference_release(reference, label, name)
        written.append(_write(out_dir, label, release, published))
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
