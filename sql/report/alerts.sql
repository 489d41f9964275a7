-- Report section 7b: the alerts still open (a problem seen on the last refresh, not yet resolved).
SELECT
    source,
    severity,
    title,
    occurrences,
    first_seen_at,
    last_seen_at
FROM ops.alerts
WHERE status = 'open'
ORDER BY last_seen_at DESC
