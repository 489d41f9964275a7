"""`tradewh claims FILE`: a journalist checks a draft before publishing it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tradewh.cli import app

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
    claims = json.loads(run("claims", str(draft), "--format", "json").output)
    assert claims and all(c["period"] is None for c in claims)


def test_claims_bad_options(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT)
    assert run("claims", str(draft), "--published", "May 20").exit_code == 2
    assert run("claims", str(draft), "--format", "xml").exit_code == 2
