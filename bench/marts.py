"""Ad-hoc queries on the marts at 40 years x 250 partners: build the warehouse, then time a
handful of typical analysts' questions; prints one JSON line. Run by bench/run.py:

    python -m bench.marts WORK [--years 40] [--partners 250] [--runs 30]

The warehouse: every month of 40 years (1985-2024) of goods exports and general imports with
250 partners (the 17 groupings and the first 233 countries of the bundled country file; real
codes and names), Census basis, NSA, as the country file gives them. Values are synthetic.
Vintages as the country file has them: one release a year (published in February), holding the
year's first prints and revising the three years before, so that every month has up to four
vintages (core.observations: about 0.9 million rows) and marts.revisions something to show.
Written with plain SQL into ops.releases, ops.loads and core.observations (what publishing
writes), then the views are rebuilt as a refresh does.

Each query runs as `tradewh sql` and `tradewh query` run it (tradewh.cli.adhoc on a read-only
connection), once to warm up, then `runs` times.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from bench.common import peak_rss_bytes
from bench.generate import COUNTRY_FILE

FIRST_YEAR = 1985

QUERIES: dict[str, tuple[str, dict[str, str]]] = {
    "balance_monthly: one partner, one year": (
        "SELECT period, exports_musd, imports_musd, balance_musd FROM marts.balance_monthly "
        "WHERE partner_code = '5700' AND period BETWEEN DATE '2015-01-01' AND DATE '2015-12-01' "
        "ORDER BY period",
        {},
    ),
    "balance_annual: top 10 deficits of a year": (
        "SELECT partner_code, partner_name, balance_musd FROM marts.balance_annual "
        "WHERE year = 2020 AND NOT is_aggregate ORDER BY balance_musd LIMIT 10",
        {},
    ),
    "deficit_shares: a year's ranking (saved query top_deficit_partners)": (
        "@top_deficit_partners",
        {"year": "2020", "n": "10"},
    ),
    "balance_monthly + annual: saved query partner_deficit": (
        "@partner_deficit",
        {"partner_code": "5880", "year": "1994"},
    ),
    "deficit_records: a partner's record months": (
        "SELECT period, balance_musd, deficit_rank_all_time FROM marts.deficit_records "
        "WHERE partner_code = '5700' AND is_record_deficit ORDER BY period",
        {},
    ),
    "revisions: a partner's year, first print vs latest": (
        "SELECT period, measure, first_value_musd, latest_value_musd, revision_musd "
        "FROM marts.revisions WHERE partner_code = '5880' "
        "AND period BETWEEN DATE '2018-01-01' AND DATE '2018-12-01' ORDER BY period, measure",
        {},
    ),
    "revisions: the 10 largest": (
        "SELECT partner_code, period, measure, revision_musd FROM marts.revisions "
        "ORDER BY abs(revision_musd) DESC LIMIT 10",
        {},
    ),
    "core.latest: a partner since 2020": (
        "SELECT period, flow, value_musd FROM core.latest "
        "WHERE partner_code = '1220' AND period >= DATE '2020-01-01' ORDER BY period, flow",
        {},
    ),
    "core.as_of: what was known on a day": (
        "SELECT period, flow, value_musd FROM core.as_of(DATE '2010-06-01') "
        "WHERE partner_code = '5880' AND period BETWEEN DATE '2008-01-01' AND DATE '2008-12-01'",
        {},
    ),
}


def partners(count: int) -> list[tuple[str, str, bool]]:
    """(code, name, is_aggregate): the groupings first, then countries, from the country file."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(COUNTRY_FILE)).get_sheet_by_name("country")
    seen: dict[str, str] = {}
    for row in sheet.to_python()[1:]:
        seen.setdefault(str(row[1]).strip(), str(row[2]).strip())
    groups = [(c, n, True) for c, n in sorted(seen.items()) if c.startswith("00")]
    countries = [(c, n, False) for c, n in sorted(seen.items()) if not c.startswith("00")]
    return (groups + countries)[:count]


BUILD = """
INSERT INTO ops.releases (release_id, source, sha256, url, first_seen_at, published_at,
    period_start, period_end, row_count, status)
SELECT
    y - {first} + 1, 'census_country', 'bench-' || y, 'file:///bench/country_' || y || '.xlsx',
    make_timestamptz(y + 1, 2, 5, 13, 30, 0), make_timestamptz(y + 1, 2, 5, 13, 30, 0),
    make_date(greatest(y - 3, {first}), 1, 1), make_date(y, 12, 1), NULL, 'published'
FROM range({first}, {last} + 1) AS t(y);

INSERT INTO core.observations (release_id, source, basis, adjustment, flow, partner_code,
    partner_name, partner_is_aggregate, commodity_class, commodity_code, frequency, period,
    value_musd, product, vintage_at, row_kind)
SELECT
    r.release_id, 'census_country', 'census', 'nsa', f.flow, p.code, p.name, p.aggregate,
    'total', '-', 'M', make_date(d.y, m.m, 1),
    -- Synthetic: a partner's own scale and trend, a seasonal swing, a revision a vintage.
    CAST(round(
        p.scale * (1 + 0.04 * (d.y - {first})) * (1 + 0.1 * sin(m.m))
        * (CASE f.flow WHEN 'exports' THEN 0.8 ELSE 1.0 END)
        * (1 + 0.01 * (r.y - d.y)) * (0.9 + 0.2 * (hash(p.code, d.y, m.m, f.flow) % 1000) / 1000.0),
    1) AS DECIMAL(18, 6)),
    'goods', r.published_at, 'month'
FROM (SELECT release_id, published_at, {first} + release_id - 1 AS y FROM ops.releases) AS r
JOIN range({first}, {last} + 1) AS d(y) ON d.y BETWEEN r.y - 3 AND r.y
CROSS JOIN range(1, 13) AS m(m)
CROSS JOIN (VALUES ('exports'), ('imports')) AS f(flow)
CROSS JOIN partners AS p;

UPDATE ops.releases SET row_count = c.n
FROM (SELECT release_id, count(*) AS n FROM core.observations GROUP BY ALL) AS c
WHERE ops.releases.release_id = c.release_id;

INSERT INTO ops.loads (load_id, release_id, source, dataset, rows_published, loaded_at)
SELECT release_id, release_id, source, 'census_country', row_count, published_at
FROM ops.releases;
"""


def build(years: int, count: int) -> dict[str, Any]:
    import pyarrow as pa

    from tradewh import warehouse
    from tradewh.settings import get_settings

    settings = get_settings()
    started = time.perf_counter()
    found = partners(count)
    table = pa.table(
        {
            "code": [c for c, _, _ in found],
            "name": [n for _, n, _ in found],
            "aggregate": [a for _, _, a in found],
            # Scale of monthly trade, $M: a few large partners, many small.
            "scale": [round(5000.0 / (1 + i) ** 0.9, 3) for i in range(len(found))],
        }
    )
    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        con.register("partners", table)
        con.execute("BEGIN TRANSACTION")
        con.execute(BUILD.format(first=FIRST_YEAR, last=FIRST_YEAR + years - 1))
        con.execute("COMMIT")
        con.unregister("partners")
        warehouse.rebuild_views(con, settings.sql_dir)
        rows = con.execute("SELECT count(*) FROM core.observations").fetchone()[0]
        months = con.execute("SELECT count(*) FROM marts.balance_monthly").fetchone()[0]
    return {
        "years": years,
        "partners": len(found),
        "observations": rows,
        "balance_monthly_rows": months,
        "warehouse_mb": round(warehouse.warehouse_bytes(settings) / 1024**2, 1),
        "build_s": time.perf_counter() - started,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run_queries(runs: int) -> dict[str, Any]:
    from tradewh import warehouse
    from tradewh.cli import adhoc, queries
    from tradewh.settings import get_settings

    settings = get_settings()
    results = {}
    opened = time.perf_counter()
    con = warehouse.reader(settings)
    open_s = time.perf_counter() - opened
    try:
        for label, (sql, params) in QUERIES.items():
            if sql.startswith("@"):
                saved = queries.find(settings.sql_dir / "queries", sql[1:])
                sql, params = saved.sql, queries.bind(saved, params)
            first = adhoc.run(con, sql, params)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                result = adhoc.run(con, sql, params)
                times.append(time.perf_counter() - started)
            results[label] = {
                "rows": result.total_rows,
                "p50_s": statistics.median(times),
                "p95_s": percentile(times, 0.95),
                "min_s": min(times),
                "max_s": max(times),
            }
            assert first.total_rows == result.total_rows
    finally:
        con.close()
    return {"open_s": open_s, "queries": results}


ATTACH_PROBES = {
    # What every process pays before its first query: DuckDB alone, then the warehouse opened
    # as tradewh opens it (extensions loaded, the lake attached read-only).
    "duckdb in memory": (
        "import time; t = time.perf_counter(); import duckdb; con = duckdb.connect(); "
        "con.execute('SELECT 1').fetchall(); print(time.perf_counter() - t)"
    ),
    "tradewh.connect()": (
        "import time; t = time.perf_counter(); import tradewh; con = tradewh.connect(); "
        "con.execute('SELECT count(*) FROM marts.balance_annual').fetchall(); "
        "print(time.perf_counter() - t)"
    ),
}


def attach_cost(runs: int = 5) -> dict[str, float]:
    """Median seconds from a fresh process's start of work to its first answer, per probe."""
    import subprocess
    import sys

    costs = {}
    for label, code in ATTACH_PROBES.items():
        times = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout.split()[-1]
            )
            for _ in range(runs)
        ]
        costs[label] = statistics.median(times)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("work")
    parser.add_argument("--years", type=int, default=40)
    parser.add_argument("--partners", type=int, default=250)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    built = build(args.years, args.partners)
    measured = run_queries(args.runs)
    attach = attach_cost()
    print(
        json.dumps(
            {
                **built,
                **measured,
                "attach_s": attach,
                "runs": args.runs,
                "peak_rss": peak_rss_bytes(),
            }
        )
    )


if __name__ == "__main__":
    main()
