-- core.first_print: each series and period once, valued as in the oldest vintage held here
-- (the first print when the warehouse holds the first release).
-- A series is what was measured, not who published it: FT-900 and ALFRED vintages of the
-- headline balance, or the country file and the API for a partner, are one series.
CREATE OR REPLACE VIEW core.first_print AS
WITH ranked AS (
    SELECT * FROM core.observations_ranked
),
final AS (
    SELECT *
    FROM ranked
    QUALIFY row_number() OVER (
        PARTITION BY basis, adjustment, product, flow, partner_code, commodity_class,
            commodity_code, frequency, period
        ORDER BY vintage_at ASC, source_rank ASC, release_id ASC
    ) = 1
)
SELECT * FROM final;

COMMENT ON VIEW core.first_print IS 'One row per series and period: the value in the oldest vintage held here (the first print when the warehouse holds the first release). Millions of US dollars, exact.';
COMMENT ON COLUMN core.first_print.source IS 'Source that published it.';
COMMENT ON COLUMN core.first_print.partner_name IS 'Partner name as published in that vintage.';
