"""The bundled archive is exactly what our own writer makes from the real published files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tradewh.sample.build import (
    COUNTRY_VINTAGES,
    EXTRA_YEARS,
    SAMPLE_DIR,
    YEARS,
    build_census_country,
)
from tradewh.sources import census_country
from tradewh.sources.census_country.workbook import read_rows


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_archive_is_rebuilt_byte_for_byte_from_the_reference(
    reference_dir: Path, tmp_path: Path
) -> None:
    rebuilt = build_census_country(reference_dir, tmp_path)
    assert [p.name for p in rebuilt] == [f"country_{label}.xlsx" for label in COUNTRY_VINTAGES]
    for path in rebuilt:
        committed = SAMPLE_DIR / "census_country" / path.name
        assert digest(path) == digest(committed), f"{path.name} differs from the reference"
        sidecar = path.name + ".headers.json"
        assert (tmp_path / "census_country" / sidecar).read_text() == (
            SAMPLE_DIR / "census_country" / sidecar
        ).read_text()


def rounded(row: list) -> list:
    return [round(v, 6) if isinstance(v, float) else v for v in row]


def test_archive_keeps_only_the_trimmed_years_of_every_partner(reference_dir: Path) -> None:
    for label, (name, _) in COUNTRY_VINTAGES.items():
        _, sample_rows = read_rows(
            (SAMPLE_DIR / "census_country" / f"country_{label}.xlsx").read_bytes()
        )
        _, real_rows = read_rows((reference_dir / "census_country" / name).read_bytes())
        years = YEARS | EXTRA_YEARS.get(label, frozenset())
        assert {int(r[0]) for r in sample_rows} == set(years)
        expected = [r for r in real_rows if int(r[0]) in years]
        # Equal to the dollar (6 places of $ millions): the writer drops binary float noise
        # such as 22274.800000000003 for 22274.8.
        assert [rounded(r) for r in sample_rows] == [rounded(r) for r in expected]


def test_archive_parses_and_holds_the_spot_figures() -> None:
    for label in COUNTRY_VINTAGES:
        parsed = census_country.parse(
            (SAMPLE_DIR / "census_country" / f"country_{label}.xlsx").read_bytes()
        )
        assert parsed.table.num_rows > 50_000
