"""The one way to the warehouse (issue 13): the transaction helper on a real DuckLake (commit,
label, rollback on an error and on Ctrl-C), the SQL-file loader, the row helper, and the ledger
statuses held to what the migrations document and the SQL files compare with."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from tests.paths import ROOT
from tradewh import warehouse
from tradewh.settings import Settings
from tradewh.store.rows import fetch_dicts, rows_as_dicts
from tradewh.store.sqlfiles import SqlFileError, read_sql, sql_path, sql_text
from tradewh.store.statuses import AlertStatus, QuarantineStatus, ReleaseStatus
from tradewh.store.transaction import transaction

SQL = ROOT / "sql"


def _held(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [x for (x,) in con.execute("SELECT x FROM kept ORDER BY x").fetchall()]


def _labels(con: duckdb.DuckDBPyConnection) -> list[tuple[str, dict]]:
    rows = con.execute(
        "SELECT commit_message, commit_extra_info FROM tradewh.snapshots() "
        "WHERE commit_message IS NOT NULL ORDER BY snapshot_id"
    ).fetchall()
    return [(message, json.loads(extra)) for message, extra in rows]


def test_a_transaction_commits_labels_and_rolls_back(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The label names the run that committed (the flow sets it when it records its run).
    monkeypatch.setitem(warehouse.current_run, "run_id", 3)
    with warehouse.writer(settings) as con:
        con.execute("CREATE TABLE kept (x INTEGER)")
        with transaction(con, "first rows", release_id=7):
            con.execute("INSERT INTO kept VALUES (1), (2)")
        assert _held(con) == [1, 2]
        assert _labels(con)[-1] == ("first rows", {"run_id": 3, "release_id": 7})

        # Any exception, Ctrl-C included, rolls back and is raised as it was.
        for error in (ValueError("bad batch"), KeyboardInterrupt()):
            with pytest.raises(type(error)) as raised:
                with transaction(con, "never committed"):
                    con.execute("INSERT INTO kept VALUES (3)")
                    raise error
            assert raised.value is error
            assert _held(con) == [1, 2]
        # A statement that fails inside rolls back too, and the connection is usable after.
        with pytest.raises(duckdb.Error):
            with transaction(con):
                con.execute("INSERT INTO kept VALUES (4)")
                con.execute("INSERT INTO kept VALUES ('not a number')")
        with transaction(con):
            con.execute("INSERT INTO kept VALUES (5)")
        assert _held(con) == [1, 2, 5]
        assert "never committed" not in [message for message, _ in _labels(con)]
    # What was committed is what a new reader sees.
    reader = warehouse.reader(settings)
    try:
        assert _held(reader) == [1, 2, 5]
    finally:
        reader.close()


def test_a_failed_commit_raises_its_own_error() -> None:
    """COMMIT ends the transaction even when it fails: the error raised is the commit's, not
    ROLLBACK's "no transaction is active"."""
    con = duckdb.connect()
    con.execute("CREATE TABLE kept (x INTEGER)")
    with pytest.raises(duckdb.TransactionException, match="cannot commit"):
        with transaction(con):
            con.execute("INSERT INTO kept VALUES (1)")
            con.execute("COMMIT")  # ends it early: the helper's own COMMIT then fails
    assert _held(con) == [1]


def test_sql_files_are_read_by_name_and_a_missing_one_is_named() -> None:
    assert sql_path(SQL, "ops", "due") == SQL / "ops" / "due.sql"
    assert sql_text(SQL, "ops", "due") == (SQL / "ops" / "due.sql").read_text()
    assert sql_text(SQL, "schema_migrations").startswith(
        (SQL / "schema_migrations.sql").read_text()[:20]
    )
    with pytest.raises(SqlFileError, match=r"SQL file not found: .*sql/ops/no_such_step\.sql"):
        sql_text(SQL, "ops", "no_such_step")
    # Callers that caught FileNotFoundError before still do.
    with pytest.raises(FileNotFoundError):
        read_sql(SQL / "pipeline" / "observations" / "missing.sql")
    with pytest.raises(ValueError):
        sql_path(SQL)


def test_rows_come_back_as_dicts_by_column_name() -> None:
    con = duckdb.connect()
    assert rows_as_dicts(con.execute("SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, NULL")) == [
        {"a": 1, "b": "x"},
        {"a": 2, "b": None},
    ]
    assert fetch_dicts(con, "SELECT ? AS n, $1 + 1 AS m", [41]) == [{"n": 41, "m": 42}]
    assert fetch_dicts(con, "SELECT 1 AS a WHERE false") == []


def _documented(comment: str) -> set[str]:
    """The statuses a column comment names: the first word of each item of its list (items
    separated by commas, colons and 'or'; what is in parentheses explains, it is no item)."""
    listed = re.sub(r"\([^)]*\)", "", comment).rstrip(". ")
    return {item.split()[0] for item in re.split(r",|:|\bor\b", listed) if item.strip()}


def _latest_comments() -> dict[str, str]:
    comments: dict[str, str] = {}
    for path in sorted((SQL / "migrations").glob("*.sql")):
        pattern = r"COMMENT ON COLUMN (ops\.\w+\.status) IS '((?:[^']|'')*)'"
        for column, text in re.findall(pattern, path.read_text()):
            comments[column] = text.replace("''", "'")
    return comments


@pytest.mark.parametrize(
    ("column", "enum"),
    [
        ("ops.releases.status", ReleaseStatus),
        ("ops.quarantine.status", QuarantineStatus),
        ("ops.alerts.status", AlertStatus),
    ],
)
def test_the_status_enums_are_what_the_migrations_document(column: str, enum: type) -> None:
    comment = _latest_comments()[column]
    assert _documented(comment) == {status.value for status in enum}, comment


def test_every_status_the_sql_files_compare_with_is_in_an_enum() -> None:
    known = {s.value for enum in (ReleaseStatus, QuarantineStatus, AlertStatus) for s in enum}
    found: dict[str, set[str]] = {}
    pattern = re.compile(r"\bstatus\s*(?:=|<>|!=|\bIN\b)\s*\(?\s*((?:'\w+'\s*,?\s*)+)", re.I)
    for path in SQL.rglob("*.sql"):
        for literals in pattern.findall(path.read_text()):
            for literal in re.findall(r"'(\w+)'", literals):
                found.setdefault(literal, set()).add(str(path.relative_to(ROOT)))
    assert found, "no status comparison found in sql/: the pattern is wrong"
    unknown = {literal: where for literal, where in found.items() if literal not in known}
    assert not unknown, f"statuses no enum in tradewh/store/statuses.py names: {unknown}"
