-- URLs of a source (?) whose newest landed payload has a decision (published, quarantined or
-- discarded): a resumed backfill skips them instead of asking again. A zip of several payloads
-- (an FT-900 release) is decided once it was unpacked whole (its own row: a 200 that stored
-- nothing, written after its last member was landed) and one of its members is decided.
WITH params AS (
    SELECT ? AS source
),
decided AS (
    SELECT f.url
    FROM ops.fetches AS f
    JOIN params ON f.source = params.source
    LEFT JOIN ops.releases AS r ON r.source = f.source AND r.sha256 = f.sha256
    WHERE f.sha256 IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY f.url ORDER BY f.fetch_id DESC) = 1
        AND r.status IN ('published', 'quarantined', 'discarded')
),
unpacked AS (
    SELECT DISTINCT f.url
    FROM ops.fetches AS f
    JOIN params ON f.source = params.source
    WHERE f.status = 200 AND f.sha256 IS NULL AND f.error IS NULL
)
SELECT url FROM decided
UNION
SELECT unpacked.url
FROM unpacked
WHERE EXISTS (SELECT 1 FROM decided WHERE starts_with(decided.url, unpacked.url || '#'))
