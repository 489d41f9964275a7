-- News search and near-duplicate support: a fingerprint comparison for publishing, and
-- full-text search over core.news_articles, Okapi BM25 in plain SQL.
-- DuckDB's fts extension would do this, but no build of it loads into DuckDB 2.0 (the PyPI
-- packages carry 1.x builds only) and INSTALL needs the internet; this works offline.
-- The index tables are rebuilt by tradewh.sources.news.build_search_index(con) after news is
-- published; core.search_news(query) scores from them.

CREATE MACRO core.news_tokens(document) AS
    list_filter(
        regexp_split_to_array(lower(strip_accents(document)), '[^a-z0-9]+'), lambda t: t <> ''
    );
COMMENT ON MACRO core.news_tokens IS 'Search tokens of a text: lower-cased, accents stripped, split on anything but letters and digits (no stemming, no stop words: BM25''s IDF weighs common words down).';

CREATE TABLE core.news_search_docs (
    article_id BIGINT NOT NULL,
    doc_length INTEGER NOT NULL
);
COMMENT ON TABLE core.news_search_docs IS 'Search index: one row per article of core.news_articles (title and text).';
COMMENT ON COLUMN core.news_search_docs.article_id IS 'The article (core.news_articles).';
COMMENT ON COLUMN core.news_search_docs.doc_length IS 'Tokens in title and text: BM25 length normalisation.';

CREATE TABLE core.news_search_terms (
    article_id BIGINT NOT NULL,
    term       VARCHAR NOT NULL,
    tf         INTEGER NOT NULL
);
COMMENT ON TABLE core.news_search_terms IS 'Search index: how often each token occurs in each article (title and text).';
COMMENT ON COLUMN core.news_search_terms.article_id IS 'The article (core.news_articles).';
COMMENT ON COLUMN core.news_search_terms.term IS 'Token (core.news_tokens).';
COMMENT ON COLUMN core.news_search_terms.tf IS 'Occurrences of the token in the article.';

-- Okapi BM25, k1 = 1.2, b = 0.75, IDF = ln(1 + (N - n + 0.5) / (n + 0.5)) (never negative, as
-- in Lucene and DuckDB's fts). Articles matching no query term are not returned.
CREATE MACRO core.search_news(query_text) AS TABLE
WITH query_terms AS (
    SELECT DISTINCT unnest(core.news_tokens(query_text)) AS term
),
collection AS (
    SELECT count(*) AS n_docs, avg(doc_length) AS avg_length FROM core.news_search_docs
),
matches AS (
    SELECT terms.article_id, terms.term, terms.tf,
        count(*) OVER (PARTITION BY terms.term) AS n_containing
    FROM core.news_search_terms AS terms
    JOIN query_terms USING (term)
)
SELECT
    matches.article_id,
    sum(
        ln(1 + (collection.n_docs - matches.n_containing + 0.5) / (matches.n_containing + 0.5))
        * matches.tf * (1.2 + 1)
        / (matches.tf + 1.2 * (1 - 0.75 + 0.75 * docs.doc_length / collection.avg_length))
    ) AS score
FROM matches
JOIN core.news_search_docs AS docs USING (article_id)
CROSS JOIN collection
GROUP BY matches.article_id;
COMMENT ON MACRO TABLE core.search_news IS 'BM25 search of news articles: SELECT a.title, s.score FROM core.search_news(''Japan deficit'') s JOIN core.news_articles a USING (article_id) ORDER BY s.score DESC.';

-- Fingerprints as written by tradewh.sources.news.fingerprint: '<version>:' and MinHash slots
-- separated by spaces. The share of equal slots estimates the Jaccard similarity of the two
-- texts' word 3-shingles; fingerprints of different versions are never similar.
CREATE MACRO core.news_similarity(left_fp, right_fp) AS
    CASE WHEN split_part(left_fp, ':', 1) = split_part(right_fp, ':', 1) THEN
        list_sum(list_transform(
            list_zip(
                string_split(split_part(left_fp, ':', 2), ' '),
                string_split(split_part(right_fp, ':', 2), ' ')
            ),
            lambda slot: (slot[1] = slot[2])::INTEGER
        )) / len(string_split(split_part(left_fp, ':', 2), ' '))
    ELSE 0 END;
COMMENT ON MACRO core.news_similarity IS 'Estimated Jaccard similarity (0-1) of two news fingerprints (core.news_articles.fingerprint).';
