"""`tradewh claims FILE`: a journalist checks a draft before publishing it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.paths import FIXTURES
from tradewh import warehouse
from tradewh.cli import app
from tradewh.settings import Settings

DRAFT = (
    "WASHINGTON - The U.S. trade deficit widened to $7.46 billion in March from $6.73 billion "
    "in February, the Commerce Department said. The deficit with Japan was $5.75 billion."
)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_claims_table_and_json(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT)
    table = run("claims", str(draft), "--published", "1994-05-20")
    assert table.exit_code == 0, table.output
    assert "$7.46 billion" in table.output and "1994-03-01" in table.output
    assert "evidence" in table.output

    as_json = run("claims", str(draft), "--published", "1994-05-20", "--format", "json")
    claims = json.loads(as_json.output)
    japan = next(c for c in claims if c["partner_code"] == "5880")
    assert (japan["metric"], japan["period"], float(japan["value_musd"])) == (
        "balance",
        "1994-03-01",
        -5750.0,
    )
    assert all(DRAFT[c["start_char"] : c["end_char"]] == c["quoted_text"] for c in claims)


def test_claims_without_a_date_leave_months_unresolved(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT)
    result = run("claims", str(draft), "--format", "json")
    claims = json.loads(result.stdout)  # the note on the missing date goes to stderr
    assert claims and all(c["period"] is None for c in claims)
    assert "left unresolved" in result.stderr


def test_claims_bad_options(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT)
    assert run("claims", str(draft), "--published", "May 20").exit_code == 2
    assert run("claims", str(draft), "--format", "xml").exit_code == 2


# -- --check: verdicts against a real warehouse built in a temporary directory ------------------


@pytest.fixture
def warehouse_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse migrated by the project's migrations, holding tests/fixtures/warehouse.sql
    (the March 1994 headline balance first printed -7,460 $M, -6,466 now; Japan's Census goods
    balance January-March 1994), with its views built."""
    path = tmp_path / "warehouse"
    settings = Settings(data_dir=path)
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        con.execute((FIXTURES / "warehouse.sql").read_text())
        warehouse.rebuild_views(con, settings.sql_dir)
    monkeypatch.setenv("TRADEWH_DATA_DIR", str(path))
    return path


def _output(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


def test_check_gives_each_figure_its_verdict(tmp_path: Path, warehouse_env: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "WASHINGTON - The U.S. trade deficit widened to $7.46 billion in March, the\n"
        "Commerce Department said. The deficit with Japan was $16 million in February.\n"
    )
    result = run("claims", str(draft), "--check", "--published", "1994-05-20")
    assert result.exit_code == 0, _output(result)
    assert "revised_since" in result.output and "matches_latest" in result.output
    assert "read from: period <- 'March'" in result.output
    rows = json.loads(
        run("claims", str(draft), "--check", "--published", "1994-05-20", "--format", "json").output
    )
    assert [(r["quoted_text"], r["check"]["verdict"]) for r in rows] == [
        ("$7.46 billion", "revised_since"),
        ("$16 million", "matches_latest"),
    ]
    assert rows[0]["check"]["first_print_value"] == -7460  # a number, as sql --format json


def test_check_exits_non_zero_when_a_figure_differs(tmp_path: Path, warehouse_env: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("The U.S. trade deficit widened to $7.64 billion in March.")
    result = run("claims", str(draft), "--check", "--published", "1994-05-20")
    assert result.exit_code == 1, _output(result)
    assert "differs" in result.output


def test_check_without_a_date_says_periods_are_read_against_today(
    tmp_path: Path, warehouse_env: Path
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("The U.S. trade deficit widened to $7.46 billion in March.")
    result = run("claims", str(draft), "--check")
    assert result.exit_code == 0, _output(result)
    assert "read against today" in _output(result)
    assert "no_official_figure" in result.output  # this year's March: not in the warehouse
