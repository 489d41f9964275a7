-- Stage one parsed payload (Arrow table `batch`: a feed's full-text entries, or one article
-- page) under release_id = getvariable('release_id').
DELETE FROM staging.news_articles WHERE release_id = getvariable('release_id');
INSERT INTO staging.news_articles (
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
