-- marts.enduse_composition: end-use categories' part in a bilateral balance, by month and year.
-- A table: analysts query it often, and computing it means ranking every vintage of every
-- value; a refresh recomputes only the rows a publish can change (sql/refresh/ says which).
CREATE OR REPLACE TABLE marts.enduse_composition AS
WITH latest AS (
    SELECT * FROM core.latest
    WHERE frequency = 'M' AND commodity_class IN ('total', 'enduse') AND flow <> 'balance'
),
monthly AS (
    SELECT
        'M' AS frequency, period, partner_code, commodity_class, commodity_code,
        arg_max(partner_name, vintage_at) AS partner_name,
        sum(value_musd) FILTER (WHERE flow = 'exports') AS exports,
        sum(value_musd) FILTER (WHERE flow = 'imports') AS imports,
        1 AS months, product, basis, adjustment
    FROM latest
    GROUP BY period, partner_code, commodity_class, commodity_code, product, basis, adjustment
),
annual AS (
    SELECT
        'A' AS frequency, make_date(year(period), 1, 1) AS period, partner_code,
        commodity_class, commodity_code, arg_max(partner_name, period) AS partner_name,
        sum(exports) AS exports, sum(imports) AS imports, count(*) AS months,
        product, basis, adjustment
    FROM monthly
    GROUP BY year(period), partner_code, commodity_class, commodity_code, product, basis,
        adjustment
),
both_frequencies AS (
    SELECT *, exports - imports AS balance FROM monthly
    UNION ALL
    SELECT *, exports - imports AS balance FROM annual
),
enduse AS (
    SELECT * FROM both_frequencies WHERE commodity_class = 'enduse'
),
totals AS (
    SELECT * FROM both_frequencies WHERE commodity_class = 'total'
),
final AS (
    SELECT
        enduse.frequency,
        enduse.period,
        enduse.partner_code,
        coalesce(totals.partner_name, enduse.partner_name) AS partner_name,
        enduse.commodity_code AS enduse_code,
        CAST(enduse.exports AS DECIMAL(18, 6)) AS exports_musd,
        CAST(enduse.imports AS DECIMAL(18, 6)) AS imports_musd,
        CAST(enduse.balance AS DECIMAL(18, 6)) AS balance_musd,
        CAST(totals.balance AS DECIMAL(18, 6)) AS total_balance_musd,
        CASE WHEN abs(totals.balance) >= 0.05 THEN CAST(round(100 * enduse.balance / totals.balance, 2) AS DECIMAL(18, 2)) END
            AS share_of_balance_pct,
        CASE WHEN abs(totals.imports) >= 0.05 THEN CAST(round(100 * enduse.imports / totals.imports, 2) AS DECIMAL(18, 2)) END
            AS share_of_imports_pct,
        CASE WHEN abs(totals.exports) >= 0.05 THEN CAST(round(100 * enduse.exports / totals.exports, 2) AS DECIMAL(18, 2)) END
            AS share_of_exports_pct,
        enduse.months,
        enduse.months = coalesce(totals.months, 0) AS months_match,
        enduse.product,
        enduse.basis,
        enduse.adjustment
    FROM enduse
    LEFT JOIN totals
        USING (frequency, period, partner_code, product, basis, adjustment)
)
SELECT * FROM final
ORDER BY partner_code, frequency, period, enduse_code;

COMMENT ON TABLE marts.enduse_composition IS 'End-use categories of a bilateral balance (Census API end-use data, Census basis, NSA), by month (frequency M) and calendar year (A), with each category''s share of the partner''s total balance, imports and exports. Latest vintage. End-use 3 = automotive vehicles, parts and engines.';
COMMENT ON COLUMN marts.enduse_composition.frequency IS 'M (month) or A (calendar year: sum of the months held).';
COMMENT ON COLUMN marts.enduse_composition.period IS 'First day of the month or year.';
COMMENT ON COLUMN marts.enduse_composition.partner_code IS 'Census country code (text); - = all countries.';
COMMENT ON COLUMN marts.enduse_composition.partner_name IS 'Partner name.';
COMMENT ON COLUMN marts.enduse_composition.enduse_code IS 'End-use code as published (1 digit = the six principal categories; longer codes are their subdivisions).';
COMMENT ON COLUMN marts.enduse_composition.exports_musd IS 'Exports of the category to the partner, millions of US dollars.';
COMMENT ON COLUMN marts.enduse_composition.imports_musd IS 'Imports of the category from the partner, millions of US dollars.';
COMMENT ON COLUMN marts.enduse_composition.balance_musd IS 'exports - imports of the category, millions of US dollars.';
COMMENT ON COLUMN marts.enduse_composition.total_balance_musd IS 'The partner''s total goods balance in the period (all commodities), millions of US dollars.';
COMMENT ON COLUMN marts.enduse_composition.share_of_balance_pct IS 'balance_musd / total_balance_musd in percent: e.g. the part of the deficit with Japan due to autos and parts.';
COMMENT ON COLUMN marts.enduse_composition.share_of_imports_pct IS 'The category''s share of imports from the partner, percent.';
COMMENT ON COLUMN marts.enduse_composition.share_of_exports_pct IS 'The category''s share of exports to the partner, percent.';
COMMENT ON COLUMN marts.enduse_composition.months IS 'Months summed (1 for monthly rows).';
COMMENT ON COLUMN marts.enduse_composition.months_match IS 'True when the total covers the same months as the category (shares compare like with like).';
COMMENT ON COLUMN marts.enduse_composition.product IS 'goods.';
COMMENT ON COLUMN marts.enduse_composition.basis IS 'census.';
