"""The analyst commands (sql, query, shell, export, docs) on a fixture warehouse built from SQL
text, and the saved queries also on the real sample warehouse."""

from __future__ import annotations

import csv
import io
import json
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.paths import QUERIES
from tradewh import warehouse
from tradewh.cli import app, queries
from tradewh.settings import Settings

JAPAN = (
    "select partner_code, period, balance_musd from marts.balance_monthly "
    "where partner_code='5880' order by period"
)


@pytest.fixture
def built(fixture_warehouse: Settings) -> Settings:
    return fixture_warehouse


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, list(args), input=stdin)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- sql: formats, output, limit ----------------------------------------------------------


def test_sql_table_is_aligned(built: Settings) -> None:
    result = run("sql", JAPAN)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len({len(line) for line in lines[:-1]}) == 1  # every table line as wide
    assert lines[-1] == "3 rows"


@pytest.mark.parametrize(
    ("fmt", "parse", "third"),
    [
        (
            "csv",
            csv_rows,
            {"partner_code": "5880", "period": "1994-03-01", "balance_musd": "-12.75"},
        ),
        (
            "json",
            json.loads,
            {"partner_code": "5880", "period": "1994-03-01", "balance_musd": -12.75},
        ),
    ],
)
def test_sql_text_formats_parse_back(built: Settings, fmt: str, parse, third: dict) -> None:
    result = run("sql", JAPAN, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert parse(result.output)[2] == third


def test_sql_markdown(built: Settings) -> None:
    result = run("sql", JAPAN, "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "| partner_code | period | balance_musd |"
    assert lines[1] == "|---|---|---:|"
    assert [cell.strip() for cell in lines[4].strip("|").split("|")] == [
        "5880",
        "1994-03-01",
        "-12.75",
    ]


def test_sql_parquet_and_output(built: Settings, tmp_path: Path) -> None:
    target = tmp_path / "japan.parquet"
    assert run("sql", JAPAN, "--format", "parquet").exit_code == 2  # parquet needs a file
    result = run("sql", JAPAN, "--format", "parquet", "--output", str(target))
    assert result.exit_code == 0, result.output
    table = pq.read_table(target)
    assert table.column("balance_musd").to_pylist() == [
        Decimal("-10"),
        Decimal("-16"),
        Decimal("-12.75"),
    ]

    text = tmp_path / "japan.csv"
    assert run("sql", JAPAN, "--format", "csv", "-o", str(text)).exit_code == 0
    assert csv_rows(text.read_text())[0]["balance_musd"] == "-10"


def test_sql_table_is_cut_to_the_limit_with_a_count(built: Settings) -> None:
    result = run("sql", "select range as i from range(2500)", "--limit", "5")
    assert result.exit_code == 0, result.output
    assert "2,500 rows, 5 shown: 2,495 more rows not shown; use --format csv --output FILE" in (
        result.output
    )
    assert "│ 4 │" in result.output and "│ 5 │" not in result.output
    # A file format gets every row.
    assert (
        len(csv_rows(run("sql", "select range from range(2500)", "--format", "csv").output)) == 2500
    )


# --- sql: refusals, errors, time limit ----------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "insert into core.observations select * from core.observations",
        "update ops.runs set status = 'x'",
        "delete from core.observations",
        "create table marts.x as select 1",
        "drop view marts.balance_monthly",
        "copy (select 1) to 'out.csv'",
        "attach ':memory:' as scratch",
        "select 1; drop table ops.runs",
    ],
    ids=["insert", "update", "delete", "create", "drop", "copy", "attach", "second-statement"],
)
def test_writes_are_refused_with_a_clear_message(built: Settings, statement: str) -> None:
    result = run("sql", statement)
    assert result.exit_code == 1
    assert "refused: the warehouse is read-only" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "selec 1",
            ['Parser Error: syntax error at or near "selec"', "LINE 1: selec 1", "\n        ^"],
        ),
        (
            "select nonsense from marts.balance_monthly",
            ['Binder Error: Referenced column "nonsense" not found', "LINE 1:", "^"],
        ),
        ("select * from marts.nope", ["Catalog Error", "nope"]),
    ],
    ids=["parser", "binder", "catalog"],
)
def test_errors_show_duckdbs_message_and_position(
    built: Settings, statement: str, expected: list[str]
) -> None:
    result = run("sql", statement)
    assert result.exit_code == 1
    for text in expected:
        assert text in result.output
    assert "Traceback" not in result.output
    if "LINE 1:" in expected:
        lines = result.output.splitlines()
        caret = lines[lines.index(f"LINE 1: {statement}") + 1]
        column = caret.index("^") - len("LINE 1: ")
        assert statement[column:].startswith(("selec", "nonsense"))


def test_slow_query_stops_at_the_time_limit(built: Settings) -> None:
    started = time.monotonic()
    result = run("sql", "select count(*) from range(1000000000000)", "--timeout", "1")
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert "query stopped after the time limit of 1 s" in result.output
    assert elapsed < 5


def test_time_limit_from_the_environment(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADEWH_QUERY_TIMEOUT", "0.5")
    result = run("sql", "select count(*) from range(1000000000000)")
    assert "time limit of 0.5 s" in result.output


# --- saved queries --------------------------------------------------------------------------


def test_every_saved_query_is_documented_and_declares_its_parameters() -> None:
    saved = queries.catalogue(QUERIES)
    assert {
        "partner_deficit",
        "top_deficit_partners",
        "first_vs_latest",
        "enduse_balance",
        "claims_that_differ",
        "freshness",
    } <= set(saved)
    for query in saved.values():
        [statement] = duckdb.extract_statements(query.sql)
        assert statement.named_parameters == {p.name for p in query.params}, query.name
        assert all(p.default is not None and p.description for p in query.params), query.name


def test_query_list(built: Settings) -> None:
    result = run("query", "--list")
    assert result.exit_code == 0, result.output
    for query in queries.catalogue(QUERIES).values():
        assert query.name in result.output and query.description in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "nope"], "no saved query 'nope'"),
        (["query", "partner_deficit", "--param", "colour=red"], "has no parameter colour"),
        (["query", "partner_deficit", "--param", "year"], "write it as name=value"),
    ],
    ids=["unknown-query", "unknown-param", "malformed-param"],
)
def test_query_mistakes_are_messages(built: Settings, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2  # what was typed is wrong: a usage error
    assert message in result.output and "Traceback" not in result.output


def test_missing_parameter_without_default(tmp_path: Path) -> None:
    path = tmp_path / "needs.sql"
    path.write_text(
        "-- name: needs\n-- description: d\n-- param: year (calendar year)\nselect $year"
    )
    with pytest.raises(queries.QueryError, match="needs --param year=VALUE"):
        queries.bind(queries.parse(path), {})


def test_enduse_query_on_the_fixture(built: Settings) -> None:
    result = run("query", "enduse_balance", "--format", "json")
    assert result.exit_code == 0, result.output
    [autos] = json.loads(result.output)
    assert autos["enduse_code"] == "3" and autos["balance_musd"] == -7.0


SAMPLE_CASES = {
    # Japan 1994, Census basis NSA: the year row is the sum of the twelve months.
    "partner_deficit": (["partner_deficit"], "period", "1994", "balance_musd", "-65668.2"),
    "partner-deficit-china-1995": (
        ["partner_deficit", "--param", "partner_code=5700", "--param", "year=1995"],
        "period",
        "1995-03",
        "partner_name",
        "China",
    ),
    "top_deficit_partners": (
        ["top_deficit_partners"],
        "deficit_rank",
        "1",
        "share_of_total_pct",
        "43.6",
    ),
    "first_vs_latest": (["first_vs_latest"], "measure", "balance", "first_value_musd", "-7460"),
    "claims_that_differ": (
        ["claims_that_differ"],
        "quoted_text",
        "$7.64 billion",
        "first_print_value",
        "-7460",
    ),
    "freshness": (["freshness"], "source", "ft900", "newest_period", "2026-01-01"),
}


@pytest.mark.parametrize("case", list(SAMPLE_CASES))
def test_saved_queries_on_the_sample(sample: Settings, case: str) -> None:
    args, key, key_value, column, expected = SAMPLE_CASES[case]
    result = run("query", *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {row[key]: row for row in csv_rows(result.output)}
    assert rows[key_value][column] == expected


def test_enduse_query_runs_on_the_sample(sample: Settings) -> None:
    # No Census API end-use data in the sample archive: it runs and is empty.
    result = run("query", "enduse_balance", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert csv_rows(result.output) == []


# --- shell -------------------------------------------------------------------------------


def test_shell_driven_by_stdin(built: Settings) -> None:
    script = "\n".join(
        [
            ".tables",
            ".schema marts.balance_monthly",
            "select partner_code, balance_musd",
            "  from marts.balance_monthly where partner_code = '5880'",
            "  order by period;",
            ".format csv",
            "select count(*) as n from marts.balance_monthly where partner_code = '5880';",
            "delete from core.observations;",
            ".quit",
            "select 'never run';",
        ]
    )
    result = run("shell", stdin=script)
    assert "marts.balance_monthly" in result.output and "view" in result.output
    assert "Balance as published, else exports - imports" in result.output  # .schema
    assert "│ 5880         │        -12.8 │" in result.output
    assert "n\n3\n" in result.output
    assert "refused: the warehouse is read-only" in result.output
    assert "never run" not in result.output
    assert result.exit_code == 1  # a statement failed: like a script would


def test_shell_without_failures_exits_0(built: Settings) -> None:
    result = run("shell", "--format", "json", stdin="select 1 as one;\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"one": 1}]


# --- export and docs -------------------------------------------------------------------------


def test_export_writes_parquet_with_comments_and_csv(built: Settings, tmp_path: Path) -> None:
    target = tmp_path / "export"
    result = run("export", "--dir", str(target))
    assert "[" in result.output  # plain progress lines when not on a terminal
    views = {p.stem for p in target.glob("*.parquet")}
    assert {"balance_monthly", "balance_annual", "revisions", "freshness"} <= views
    assert views == {p.stem for p in target.glob("*.csv")}
    schema = pq.read_schema(target / "balance_monthly.parquet")
    assert schema.metadata[b"tradewh.object"] == b"marts.balance_monthly"
    assert b"latest vintage" in schema.metadata[b"comment"]
    assert b"negative = US deficit" in schema.field("balance_musd").metadata[b"comment"]
    assert all(schema.field(name).metadata[b"comment"] for name in schema.names)
    monthly = csv_rows((target / "balance_monthly.csv").read_text())
    assert any(r["partner_code"] == "5880" and r["period"] == "1994-03-01" for r in monthly)
    assert "## `marts.balance_monthly` (table)" in (target / "dictionary.md").read_text()
    assert result.exit_code == 0, result.output


def test_docs_lists_every_column_with_its_comment(built: Settings) -> None:
    result = run("docs", "--format", "markdown")
    assert result.exit_code == 0, result.output
    con = warehouse.reader(built)
    try:
        # Comments DuckLake cannot keep (a view's columns) are in ops.docs.
        columns = con.execute(
            "SELECT c.schema_name, c.table_name, c.column_name, "
            "coalesce(c.comment, d.comment) FROM duckdb_columns() AS c "
            "LEFT JOIN ops.docs AS d ON d.schema_name = c.schema_name "
            "AND d.object_name = c.table_name AND d.column_name = c.column_name "
            "WHERE c.schema_name IN ('ops', 'staging', 'core', 'marts')"
        ).fetchall()
    finally:
        con.close()
    assert len(columns) > 100
    for schema, table, column, comment in columns:
        assert f"## `{schema}.{table}`" in result.output
        assert f"| {column} |" in result.output
        assert comment.replace("|", "\\|") in result.output, f"{schema}.{table}.{column}"


def test_docs_of_one_view(built: Settings) -> None:
    result = run("docs", "marts.freshness")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("marts.freshness (view): Per source")
    assert "days_late" in result.output
    assert run("docs", "marts.nope").exit_code == 1
