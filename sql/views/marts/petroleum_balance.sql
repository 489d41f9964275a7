-- marts.petroleum_balance: US trade in petroleum and non-petroleum products (FT-900 Exhibit 9:
-- end-use, Census basis, SA) by month, year to date and year, with the BOP-basis total beside
-- them, and energy-related petroleum products and crude oil (Exhibit 17, NSA) where published.
-- A table: computing it means ranking every vintage; a refresh recomputes only the rows a
-- publish can change (sql/refresh/ says which).
CREATE OR REPLACE TABLE marts.petroleum_balance AS
WITH latest AS (
    SELECT * FROM core.latest
    WHERE partner_code = '-' AND product = 'goods'
        -- The classes read, listed on their own: a constant list prunes HS detail's files.
        AND commodity_class IN ('petroleum', 'enduse', 'total')
        AND (commodity_class = 'petroleum'
             OR (commodity_class = 'enduse' AND commodity_code IN ('petroleum', 'non_petroleum'))
             OR (commodity_class = 'total' AND basis = 'bop' AND adjustment = 'sa'))
),
pivoted AS (
    SELECT
        period, frequency, adjustment, commodity_class, commodity_code,
        sum(value_musd) FILTER (WHERE flow = 'exports') AS exports,
        sum(value_musd) FILTER (WHERE flow = 'imports') AS imports,
        sum(value_musd) FILTER (WHERE flow = 'balance') AS published_balance,
        max(vintage_at) AS published_at
    FROM latest
    GROUP BY period, frequency, adjustment, commodity_class, commodity_code
),
petroleum AS (
    SELECT * FROM pivoted WHERE commodity_class IN ('enduse', 'petroleum')
),
totals AS (
    SELECT period, frequency, coalesce(published_balance, exports - imports) AS balance
    FROM pivoted WHERE commodity_class = 'total'
),
final AS (
    SELECT
        petroleum.period,
        petroleum.frequency,
        CASE petroleum.commodity_code
            WHEN 'petroleum' THEN 'petroleum products (end-use)'
            WHEN 'non_petroleum' THEN 'non-petroleum products (end-use)'
            WHEN 'energy_related' THEN 'energy-related petroleum products'
            WHEN 'crude_oil' THEN 'crude oil'
        END AS product_group,
        petroleum.commodity_code,
        CAST(petroleum.exports AS DECIMAL(18, 6)) AS exports_musd,
        CAST(petroleum.imports AS DECIMAL(18, 6)) AS imports_musd,
        CAST(coalesce(petroleum.published_balance, petroleum.exports - petroleum.imports)
            AS DECIMAL(18, 6)) AS balance_musd,
        -- Only for the SA end-use groups: the BOP total is seasonally adjusted too.
        CAST(CASE WHEN petroleum.adjustment = 'sa' THEN totals.balance END AS DECIMAL(18, 6))
            AS goods_balance_bop_musd,
        'census' AS basis,
        petroleum.adjustment,
        petroleum.published_at
    FROM petroleum
    LEFT JOIN totals USING (period, frequency)
)
SELECT * FROM final
ORDER BY commodity_code, frequency, period;

COMMENT ON TABLE marts.petroleum_balance IS 'US trade in petroleum vs non-petroleum products (FT-900 Exhibit 9, end-use, Census basis, seasonally adjusted) and in energy-related petroleum products and crude oil (Exhibit 17, not seasonally adjusted), all countries, by month (M), year to date (YTD) and year (A), latest vintage, millions of US dollars. Petroleum + non-petroleum + net adjustments = the BOP-basis goods balance.';
COMMENT ON COLUMN marts.petroleum_balance.period IS 'First day of the month, of the last month of a year to date, or of the year.';
COMMENT ON COLUMN marts.petroleum_balance.frequency IS 'M (month), YTD (January to period) or A (calendar year).';
COMMENT ON COLUMN marts.petroleum_balance.product_group IS 'petroleum products (end-use), non-petroleum products (end-use), energy-related petroleum products or crude oil.';
COMMENT ON COLUMN marts.petroleum_balance.commodity_code IS 'petroleum, non_petroleum (commodity class enduse), energy_related, crude_oil (class petroleum).';
COMMENT ON COLUMN marts.petroleum_balance.exports_musd IS 'US exports, millions of US dollars.';
COMMENT ON COLUMN marts.petroleum_balance.imports_musd IS 'US imports, millions of US dollars.';
COMMENT ON COLUMN marts.petroleum_balance.balance_musd IS 'Balance as published (Exhibit 9), else exports - imports; millions of US dollars; negative = deficit.';
COMMENT ON COLUMN marts.petroleum_balance.goods_balance_bop_musd IS 'The goods balance on a BOP basis, SA, of the same period (Exhibits 1, 6, 9), for the SA rows only; millions of US dollars.';
COMMENT ON COLUMN marts.petroleum_balance.basis IS 'census (Census basis).';
COMMENT ON COLUMN marts.petroleum_balance.adjustment IS 'sa (Exhibit 9) or nsa (Exhibit 17). Never add the two.';
