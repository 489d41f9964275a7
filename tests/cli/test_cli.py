"""The `tradewh` command on a small warehouse built from SQL text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewh.cli import app
from tradewh.settings import Settings

QUERY = (
    "select partner_code, period, balance_musd from marts.balance_monthly "
    "where partner_code='5880' order by period"
)


@pytest.fixture
def built(fixture_warehouse: Settings) -> Settings:
    return fixture_warehouse


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_sql_table(built: Settings) -> None:
    result = run("sql", QUERY)
    assert result.exit_code == 0, result.output
    assert "balance_musd" in result.output
    # Money to 0.1 $M in a table, the precision it is published in (csv keeps every digit).
    assert "-12.8" in result.output and "-16.0" in result.output
    assert "3 rows" in result.output


def test_sql_csv(built: Settings) -> None:
    result = run("sql", QUERY, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows == [
        ["partner_code", "period", "balance_musd"],
        ["5880", "1994-01-01", "-10"],
        ["5880", "1994-02-01", "-16"],
        ["5880", "1994-03-01", "-12.75"],
    ]


def test_sql_json(built: Settings) -> None:
    result = run("sql", QUERY, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data[2] == {"partner_code": "5880", "period": "1994-03-01", "balance_musd": -12.75}


def test_sql_from_file(built: Settings, tmp_path: Path) -> None:
    path = tmp_path / "q.sql"
    path.write_text(QUERY)
    result = run("sql", "--file", str(path), "--format", "csv")
    assert result.exit_code == 0 and result.output.count("\n") == 4


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("delete from core.observations", "read-only"),
        ("create table marts.x as select 1", "read-only"),
        ("select nonsense from marts.balance_monthly", "nonsense"),
    ],
    ids=["delete", "create", "bad-column"],
)
def test_sql_errors_are_messages_not_tracebacks(built: Settings, query: str, message: str) -> None:
    result = run("sql", query)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_sql_without_a_warehouse_says_what_to_do(settings: Settings) -> None:
    result = run("sql", "select 1")
    assert result.exit_code == 1
    # The full path and how to name it: advice never builds a second warehouse elsewhere.
    assert f"tradewh --warehouse {settings.data_dir} refresh" in result.output
    assert "TRADEWH_DATA_DIR" in result.output
