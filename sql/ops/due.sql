-- What a refresh must catch up on, however much it published itself (pipeline.due):
-- a load newer than the last cross-source check; an article its claims were not read from
-- (by extractor version $1) or missing from the search index; the newest load, to compare the
-- report's age with.
WITH newest_load AS (
    SELECT max(loaded_at) AS loaded_at FROM ops.loads
),

last_cross_check AS (
    SELECT max(validated_at) AS validated_at
    FROM ops.validations
    WHERE dataset = 'cross_source'
)

SELECT
    n.loaded_at > coalesce(c.validated_at, '-infinity'::TIMESTAMPTZ) AS cross_check_due,
    EXISTS (
        SELECT 1 FROM core.news_articles AS a
        WHERE NOT EXISTS (
                SELECT 1 FROM core.news_extractions AS e
                WHERE e.article_id = a.article_id AND e.extractor_version = $1)
           OR NOT EXISTS (
                SELECT 1 FROM core.news_search_docs AS d WHERE d.article_id = a.article_id)
    ) AS news_due,
    n.loaded_at AS newest_load
FROM newest_load AS n, last_cross_check AS c
