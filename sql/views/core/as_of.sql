-- core.as_of(date): each series and period once, valued as published on or before that date
-- (what an analyst could have known then). Usage:
--   SELECT * FROM core.as_of(DATE '1994-06-01') WHERE partner_code = '-' AND flow = 'balance';
CREATE OR REPLACE MACRO core.as_of(as_of_date) AS TABLE
WITH ranked AS (
    SELECT * FROM core.observations_ranked
    WHERE vintage_at < CAST(as_of_date AS DATE) + INTERVAL 1 DAY
),
final AS (
    SELECT *
    FROM ranked
    QUALIFY row_number() OVER (
        PARTITION BY basis, adjustment, product, flow, partner_code, commodity_class,
            commodity_code, frequency, period
        ORDER BY vintage_at DESC, source_rank ASC, release_id DESC
    ) = 1
)
SELECT * FROM final;

COMMENT ON MACRO TABLE core.as_of IS 'core.as_of(date): each series and period once, valued as published on or before that date (UTC day), with the columns of core.observations_ranked. core.as_of(current_date) is the latest.';
