"""The `tradewh` command: analyst commands (sql, query, shell, export, report, docs, claims)
and operator commands (refresh, status, quarantine, backfill, maintain, rebuild)."""

from tradewh.cli.commands import app

__all__ = ["app"]
