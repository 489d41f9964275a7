"""A large landed answer staged by DuckDB straight from the file: the same rows fast_reader's
Arrow table holds, without that table ever existing (issue 12: bounded memory on the load path).

The file is read once: DuckDB's JSON reader fills a temp table (CELLS) with the cells the rows
need plus, for every row, the figures fast_reader's proof needs (its docstring says why they
suffice): width, non-null cells, bytes of all cells, whether it is the header. The proof's
aggregates and the distinct months, partner codes, commodity codes and values that are not plain
digits (mapped by the reference reading's own functions into small lookup tables) are read from
that table, and so is the relation `batch`. Anything the proof does not cover returns None and
the caller goes the fast_reader / reference way."""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from tradewh.sources import OBSERVATION_SCHEMA, ParseError, PathBatch
from tradewh.sources.census_api.answer import (
    _FIXED,
    _commodity,
    _Layout,
    _layout,
    _month,
    _partner,
    _value,
)
from tradewh.sources.census_api.constants import TOTAL_COMMODITY
from tradewh.sources.census_api.fast_reader import _BOM, _Facts

# Names on the caller's connection while the batch is staged (dropped by PathBatch.release).
VIEW = "batch"
CELLS = "census_api_cells"


def _source(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    return (
        f"read_json('{quoted}', format = 'array', records = 'false', "
        "columns = {'r': 'VARCHAR[]'})"
    )


def _header(path: Path) -> list[Any] | None:
    """The first row as DuckDB reads it, in file order (a private connection keeps the order)."""
    with duckdb.connect() as con:
        con.execute("SET preserve_insertion_order = true")
        first = con.sql(f"SELECT r FROM {_source(path)} LIMIT 1").fetchall()
    if not first or not isinstance(first[0][0], list):
        return None
    return list(first[0][0])


@dataclass(frozen=True)
class _Counts:
    rows: int  # header row included
    null_rows: int
    min_width: int | None
    max_width: int | None
    strings: int
    cell_bytes: int
    headers: int  # rows equal to the header row
    # Distinct cells of the data rows (None included where there is one): months, partner
    # codes, commodity codes, values that are not plain digits.
    distinct: dict[str, list[str | None]]


def _scan(
    con: duckdb.DuckDBPyConnection, path: Path, header: list[Any], cells: dict[str, str]
) -> _Counts:
    """The one read of the file: its rows into CELLS (the cells `batch` reads, and per row what
    the proof counts, as INTEGER: 40 MB less than BIGINT at 2.5M rows), then everything the
    proof and the lookups need, from that table."""
    width = len(header)
    lengths = " + ".join(f"coalesce(strlen(r[{i + 1}]), 0)" for i in range(width))
    kept = ", ".join(f"{cell} AS {key}" for key, cell in cells.items() if cell)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {CELLS} AS
        SELECT CAST(len(r) AS INTEGER) AS width, CAST(list_count(r) AS INTEGER) AS strings,
            CAST({lengths} AS INTEGER) AS cell_bytes,
            r IS NOT DISTINCT FROM {_literal(header)} AS is_header, {kept}
        FROM {_source(path)}
        """
    )
    distinct = ", ".join(
        f"list(DISTINCT {key}) FILTER (WHERE NOT is_header AND {key} IS NOT NULL{extra}), "
        f"bool_or({key} IS NULL) FILTER (WHERE NOT is_header)"
        for key in cells
        if key != "name"
        for extra in [
            f" AND NOT coalesce(regexp_full_match({key}, '[0-9]+'), FALSE)"
            if key == "value"
            else ""
        ]
    )
    row = con.execute(
        f"""
        SELECT count(*), count(*) - count(width), min(width), max(width),
            coalesce(sum(strings), 0), coalesce(sum(cell_bytes), 0), count_if(is_header),
            {distinct}
        FROM {CELLS}
        """
    ).fetchone()
    counts = [int(v) if v is not None else None for v in row[:7]]
    sets = {}
    for n, key in enumerate(k for k in cells if k != "name"):
        values, has_null = row[7 + 2 * n], row[8 + 2 * n]
        sets[key] = list(values or []) + ([None] if has_null else [])
    return _Counts(*counts, distinct=sets)  # type: ignore[arg-type]


def _proved(facts: _Facts, counts: _Counts, layout: _Layout) -> bool:
    """fast_reader._read_fast's checks, on the streamed counts."""
    rows = counts.rows
    if rows < 2 or counts.null_rows or counts.headers != 1:
        return False
    if counts.min_width != layout.width or counts.max_width != layout.width:
        return False
    compact = (
        1
        + rows * (2 + layout.width)
        + 2 * counts.strings
        + 4 * (rows * layout.width - counts.strings)
        + counts.cell_bytes
        + facts.newlines
        + (len(_BOM) if facts.bom else 0)
    )
    return (
        facts.brackets == rows + 1 and facts.quotes == 2 * counts.strings and facts.size == compact
    )


def _cells(layout: _Layout) -> dict[str, str]:
    """Where the cells read are in a row (DuckDB list indexes), by what they are."""
    code, name, time, value, commodity = (
        "" if i is None else f"r[{i + 1}]" for i in layout.columns
    )
    cells = {"code": code, "name": name, "time": time, "value": value}
    return {**cells, "commodity": commodity} if commodity else cells


def _read(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[list[Any], _Layout, _Counts] | None:
    """The header, layout and counts of a landed answer the proof covers, else None."""
    # The byte counts (Python) run beside DuckDB's read of the same file, which lets go of the
    # GIL: on two cores about a fifth of the parse (0.28 s of 1.36 s a 2.5M-row answer).
    with ThreadPoolExecutor(1, thread_name_prefix="census-api-facts") as pool:
        counting = pool.submit(_Facts.of_file, path)
        read = _header_and_counts(con, path)
        facts = counting.result()
    if read is None or not facts.may_be_fast or not _proved(facts, read[2], read[1]):
        con.execute(f"DROP TABLE IF EXISTS {CELLS}")
        return None
    return read


def _header_and_counts(
    con: duckdb.DuckDBPyConnection, path: Path
) -> tuple[list[Any], _Layout, _Counts] | None:
    try:
        header = _header(path)
        if header is None:
            return None
        try:
            layout = _layout(header)
        except ParseError:
            return None
        return header, layout, _scan(con, path, header, _cells(layout))
    except duckdb.Error:
        return None


def stage_path(
    con: duckdb.DuckDBPyConnection, path: Path, url: str | None = None
) -> PathBatch | None:
    """Make `batch` (OBSERVATION_SCHEMA's columns) on `con` the rows of the landed answer at
    `path`, read by DuckDB from the file, or None where that reading is not proved equal to
    the reference's (the caller then parses it)."""
    read = _read(con, path)
    if read is None:
        return None
    _, layout, counts = read
    # The cells as CELLS names them (a cell the layout lacks is NULL).
    cells = _cells(layout)
    time, code, name, value, commodity = (
        f"x.{key}" if cells.get(key) else None
        for key in ("time", "code", "name", "value", "commodity")
    )
    periods = [_month(m) for m in counts.distinct["time"]]
    dates = [p for p in periods if p is not None]
    if not dates or len(dates) != len(periods):
        con.execute(f"DROP TABLE IF EXISTS {CELLS}")
        return None  # the reference reading names the row
    field = OBSERVATION_SCHEMA.field
    tables = {
        "census_api_months": _lookup(counts.distinct["time"], _month, [field("period")]),
        "census_api_partners": _lookup(
            counts.distinct["code"],
            _partner,
            [field("partner_code"), field("partner_is_aggregate")],
        ),
        "census_api_values": _lookup(counts.distinct["value"], _value, [field("value_text")]),
    }
    if commodity is None:
        commodity_join = (
            f"(SELECT 'total' AS commodity_class, '{TOTAL_COMMODITY}' AS commodity_code) c ON TRUE"
        )
    else:
        tables["census_api_commodities"] = _lookup(
            counts.distinct["commodity"],
            functools.partial(_commodity, commodity_class=layout.commodity_class),
            [field("commodity_class"), field("commodity_code")],
        )
        commodity_join = f"census_api_commodities c ON c.k IS NOT DISTINCT FROM {commodity}"
    for table_name, table in tables.items():
        con.register(table_name, table)
    chosen = {
        "period": "m.period",
        "partner_code": "p.partner_code",
        "partner_name": f"{name or 'NULL'} AS partner_name",
        "partner_is_aggregate": "p.partner_is_aggregate",
        "commodity_class": "c.commodity_class",
        "commodity_code": "c.commodity_code",
        # Plain digits are what _value gives back unchanged; the others are looked up. Most
        # answers hold no other value: then there is nothing to look up (the join would cost
        # every read of the batch about as much as the read itself).
        "value_text": (
            f"CASE WHEN coalesce(regexp_full_match({value}, '[0-9]+'), FALSE) THEN {value} "
            "ELSE v.value_text END AS value_text"
            if counts.distinct["value"]
            else f"{value} AS value_text"
        ),
    }
    # The cells every row shares are literals: DuckDB's Parquet writer takes a constant column
    # whole, where a joined one costs it per row (measured: 3.1 s to 2.7 s a 2.5M-row write).
    fixed = {**_FIXED, "flow": layout.flow}
    columns = ", ".join(
        chosen.get(n) or f"CAST({_sql_literal(fixed[n])} AS {_SQL_TYPES[field(n).type]}) AS {n}"
        for n in OBSERVATION_SCHEMA.names
    )
    values_join = (
        f"LEFT JOIN census_api_values v ON v.k IS NOT DISTINCT FROM {value}"
        if counts.distinct["value"]
        else ""
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW {VIEW} AS
        SELECT {columns}
        FROM {CELLS} x
        JOIN census_api_months m ON m.k IS NOT DISTINCT FROM {time}
        JOIN census_api_partners p ON p.k IS NOT DISTINCT FROM {code}
        JOIN {commodity_join}
        {values_join}
        WHERE NOT x.is_header
        """
    )
    names = list(tables)

    def release(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"DROP VIEW IF EXISTS {VIEW}")
        con.execute(f"DROP TABLE IF EXISTS {CELLS}")
        for table_name in names:
            con.unregister(table_name)

    return PathBatch(min(dates), max(dates), rows=counts.rows - 1, release=release)


def _lookup(
    keys: list[str | None], function: Callable[[Any], Any], fields: list[pa.Field]
) -> pa.Table:
    """Each key and what `function` makes of it (a tuple: one value a field)."""
    results = [function(key) for key in keys]
    columns = {"k": pa.array(keys, pa.string())}
    for i, one in enumerate(fields):
        values = [r[i] if isinstance(r, tuple) else r for r in results]
        columns[one.name] = pa.array(values, one.type)
    return pa.table(columns)


_SQL_TYPES = {pa.string(): "VARCHAR", pa.bool_(): "BOOLEAN", pa.date32(): "DATE"}


def _sql_literal(value: Any) -> str:
    """A cell as an SQL literal (a view holds no parameters)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return "'" + str(value).replace("'", "''") + "'"


def _literal(header: list[Any]) -> str:
    """The header row as a DuckDB list literal."""
    return f"[{', '.join(_sql_literal(c) for c in header)}]::VARCHAR[]"
