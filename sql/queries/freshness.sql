-- name: freshness
-- description: Per source: the newest month held, when the next release is due, and whether it is late.
-- status: on_time, due (past due, within grace days), overdue or no_data. In the sample profile
-- every source is "overdue": the archive stops in the past.
SELECT
    source,
    newest_period,
    newest_vintage_at,
    last_fetched_at,
    next_period,
    next_release_due_at,
    status,
    days_late
FROM marts.freshness
ORDER BY source;
