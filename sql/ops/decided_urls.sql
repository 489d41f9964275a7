-- URLs of a source (?) whose newest landed payload has a decision (published, quarantined or
-- discarded): a resumed backfill skips them instead of asking again.
SELECT f.url
FROM ops.fetches AS f
LEFT JOIN ops.releases AS r ON r.source = f.source AND r.sha256 = f.sha256
WHERE f.source = ? AND f.sha256 IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY f.url ORDER BY f.fetch_id DESC) = 1
    AND r.status IN ('published', 'quarantined', 'discarded')
