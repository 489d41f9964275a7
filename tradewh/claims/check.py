"""Checking a draft's figures against the warehouse, before it is published: the same verdicts
as marts.claim_check gives ingested articles, computed by the same SQL.

The warehouse (its lake) is attached read-only to an in-memory database that holds the draft as one
article with its claims; marts.claim_check's own file is run there, reading the warehouse's
official figures through core.observations_ranked (and ops.releases, which names where each came
from). Nothing is written to the warehouse, so a
check is safe while a refresh runs.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime, time

import duckdb
import pyarrow as pa

from tradewh.claims.model import EXTRACTOR_VERSION, Claim
from tradewh.claims.store import claim_row, claims_schema
from tradewh.settings import Settings
from tradewh.store.lake import CATALOG_NAME, attach_sql, prepare
from tradewh.store.rows import fetch_dicts
from tradewh.store.sqlfiles import read_sql
from tradewh.store.views import files_for
from tradewh.warehouse import require

_CLAIM_TABLES = ("news_articles", "news_extractions", "news_claims")
_COLUMNS = (
    "claim_id",
    "quoted_text",
    "kind",
    "metric",
    "partner_code",
    "period",
    "period_kind",
    "series",
    "claimed_value",
    "first_print_value",
    "as_of_value",
    "latest_value",
    "first_print_source",
    "latest_source",
    "verdict",
    "why_ambiguous",
)


def check_claims(claims: list[Claim], published: date, settings: Settings) -> list[dict]:
    """Each claim's row of marts.claim_check (columns _COLUMNS), in the claims' order, as if the
    text had been published on `published`."""
    require(settings)  # says plainly where there is no warehouse
    con = duckdb.connect()
    try:
        prepare(con, settings)
        con.execute(attach_sql(settings, read_only=True))
        con.execute(
            "CREATE SCHEMA core; CREATE SCHEMA intermediate; CREATE SCHEMA marts; CREATE SCHEMA ops"
        )
        # What claim_check.sql reads from the warehouse: the official figures, and the releases
        # that name where each came from.
        for name in ("core.observations_ranked", "ops.releases"):
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM {CATALOG_NAME}.{name}")
        for table in _CLAIM_TABLES:
            # The warehouse's own column definitions, without its rows.
            con.execute(
                f"CREATE TABLE core.{table} AS SELECT * FROM {CATALOG_NAME}.core.{table} LIMIT 0"
            )
        noon = datetime.combine(published, time(12), tzinfo=UTC)
        con.execute(
            "INSERT INTO core.news_articles (article_id, release_id, source, url, canonical_url,"
            " published_at, fetched_at, text, sha256) VALUES (1, 0, 'draft', 'draft', 'draft',"
            " ?, ?, '', '')",
            [noon, noon],
        )
        con.execute(
            "INSERT INTO core.news_extractions VALUES (1, ?, ?, ?)",
            [EXTRACTOR_VERSION, noon, len(claims)],
        )
        rows = [{**claim_row(1, claim, noon), "claim_id": i} for i, claim in enumerate(claims)]
        schema = claims_schema().append(pa.field("claim_id", pa.int64()))
        con.register("draft_claims", pa.Table.from_pylist(rows, schema=schema))
        names = ", ".join(["claim_id", "article_id", *(f.name for f in fields(Claim))])
        con.execute(f"INSERT INTO core.news_claims ({names}) SELECT {names} FROM draft_claims")
        # marts.claim_check and the named steps it is built from (sql/views/intermediate).
        for path in files_for(settings.sql_dir, "marts.claim_check", ("intermediate",)):
            con.execute(read_sql(path))
        return fetch_dicts(
            con, f"SELECT {', '.join(_COLUMNS)} FROM marts.claim_check ORDER BY claim_id"
        )
    finally:
        con.close()
