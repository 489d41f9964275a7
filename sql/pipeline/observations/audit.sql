-- The frame a dataset's suite validates: the staged vintage, values as DOUBLE for Great
-- Expectations only (storage stays DECIMAL), plus the columns its consistency checks need:
--   value_is_number   a value that is text but not a number is an error (a NULL is "not
--                     published", which publishing skips)
--   trade_value_musd  exports and imports only: they are never negative
--   identity_gap_musd on balance rows: balance - (exports - imports) of the same release row
--   total_gap_musd    on goods_and_services rows: total - (goods + services)
--   world_gap_musd    on all-countries rows (-) of Census data: countries' sum - the total
--   vintage_is_ordered a real-time period does not end before it starts (ALFRED)
-- Only what a suite reads or names its failing rows by: partner names and values as text stay
-- out (a Census API batch is millions of rows, each column of them copied into pandas).
WITH staged AS (
    FROM staged_batch
),
-- Not materialized: read by several parts, it is cheaper recomputed than copied whole.
keyed AS NOT MATERIALIZED (
    SELECT
        *,
        -- One key per published cell, so that flows and products of the same cell can be
        -- compared (FT-900 prints a month once as revised and once "as published last month").
        (period, frequency, basis, adjustment, partner_code, commodity_class, commodity_code,
         row_kind, vintage_start) AS cell
    FROM staged
),
-- The flows of a cell are only compared where it has a balance, and its products only where
-- it has a goods-and-services total: most batches (the Census API's) have neither and skip the
-- two aggregations.
balanced AS (
    SELECT DISTINCT cell, product FROM keyed WHERE flow = 'balance'
),
flows AS (
    SELECT
        cell, product,
        max(value_musd) FILTER (WHERE flow = 'exports') AS exports,
        max(value_musd) FILTER (WHERE flow = 'imports') AS imports
    FROM keyed SEMI JOIN balanced USING (cell, product)
    GROUP BY cell, product
),
totalled AS (
    SELECT DISTINCT cell, flow FROM keyed WHERE product = 'goods_and_services'
),
products AS (
    SELECT
        cell, flow,
        max(value_musd) FILTER (WHERE product = 'goods') AS goods,
        max(value_musd) FILTER (WHERE product = 'services') AS services
    FROM keyed SEMI JOIN totalled USING (cell, flow)
    GROUP BY cell, flow
),
countries AS (
    SELECT period, flow, product, commodity_class, commodity_code,
        sum(value_musd) AS value_musd
    FROM staged
    WHERE NOT partner_is_aggregate AND basis = 'census'
    GROUP BY ALL
)
SELECT
    keyed.period,
    keyed.frequency,
    keyed.basis,
    keyed.adjustment,
    keyed.product,
    keyed.flow,
    keyed.partner_code,
    keyed.commodity_class,
    keyed.commodity_code,
    CAST(keyed.value_musd AS DOUBLE) AS value_musd,
    keyed.value_text IS NULL OR keyed.value_musd IS NOT NULL AS value_is_number,
    CASE WHEN keyed.flow IN ('exports', 'imports') THEN CAST(keyed.value_musd AS DOUBLE) END
        AS trade_value_musd,
    CASE WHEN keyed.flow = 'balance'
        THEN CAST(keyed.value_musd - (flows.exports - flows.imports) AS DOUBLE)
    END AS identity_gap_musd,
    CASE WHEN keyed.product = 'goods_and_services'
        THEN CAST(keyed.value_musd - (products.goods + products.services) AS DOUBLE)
    END AS total_gap_musd,
    CASE WHEN keyed.partner_code = '-' AND keyed.basis = 'census'
        THEN CAST(countries.value_musd - keyed.value_musd AS DOUBLE)
    END AS world_gap_musd,
    keyed.series_id,
    keyed.row_kind,
    CAST(keyed.vintage_start AS TIMESTAMP) AS vintage_start,
    -- Not vintage_end itself: 9999-12-31 does not fit a pandas timestamp.
    keyed.vintage_end IS NULL OR keyed.vintage_end >= keyed.vintage_start AS vintage_is_ordered
FROM keyed
LEFT JOIN flows USING (cell, product)
LEFT JOIN products USING (cell, flow)
LEFT JOIN countries USING (period, flow, product, commodity_class, commodity_code)
