"""The BM25 search index over core.news_articles (tables and macros: migration 009)."""

from __future__ import annotations

import duckdb

from tradewh.store.transaction import transaction


def build_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild core.news_search_docs and core.news_search_terms from every article, in one
    transaction: readers see the old index or the new one. Call after publishing news.

    A whole rebuild, not an increment: every new article changes the IDF of every term and
    the average length, and tens of thousands of articles take well under a second."""
    with transaction(con):
        con.execute("DELETE FROM core.news_search_terms")
        con.execute("DELETE FROM core.news_search_docs")
        con.execute(
            """
            CREATE TEMP TABLE news_tokens AS
            SELECT article_id, core.news_tokens(coalesce(title, '') || ' ' || text) AS tokens
            FROM core.news_articles
            """
        )
        con.execute(
            "INSERT INTO core.news_search_docs SELECT article_id, len(tokens) FROM news_tokens"
        )
        con.execute(
            """
            INSERT INTO core.news_search_terms
            SELECT article_id, term, count(*) AS tf
            FROM (SELECT article_id, unnest(tokens) AS term FROM news_tokens)
            GROUP BY article_id, term
            """
        )
        con.execute("DROP TABLE news_tokens")
