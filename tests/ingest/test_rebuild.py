"""tradewh rebuild: a new warehouse from the landing store alone ends with the same contents as
the one that landed it (the checksums the crash tests compare), in another catalog too."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.crash.harness import consistency_problems, content_checksums
from tradewh.cli import app
from tradewh.ingest import landing
from tradewh.settings import Settings


@pytest.fixture
def live(sample: Settings) -> Settings:
    """The session's sample warehouse: the one its landing store landed."""
    return sample


def test_the_landing_store_journals_every_payload(live: Settings) -> None:
    entries = list(landing.journal_entries(live.landing_dir))
    assert {e["source"] for e in entries} == {
        "census_country",
        "ft900",
        "alfred",
        "news",
        "census_enduse",
    }
    for entry in entries:
        assert (live.landing_dir / str(entry["path"])).is_file()
        assert str(entry["path"]).split("/")[-1].startswith(str(entry["sha256"]))


# A whole sample rebuilt from the landing store: about 25 s, run by make test-slow.
@pytest.mark.slow
def test_rebuild_equals_the_live_warehouse(
    live: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEWH_DATA_DIR", str(live.data_dir))
    monkeypatch.setenv("TRADEWH_LANDING_DIR", str(live.landing_dir))
    target = tmp_path / "rebuilt"
    result = CliRunner().invoke(app, ["rebuild", "--data-dir", str(target)])
    assert result.exit_code == 0, result.output
    assert "vintages published" in result.output
    rebuilt = Settings(data_dir=target, landing_dir=live.landing_dir)
    assert consistency_problems(rebuilt) == []
    assert content_checksums(rebuilt) == content_checksums(live)


def test_rebuild_refuses_an_existing_warehouse(
    live: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEWH_DATA_DIR", str(live.data_dir))
    monkeypatch.setenv("TRADEWH_LANDING_DIR", str(live.landing_dir))
    result = CliRunner().invoke(app, ["rebuild", "--data-dir", str(live.data_dir)])
    assert result.exit_code == 1
    assert "exists: rebuild makes a new warehouse" in result.output
