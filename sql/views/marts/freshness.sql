-- marts.freshness: per source, the newest data held and when the next release is due.
CREATE OR REPLACE VIEW marts.freshness AS
WITH calendar AS (
    SELECT * FROM ops.release_calendar
),
held AS (
    SELECT
        source,
        max(period) FILTER (WHERE frequency = 'M') AS newest_period,
        max(vintage_at) AS newest_vintage_at
    FROM core.observations_ranked
    GROUP BY source
),
fetched AS (
    SELECT source, max(fetched_at) AS last_fetched_at
    FROM ops.fetches
    WHERE error IS NULL
    GROUP BY source
),
due AS (
    SELECT
        calendar.source,
        held.newest_period,
        held.newest_vintage_at,
        fetched.last_fetched_at,
        CAST(held.newest_period + INTERVAL 1 MONTH AS DATE) AS next_period,
        -- The month after the newest one ends, then lag_days, at the local release time.
        timezone(
            calendar.timezone,
            CAST(held.newest_period + INTERVAL 2 MONTH - INTERVAL 1 DAY AS DATE)
                + calendar.lag_days + CAST(calendar.release_time AS TIME)
        ) AS next_release_due_at,
        calendar.grace_days
    FROM calendar
    LEFT JOIN held USING (source)
    LEFT JOIN fetched USING (source)
),
final AS (
    SELECT
        source,
        newest_period,
        newest_vintage_at,
        last_fetched_at,
        next_period,
        next_release_due_at,
        next_release_due_at + to_days(grace_days) AS overdue_after,
        CASE
            WHEN newest_period IS NULL THEN 'no_data'
            WHEN current_timestamp > next_release_due_at + to_days(grace_days) THEN 'overdue'
            WHEN current_timestamp > next_release_due_at THEN 'due'
            ELSE 'on_time'
        END AS status,
        CASE WHEN current_timestamp > next_release_due_at + to_days(grace_days)
            THEN date_diff('day', next_release_due_at, current_timestamp)
        END AS days_late
    FROM due
)
SELECT * FROM final
ORDER BY source;

COMMENT ON VIEW marts.freshness IS 'Per source: the newest month held, when the next month is due (ops.release_calendar) and whether it is late. overdue means later than the due time plus grace days.';
COMMENT ON COLUMN marts.freshness.newest_period IS 'Newest reference month published from the source.';
COMMENT ON COLUMN marts.freshness.newest_vintage_at IS 'Publication time of the newest vintage held.';
COMMENT ON COLUMN marts.freshness.last_fetched_at IS 'Last successful fetch from the source (UTC), new data or not.';
COMMENT ON COLUMN marts.freshness.next_period IS 'The reference month expected next.';
COMMENT ON COLUMN marts.freshness.next_release_due_at IS 'When its release is due.';
COMMENT ON COLUMN marts.freshness.overdue_after IS 'Due time plus grace days: later than this is overdue.';
COMMENT ON COLUMN marts.freshness.status IS 'on_time, due (past due, within grace), overdue, or no_data (nothing held yet).';
COMMENT ON COLUMN marts.freshness.days_late IS 'Days past due, when overdue.';
