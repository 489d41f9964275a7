-- Stage one parsed payload (Arrow table `batch`: a feed's full-text entries, or one article
-- page) under release_id = getvariable('release_id'): a view over it, never a copy. Columns
-- typed and ordered as staging.news_articles.
CREATE OR REPLACE TEMP VIEW staged_batch AS
SELECT
    CAST(getvariable('release_id') AS BIGINT) AS release_id,
    CAST(url AS VARCHAR) AS url,
    CAST(canonical_url AS VARCHAR) AS canonical_url,
    CAST(feed_url AS VARCHAR) AS feed_url,
    CAST(title AS VARCHAR) AS title,
    CAST(byline AS VARCHAR) AS byline,
    CAST(published_at AS TIMESTAMPTZ) AS published_at,
    CAST(text AS VARCHAR) AS text,
    CAST(language AS VARCHAR) AS language,
    CAST(sha256 AS VARCHAR) AS sha256,
    CAST(fingerprint AS VARCHAR) AS fingerprint
FROM batch;
