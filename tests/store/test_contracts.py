"""Contracts beside the marts (tradewh.store.contracts): every mart declares its grain, not-null
and accepted values in sql/views/marts/<mart>.toml; the rebuild checks them in its transaction,
and a broken mart rolls the rebuild back (readers keep the last good marts), fails the flow's
views step and raises the run-failed alert. Shared column documentation (sql/views/columns.toml)
is written once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.warehouses import copy_warehouse
from tests.webhook import receiver
from tradewh import warehouse
from tradewh.settings import Settings
from tradewh.store import column_docs, contracts

SQL_DIR = Settings().sql_dir
MARTS = SQL_DIR / contracts.MARTS_DIR


def _mart_names() -> list[str]:
    return sorted(path.stem for path in MARTS.glob("*.sql"))


@pytest.mark.parametrize("mart", _mart_names())
def test_every_mart_has_a_contract(mart: str) -> None:
    contract = contracts.load(MARTS / f"{mart}.toml")
    assert contract.mart == f"marts.{mart}" and contract.grain


def test_every_contract_is_beside_a_mart() -> None:
    assert sorted(p.stem for p in contracts.contract_files(SQL_DIR)) == _mart_names()


def test_contracts_name_only_columns_their_mart_has(fixture_warehouse: Settings) -> None:
    con = warehouse.reader(fixture_warehouse)
    held = {
        (f"{schema}.{table}", column)
        for schema, table, column in con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            "WHERE schema_name = 'marts'"
        ).fetchall()
    }
    named = {
        (c.mart, column)
        for c in contracts.contracts(SQL_DIR)
        for column in (*c.grain, *c.not_null, *c.accepted_values)
    }
    assert named - held == set()


def test_the_sample_warehouse_keeps_every_contract(sample: Settings) -> None:
    # The sample's build already checked them; checked again here, on what readers see.
    con = warehouse.reader(sample)
    assert (
        con.execute(contracts.check_sql(sample.sql_dir, contracts.contracts(SQL_DIR))).fetchall()
        == []
    )


# A mart made to break its contract: its final SELECT replaced.
BALANCE_MONTHLY_END = re.compile(r"^SELECT \* FROM final\nORDER BY [^;]*;", re.M)
BREAKS = {
    "grain": (
        "SELECT * FROM final UNION ALL (SELECT * FROM final ORDER BY ALL LIMIT 2);",
        "marts.balance_monthly breaks its contract (views/marts/balance_monthly.toml): grain",
        '"copies":2',
    ),
    "not_null": (
        "SELECT * REPLACE (CASE WHEN partner_code = '5880' THEN NULL ELSE source END AS source)"
        " FROM final;",
        "marts.balance_monthly breaks its contract (views/marts/balance_monthly.toml): "
        "not_null source",
        '"partner_code":"5880"',
    ),
    "accepted_values": (
        "SELECT * REPLACE (CASE WHEN partner_code = '5880' THEN 'widgets' ELSE product END"
        " AS product) FROM final;",
        "marts.balance_monthly breaks its contract (views/marts/balance_monthly.toml): "
        "accepted_values product",
        '{"value":"widgets","rows":',
    ),
}


def _marts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {k: v for k, v in warehouse.table_checksums(con).items() if k.startswith("marts.")}


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_a_broken_mart_rolls_the_rebuild_back(
    fixture_warehouse: Settings, tmp_path: Path, rule: str
) -> None:
    end, says, offending = BREAKS[rule]
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    mart = sql_dir / "views" / "marts" / "balance_monthly.sql"
    text, replaced = BALANCE_MONTHLY_END.subn(end, mart.read_text())
    assert replaced == 1
    mart.write_text(text)
    with warehouse.writer(fixture_warehouse) as con:
        before = _marts(con)
        build = con.execute("SELECT * FROM ops.view_builds").fetchall()
        with pytest.raises(contracts.ContractBroken) as broken:
            warehouse.rebuild_views(con, sql_dir, full=True)
        # Readers see the previous marts: nothing of the build was committed.
        assert _marts(con) == before
        assert con.execute("SELECT * FROM ops.view_builds").fetchall() == build
    message = str(broken.value)
    assert says in message, message
    assert offending in message, message


def test_a_contract_broken_by_a_refresh_rolls_it_back(sample: Settings, tmp_path: Path) -> None:
    # Bad values that got past validation into core: the refresh of the marts they reach fails.
    live = Settings(data_dir=tmp_path / "copy", landing_dir=sample.landing_dir)
    copy_warehouse(sample, live)
    with warehouse.writer(live) as con:
        before = _marts(con)
        build = con.execute("SELECT * FROM ops.view_builds").fetchall()
        con.execute("BEGIN TRANSACTION")
        release_id = warehouse.next_id(con, "ops.releases", "release_id")
        con.execute(
            "INSERT INTO ops.releases VALUES (?, 'census_country', 'bad', 'file:///bad', "
            "TIMESTAMPTZ '2030-01-15 13:30:00+00', TIMESTAMPTZ '2030-01-15 13:30:00+00', NULL, "
            "NULL, NULL, 'published')",
            [release_id],
        )
        con.execute(
            "INSERT INTO core.observations BY NAME SELECT * EXCLUDE (source_rank) REPLACE ("
            "? AS release_id, 'widgets' AS product, TIMESTAMPTZ '2030-01-15 13:30:00+00' AS "
            "vintage_at) FROM core.latest WHERE source = 'census_country' AND partner_code = "
            "'5880' AND frequency = 'M' AND year(period) = 1994",
            [release_id],
        )
        con.execute(
            "INSERT INTO ops.loads VALUES (?, ?, 'census_country', 'census_country', 12, now())",
            [warehouse.next_id(con, "ops.loads", "load_id"), release_id],
        )
        con.execute("COMMIT")
        with pytest.raises(contracts.ContractBroken, match="accepted_values product") as broken:
            warehouse.rebuild_views(con, live.sql_dir, force=False)
        assert _marts(con) == before
        assert con.execute("SELECT * FROM ops.view_builds").fetchall() == build
    # Found by the refresh (only the marts it changed are checked), not a full build.
    assert "marts.balance_monthly" in str(broken.value)


@pytest.mark.usefixtures("prefect_harness")
def test_a_broken_contract_fails_the_views_step_and_alerts(
    settings: Settings, sample_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.nightly import nightly_refresh

    # Last night's warehouse: the sample, loaded and built.
    copy_warehouse(Settings(data_dir=sample_root, landing_dir=sample_root / "landing"), settings)
    with warehouse.reader(settings) as con:
        before = _marts(con)
        build = con.execute("SELECT * FROM ops.view_builds").fetchall()
    # Tonight's code declares a contract the data does not keep (a full build: files changed).
    root = tmp_path / "project"
    shutil.copytree(SQL_DIR, root / "sql")
    (root / "expectations").symlink_to(settings.expectations_dir)
    contract = root / "sql" / "views" / "marts" / "balance_monthly.toml"
    contract.write_text(
        contract.read_text().replace('"goods", "services", "goods_and_services"', '"services"')
    )
    monkeypatch.setenv("TRADEWH_PROJECT_ROOT", str(root))
    monkeypatch.setenv("TRADEWH_SOURCES", '["census_country"]')
    with receiver() as hook:
        monkeypatch.setenv("TRADEWH_ALERT_URLS", hook.apprise_url)
        state = nightly_refresh(return_state=True)
    assert state.is_failed()
    summary = state.result(raise_on_failure=False)
    assert "marts.balance_monthly breaks its contract" in summary.views_error
    assert "accepted_values product" in summary.views_error
    [alert] = hook.messages
    assert alert["title"] == "tradewh: the nightly refresh failed"
    assert "marts.balance_monthly breaks its contract" in alert["message"]
    with warehouse.reader(settings) as con:
        assert _marts(con) == before
        # The build of tonight's files was never committed.
        assert con.execute("SELECT * FROM ops.view_builds").fetchall() == build


def test_shared_column_comments_apply_unless_a_mart_says_its_own(
    fixture_warehouse: Settings,
) -> None:
    shared = column_docs.shared(SQL_DIR)
    con = warehouse.reader(fixture_warehouse)
    comments = {
        (f"{schema}.{table}", column): comment
        for schema, table, column, comment in con.execute(
            "SELECT c.schema_name, c.table_name, c.column_name, coalesce(c.comment, d.comment) "
            "FROM duckdb_columns() AS c LEFT JOIN ops.docs AS d ON d.schema_name = "
            "c.schema_name AND d.object_name = c.table_name AND d.column_name = c.column_name "
            "WHERE c.schema_name IN ('core', 'marts')"
        ).fetchall()
    }
    own = {
        name
        for path in (SQL_DIR / "views").rglob("*.sql")
        for name in re.findall(r"^COMMENT ON COLUMN ([\w.]+) IS", path.read_text(), re.M)
    }
    views = {f"{p.parent.name}.{p.stem}" for p in warehouse.view_files(SQL_DIR)}
    applied = {
        key: comment
        for key, comment in comments.items()
        if key[0] in views and key[1] in shared and ".".join(key) not in own
    }
    assert len(applied) > 50  # product, basis, adjustment, ... in most views and marts
    assert {key: c for key, c in applied.items() if c != shared[key[1]]} == {}
    # An object's own comment wins: marts.claim_check says which product it compared.
    assert comments[("marts.claim_check", "product")].startswith("Product compared")
    # Written once: no view file repeats a shared text.
    for path in (SQL_DIR / "views").rglob("*.sql"):
        for column, text in re.findall(
            r"^COMMENT ON COLUMN [\w]+\.[\w]+\.(\w+) IS '((?:[^']|'')*)';", path.read_text(), re.M
        ):
            assert shared.get(column) != text.replace("''", "'"), f"{path}: {column}"
