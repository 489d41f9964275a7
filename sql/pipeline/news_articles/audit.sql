-- The frame the suite expectations/news_articles.json validates: the staged articles of one
-- payload, with the text's length and the publication month (UTC) as a DATE, which the suite
-- compares with the fetch month. A feed without full-text entries stages no rows.
SELECT
    url,
    canonical_url,
    title,
    text,
    length(text) AS text_chars,
    CAST(date_trunc('month', published_at AT TIME ZONE 'UTC') AS DATE) AS published_month,
    published_at IS NOT NULL AS has_published_at,
    language,
    sha256,
    fingerprint
FROM staged_batch
