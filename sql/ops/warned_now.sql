-- Published vintages whose suite raised warnings and that are still what their address serves
-- (see quarantined_now.sql): "published, but look at this".
WITH latest_payload AS (
    SELECT source, url, arg_max(sha256, fetch_id) AS sha256
    FROM ops.fetches
    WHERE sha256 IS NOT NULL
    GROUP BY source, url
),
latest_validation AS (
    SELECT * FROM ops.validations
    WHERE release_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY release_id ORDER BY validated_at DESC) = 1
)
SELECT
    releases.release_id,
    releases.source,
    latest_validation.dataset,
    latest_validation.failures,
    releases.url
FROM latest_validation
JOIN ops.releases AS releases USING (release_id)
JOIN latest_payload
    ON latest_payload.source = releases.source AND latest_payload.sha256 = releases.sha256
WHERE releases.status = 'published' AND latest_validation.failed > 0
ORDER BY releases.source, releases.release_id
