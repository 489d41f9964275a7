-- Report section 7d: per source, the newest month held and whether the next release is due or
-- overdue against the release calendar.
SELECT
    source,
    newest_period,
    last_fetched_at,
    next_release_due_at,
    status,
    days_late
FROM marts.freshness
ORDER BY source
