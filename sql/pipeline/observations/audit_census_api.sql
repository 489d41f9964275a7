-- The frame expectations/census_api.json validates: a Census International Trade API answer,
-- staged (staged_batch). The answer has exports or imports of goods by partner, month and
-- commodity, never a balance or a goods-and-services total, so of audit.sql's consistency
-- columns it needs one (issue 12: audit.sql's others cost a 2.5M-row answer as much as its
-- read, for columns this suite never reads; a row of another flow fails the suite's flow set):
--   value_is_number   a value that is text but not a number is an error (a NULL is "not
--                     published", which publishing skips)
--   trade_value_musd  exports and imports are never negative
--   world_gap_musd    on the all-countries row (-): the countries' sum - the total
WITH countries AS (
    SELECT period, flow, product, commodity_class, commodity_code,
        sum(value_musd) AS value_musd
    FROM staged_batch
    WHERE NOT partner_is_aggregate AND basis = 'census'
    GROUP BY ALL
)
SELECT
    staged.period,
    staged.partner_code,
    staged.flow,
    staged.commodity_class,
    staged.commodity_code,
    staged.value_text IS NULL OR staged.value_musd IS NOT NULL AS value_is_number,
    CASE WHEN staged.flow IN ('exports', 'imports') THEN CAST(staged.value_musd AS DOUBLE) END
        AS trade_value_musd,
    CASE WHEN staged.partner_code = '-' AND staged.basis = 'census'
        THEN CAST(countries.value_musd - staged.value_musd AS DOUBLE)
    END AS world_gap_musd
FROM staged_batch AS staged
LEFT JOIN countries USING (period, flow, product, commodity_class, commodity_code)
