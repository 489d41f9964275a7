-- Quarantined vintages that are still what their address serves: the newest payload landed from
-- the URL was quarantined and nobody has decided on it. A 304 keeps it current (nothing changed);
-- a newer good payload from the same URL, or a person's release or discard, ends it.
WITH latest_payload AS (
    SELECT source, url, arg_max(sha256, fetch_id) AS sha256
    FROM ops.fetches
    WHERE sha256 IS NOT NULL
    GROUP BY source, url
)
SELECT
    quarantine.quarantine_id,
    quarantine.release_id,
    quarantine.source,
    quarantine.dataset,
    quarantine.reason,
    quarantine.failures,
    quarantine.landed_path,
    releases.url
FROM ops.quarantine AS quarantine
JOIN ops.releases AS releases USING (release_id)
JOIN latest_payload
    ON latest_payload.source = releases.source AND latest_payload.sha256 = releases.sha256
WHERE quarantine.status = 'open'
ORDER BY quarantine.source, quarantine.quarantine_id
