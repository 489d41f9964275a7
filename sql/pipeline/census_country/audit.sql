-- The frame the suite expectations/census_country.json validates: the staged vintage plus
-- annual_diff_musd, the sum of a row's months minus the annual column published beside them.
-- Values become DOUBLE here for Great Expectations only; storage stays DECIMAL.
SELECT
    period,
    partner_code,
    partner_name,
    partner_is_aggregate,
    adjustment,
    flow,
    CAST(value_musd AS DOUBLE) AS value_musd,
    CAST(
        sum(value_musd) OVER (PARTITION BY partner_code, adjustment, flow, year(period))
        - reported_annual_musd AS DOUBLE
    ) AS annual_diff_musd
FROM staging.census_country
WHERE release_id = getvariable('release_id')
