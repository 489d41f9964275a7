-- Stage one parsed vintage of an observation-shaped source under
-- release_id = getvariable('release_id'): a view over the relation `batch` (the parser's Arrow
-- table, or census_api's rows read by DuckDB from the landed file), never a copy. The suite
-- validates it and the publish writes it to core: each row is written once (issue 12).
-- Values become exact DECIMAL millions of dollars from the text as published: whole dollars
-- (usd) scale by 10^-6 exactly; TRY_CAST leaves a value that is not a number NULL for the suite
-- to report. Columns typed and ordered as staging.observations, where a quarantined batch goes.
CREATE OR REPLACE TEMP VIEW staged_batch AS
SELECT
    CAST(getvariable('release_id') AS BIGINT) AS release_id,
    CAST(getvariable('dataset') AS VARCHAR) AS dataset,
    CAST(period AS DATE) AS period,
    CAST(frequency AS VARCHAR) AS frequency,
    CAST(basis AS VARCHAR) AS basis,
    CAST(adjustment AS VARCHAR) AS adjustment,
    CAST(product AS VARCHAR) AS product,
    CAST(flow AS VARCHAR) AS flow,
    CAST(partner_code AS VARCHAR) AS partner_code,
    CAST(partner_name AS VARCHAR) AS partner_name,
    CAST(partner_is_aggregate AS BOOLEAN) AS partner_is_aggregate,
    CAST(commodity_class AS VARCHAR) AS commodity_class,
    CAST(commodity_code AS VARCHAR) AS commodity_code,
    CAST(value_text AS VARCHAR) AS value_text,
    CAST(unit AS VARCHAR) AS unit,
    CASE unit
        WHEN 'usd' THEN TRY_CAST(
            TRY_CAST(value_text AS DECIMAL(18, 0)) * CAST(0.000001 AS DECIMAL(7, 6))
            AS DECIMAL(18, 6))
        WHEN 'musd' THEN TRY_CAST(value_text AS DECIMAL(18, 6))
    END AS value_musd,
    CAST(series_id AS VARCHAR) AS series_id,
    CAST(row_kind AS VARCHAR) AS row_kind,
    CAST(revised AS BOOLEAN) AS revised,
    CAST(vintage_start AS DATE) AS vintage_start,
    CAST(vintage_end AS DATE) AS vintage_end
FROM batch;
