-- Stage one parsed vintage (Arrow table `batch`) under release_id = getvariable('release_id').
-- Workbook floats become exact DECIMAL $ millions rounded to six places (whole dollars), the
-- precision Census publishes. TRY_CAST: an absurd value becomes NULL for the suite to report
-- instead of failing the load.
CREATE OR REPLACE TEMP TABLE staged_batch AS FROM staging.census_country LIMIT 0;
INSERT INTO staged_batch
SELECT
    getvariable('release_id'),
    period,
    partner_code,
    partner_name,
    partner_is_aggregate,
    adjustment,
    flow,
    TRY_CAST(round(value, 6) AS DECIMAL(18, 6)),
    TRY_CAST(round(reported_annual, 6) AS DECIMAL(18, 6))
FROM batch;
