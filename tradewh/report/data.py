"""The report's figures, read from the warehouse with one SQL file per section (sql/report/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tradewh.settings import Settings
from tradewh.store.rows import fetch_dicts
from tradewh.store.sqlfiles import sql_text
from tradewh.warehouse import reader

Rows = list[dict[str, Any]]

# Japan, 1992-1996: the partner and stretch the sample archive covers best (every month held).
JAPAN = "5880"
JAPAN_FIRST = date(1992, 1, 1)
JAPAN_LAST = date(1996, 12, 1)
TOP_PARTNERS = 8
TOP_SHARES = 15
TOP_REVISIONS = 10


@dataclass(frozen=True)
class ReportData:
    balance: Rows
    partners: Rows
    japan: Rows
    shares: Rows
    revisions: Rows
    claims: Rows
    validations: Rows
    alerts: Rows
    quarantine: Rows
    freshness: Rows


def load(settings: Settings) -> ReportData:
    """Every section's rows, from one read-only connection (one consistent state of the file)."""
    con = reader(settings)
    try:

        def query(name: str, **params: object) -> Rows:
            return fetch_dicts(con, sql_text(settings.sql_dir, "report", name), params or None)

        return ReportData(
            balance=query("balance_over_time"),
            partners=query("largest_partners", top=TOP_PARTNERS),
            japan=query("partner_monthly", partner=JAPAN, first=JAPAN_FIRST, last=JAPAN_LAST),
            shares=query("deficit_shares", top=TOP_SHARES),
            revisions=query("largest_revisions", top=TOP_REVISIONS),
            claims=query("claim_check"),
            validations=query("validations"),
            alerts=query("alerts"),
            quarantine=query("quarantine"),
            freshness=query("freshness"),
        )
    finally:
        con.close()
