"""Reading new articles into core.news_claims: each article once per extractor version."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from tradewh import failpoints
from tradewh.claims.extract import extract_claims
from tradewh.claims.model import EXTRACTOR_VERSION, Claim
from tradewh.store.transaction import transaction

_MONEY = pa.decimal128(18, 6)
_PERCENT = pa.decimal128(12, 4)
_TYPES = {
    "start_char": pa.int32(),
    "end_char": pa.int32(),
    "value_musd": _MONEY,
    "rounding_musd": _MONEY,
    "percent": _PERCENT,
    "period": pa.date32(),
    "change_musd": _MONEY,
    "change_percent": _PERCENT,
    "compared_period": pa.date32(),
    "qualifiers": pa.list_(pa.string()),
    "rounding_percent": _PERCENT,
    "uncertain": pa.list_(pa.string()),
}
_READS = pa.schema(
    [
        ("article_id", pa.int64()),
        ("extractor_version", pa.string()),
        ("extracted_at", pa.timestamp("us", tz="UTC")),
        ("claims", pa.int32()),
    ]
)
_COLUMNS = ["article_id", *(f.name for f in fields(Claim)), "extracted_at"]


def extract_new(con: duckdb.DuckDBPyConnection) -> int:
    """Read every article the current extractor version has not read; write its claims and
    mark it read, in one transaction. Returns the number of claims written."""
    articles = con.execute(
        """
        SELECT article_id, text, published_at FROM core.news_articles AS a
        WHERE NOT EXISTS (
            SELECT 1 FROM core.news_extractions AS e
            WHERE e.article_id = a.article_id AND e.extractor_version = ?
        )
        ORDER BY article_id
        """,
        [EXTRACTOR_VERSION],
    ).fetchall()
    now = datetime.now(UTC)
    claim_rows: list[dict] = []
    read_rows: list[dict] = []
    for article_id, text, published_at in articles:
        published = published_at.astimezone(UTC).date() if published_at else None
        claims = extract_claims(text, published)
        claim_rows += [claim_row(article_id, claim, now) for claim in claims]
        read_rows.append(
            {
                "article_id": article_id,
                "extractor_version": EXTRACTOR_VERSION,
                "extracted_at": now,
                "claims": len(claims),
            }
        )
    con.register("new_claims", pa.Table.from_pylist(claim_rows, schema=claims_schema()))
    con.register("new_reads", pa.Table.from_pylist(read_rows, schema=_READS))
    try:
        with transaction(con):
            columns = ", ".join(_COLUMNS)
            # claim_id: the next ids after the highest held (DuckLake has no sequences; the one
            # writer makes the ids).
            con.execute(
                f"INSERT INTO core.news_claims (claim_id, {columns}) "
                "SELECT (SELECT coalesce(max(claim_id), 0) FROM core.news_claims) "
                f"+ row_number() OVER (), {columns} FROM new_claims"
            )
            con.execute("INSERT INTO core.news_extractions BY NAME SELECT * FROM new_reads")
            failpoints.reach("claims.mid")
    finally:
        con.unregister("new_claims")
        con.unregister("new_reads")
    return len(claim_rows)


def claim_row(article_id: int, claim: Claim, now: datetime) -> dict:
    """A claim as a row of core.news_claims (without claim_id)."""
    row = {f.name: getattr(claim, f.name) for f in fields(Claim)}
    row["qualifiers"] = list(claim.qualifiers)
    row["uncertain"] = list(claim.uncertain)
    return {"article_id": article_id, **row, "extracted_at": now}


def claims_schema() -> pa.Schema:
    """The Arrow schema of claim_row's rows."""
    return pa.schema(
        [pa.field("article_id", pa.int64())]
        + [pa.field(f.name, _TYPES.get(f.name, pa.string())) for f in fields(Claim)]
        + [pa.field("extracted_at", pa.timestamp("us", tz="UTC"))]
    )
