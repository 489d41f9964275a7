-- Stage one parsed vintage (Arrow table `batch`) of an observation-shaped source under
-- release_id = getvariable('release_id'). Values become exact DECIMAL millions of dollars from
-- the text as published: whole dollars (usd) scale by 10^-6 exactly; TRY_CAST leaves a value
-- that is not a number NULL for the suite to report.
CREATE OR REPLACE TEMP TABLE staged_batch AS FROM staging.observations LIMIT 0;
INSERT INTO staged_batch
SELECT
    getvariable('release_id'),
    getvariable('dataset'),
    period,
    frequency,
    basis,
    adjustment,
    product,
    flow,
    partner_code,
    partner_name,
    partner_is_aggregate,
    commodity_class,
    commodity_code,
    value_text,
    unit,
    CASE unit
        WHEN 'usd' THEN TRY_CAST(
            TRY_CAST(value_text AS DECIMAL(18, 0)) * CAST(0.000001 AS DECIMAL(7, 6))
            AS DECIMAL(18, 6))
        WHEN 'musd' THEN TRY_CAST(value_text AS DECIMAL(18, 6))
    END,
    series_id,
    row_kind,
    revised,
    vintage_start,
    vintage_end
FROM batch;
