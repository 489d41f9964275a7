"""Which partner a row of an exhibit is: its Census country code, and whether it is a group.

The exhibits name partners, the one series model keys them by code, so that "Japan" in Exhibit
14 and 5880 in the country file are one series (the exhibit's figure is then the first print of
the country file's month). Codes come from partner_codes.csv (the names the country file gives
each code) plus the spellings the exhibits use where they differ.

Groups the country file has no code for (the exhibits' own areas, and their "Other" residual
lines) get a code of their own: "area:<name>" and "other:<area>". Both are aggregates: never
add them to countries.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

CODES_FILE = Path(__file__).with_name("partner_codes.csv")
ALL = ("-", "All countries")

# Exhibit spellings -> the country file's name for the same code.
ALIASES = {
    "congo (brazzaville)": "Congo",
    "congo (kinshasa)": "Democratic Republic of Congo",
    "north macedonia": "Macedonia",
    "yemen": "Republic of Yemen",
    "timor-leste": "East Timor",
    "falkland islands (islas malvinas)": "Falkland Islands(Islas Malvin",
    "gaza strip administered by israel": "Gaza Strip admin. by Israel",
    "west bank administered by israel": "West Bank admin. by Israel",
    "british indian ocean territories": "British Indian Ocean Terr.",
    "french southern and antarctic lands": "French Southern and Antarctic",
    "south/central america": "South and Central America",
    "pacific rim countries": "Pacific Rim",
}
# The grand total of an exhibit (all countries): partner "-".
TOTALS = frozenset({"total", "total census basis", "total balance of payments basis"})
# Lines that are not countries but belong to the total (goods no country can be given for).
RESIDUALS = {
    "unidentified countries": "unidentified",
    "unidentified": "unidentified",
    "timing adjustments": "timing_adjustment",
    "timing adjustment": "timing_adjustment",
}
# Areas and groups the exhibits print that the country file has no code for.
AREAS = frozenset(
    {
        "euro area",
        "other countries",
        "apec",
        "asean",
        "asia - south",
        "asia near east",
        "central american common market",
        "lafta",
        "nato allies",
        "oecd",
        "opec",
        "twenty latin american republics",
        "all other countries",
        "world",
    }
)
# Footnote stars of the supplemental table ("Canada**": a free trade agreement partner).
STARS = re.compile(r"\*+$")


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    is_aggregate: bool


def _load() -> dict[str, str]:
    with CODES_FILE.open(newline="") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows)  # header
        return {name.lower(): code for code, name in rows}


BY_NAME = _load()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def partner(name: str, area: str | None = None) -> Partner | None:
    """The partner a row names; None when the name is neither a country nor a known group.
    area: the group a residual "Other" line belongs to (its heading in the exhibit)."""
    published = STARS.sub("", " ".join(name.split()))
    key = published.lower()
    if key in TOTALS:
        return Partner(*ALL, True)
    if key == "other europe":
        # Exhibit 14's residual of Europe (after the EU and the countries listed).
        return Partner("other:0012", published, True)
    if key == "other":
        owner = partner(area) if area else None
        return Partner(f"other:{owner.code if owner else 'all'}", published, True)
    if key in RESIDUALS:
        return Partner(RESIDUALS[key], published, True)
    if key in AREAS:
        return Partner(f"area:{_slug(published)}", published, True)
    code = BY_NAME.get(ALIASES.get(key, key).lower())
    if code is None:
        return None
    return Partner(code, published, code.startswith("00"))


def write_codes(country_workbook: Path) -> int:
    """Rewrite partner_codes.csv from a country.xlsx vintage: the newest code of each name."""
    from tradewh.sources.census_country.workbook import read_rows

    _, rows = read_rows(country_workbook.read_bytes())
    newest: dict[str, tuple[int, str]] = {}
    for row in rows:
        year, code, name = int(float(row[0])), str(row[1]).strip(), " ".join(str(row[2]).split())
        if name not in newest or (year, code) > newest[name]:
            newest[name] = (year, code)
    lines = CODES_FILE.read_text().splitlines()
    header = [line for line in lines if line.startswith("#")]
    with CODES_FILE.open("w", newline="") as handle:
        handle.write("\n".join(header) + "\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name"])
        for name, (_, code) in sorted(newest.items(), key=lambda item: item[1][1]):
            writer.writerow([code, name])
    return len(newest)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--write-codes":
        sys.exit("usage: python -m tradewh.sources.ft900.exhibits.partners --write-codes FILE")
    print(f"{write_codes(Path(sys.argv[2]))} names written to {CODES_FILE}")
