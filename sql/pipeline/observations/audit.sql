-- The frame a dataset's suite validates: the staged vintage, values as DOUBLE for Great
-- Expectations only (storage stays DECIMAL), with value_is_number telling a missing value from
-- text that is not a number.
SELECT
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
    CAST(value_musd AS DOUBLE) AS value_musd,
    value_text IS NULL OR value_musd IS NOT NULL AS value_is_number,
    series_id,
    row_kind,
    revised,
    vintage_start,
    vintage_end
FROM staging.observations
WHERE release_id = getvariable('release_id')
