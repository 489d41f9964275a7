-- What PRIMARY KEY and UNIQUE constraints guaranteed before the warehouse moved to DuckLake,
-- which has none: the one writer (holding the writer lock) makes the ids and checks before it
-- inserts, and this query says where that ever failed. One row per violated key, none when
-- all hold (tests run it after refreshes, crashes and rebuilds).
WITH keys AS (
    SELECT 'ops.fetches.fetch_id' AS key, count(*) - count(DISTINCT fetch_id) AS extra
    FROM ops.fetches
    UNION ALL SELECT 'ops.releases.release_id', count(*) - count(DISTINCT release_id)
    FROM ops.releases
    UNION ALL SELECT 'ops.releases(source, sha256)', count(*) - count(DISTINCT (source, sha256))
    FROM ops.releases
    UNION ALL SELECT 'ops.loads.release_id', count(*) - count(DISTINCT release_id) FROM ops.loads
    UNION ALL SELECT 'ops.loads.load_id', count(*) - count(DISTINCT load_id) FROM ops.loads
    UNION ALL SELECT 'ops.quarantine.release_id', count(*) - count(DISTINCT release_id)
    FROM ops.quarantine
    UNION ALL SELECT 'ops.runs.run_id', count(*) - count(DISTINCT run_id) FROM ops.runs
    UNION ALL SELECT 'ops.alerts.alert_id', count(*) - count(DISTINCT alert_id) FROM ops.alerts
    UNION ALL SELECT 'ops.alert_deliveries.delivery_id', count(*) - count(DISTINCT delivery_id)
    FROM ops.alert_deliveries
    UNION ALL SELECT 'core.news_articles.article_id', count(*) - count(DISTINCT article_id)
    FROM core.news_articles
    UNION ALL SELECT 'core.news_claims.claim_id', count(*) - count(DISTINCT claim_id)
    FROM core.news_claims
    UNION ALL SELECT 'core.news_extractions(article_id, extractor_version)',
        count(*) - count(DISTINCT (article_id, extractor_version)) FROM core.news_extractions
    UNION ALL SELECT 'ops.release_calendar.source', count(*) - count(DISTINCT source)
    FROM ops.release_calendar
)
SELECT key, extra FROM keys WHERE extra > 0 ORDER BY key;
