-- Stage one parsed payload (Arrow table `batch`: a feed's full-text entries, or one article
-- page) under release_id = getvariable('release_id').
CREATE OR REPLACE TEMP TABLE staged_batch AS FROM staging.news_articles LIMIT 0;
INSERT INTO staged_batch (
    release_id, url, canonical_url, feed_url, title, byline, published_at, text, language,
    sha256, fingerprint
)
SELECT
    getvariable('release_id'),
    url,
    canonical_url,
    feed_url,
    title,
    byline,
    published_at,
    text,
    language,
    sha256,
    fingerprint
FROM batch;
