-- Stage one parsed vintage (Arrow table `batch`) under release_id = getvariable('release_id'):
-- a view over it, never a copy (the suite validates it, the publish writes it once).
-- Workbook floats become exact DECIMAL $ millions rounded to six places (whole dollars), the
-- precision Census publishes. TRY_CAST: an absurd value becomes NULL for the suite to report
-- instead of failing the load. Columns typed and ordered as staging.census_country.
CREATE OR REPLACE TEMP VIEW staged_batch AS
SELECT
    CAST(getvariable('release_id') AS BIGINT) AS release_id,
    CAST(period AS DATE) AS period,
    CAST(partner_code AS VARCHAR) AS partner_code,
    CAST(partner_name AS VARCHAR) AS partner_name,
    CAST(partner_is_aggregate AS BOOLEAN) AS partner_is_aggregate,
    CAST(adjustment AS VARCHAR) AS adjustment,
    CAST(flow AS VARCHAR) AS flow,
    TRY_CAST(round(value, 6) AS DECIMAL(18, 6)) AS value_musd,
    TRY_CAST(round(reported_annual, 6) AS DECIMAL(18, 6)) AS reported_annual_musd
FROM batch;
