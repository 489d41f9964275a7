-- marts.balance_annual: exports, imports and balance by partner and calendar year, latest vintage.
-- A table: analysts query it often, and computing it means ranking every vintage of every
-- value; a refresh recomputes only the rows a publish can change (sql/refresh/ says which).
CREATE OR REPLACE TABLE marts.balance_annual AS
WITH monthly AS (
    SELECT * FROM marts.balance_monthly
),
final AS (
    SELECT
        partner_code,
        arg_max(partner_name, period) AS partner_name,
        year(period) AS year,
        CAST(sum(exports_musd) AS DECIMAL(18, 6)) AS exports_musd,
        CAST(sum(imports_musd) AS DECIMAL(18, 6)) AS imports_musd,
        CAST(sum(balance_musd) AS DECIMAL(18, 6)) AS balance_musd,
        count(*) AS months,
        count(*) = 12 AS is_complete,
        max(period) AS last_period,
        product,
        basis,
        adjustment,
        bool_or(is_aggregate) AS is_aggregate
    FROM monthly
    GROUP BY partner_code, year(period), product, basis, adjustment
)
SELECT * FROM final
ORDER BY partner_code, product, basis, adjustment, year;

COMMENT ON TABLE marts.balance_annual IS 'US trade by partner and calendar year: sums of the latest monthly figures, millions of US dollars. A year in progress has is_complete = false and is a year-to-date total. (FT-900 annual totals as published, which can differ from the sum of seasonally adjusted months by rounding, are in core.observations with frequency A.)';
COMMENT ON COLUMN marts.balance_annual.partner_name IS 'Partner name as in the latest month.';
COMMENT ON COLUMN marts.balance_annual.year IS 'Calendar year.';
COMMENT ON COLUMN marts.balance_annual.exports_musd IS 'US exports to the partner in the year, millions of US dollars.';
COMMENT ON COLUMN marts.balance_annual.imports_musd IS 'US imports from the partner in the year, millions of US dollars.';
COMMENT ON COLUMN marts.balance_annual.balance_musd IS 'Sum of the monthly balances, millions of US dollars; negative = US deficit.';
COMMENT ON COLUMN marts.balance_annual.months IS 'Months published so far in the year.';
COMMENT ON COLUMN marts.balance_annual.is_complete IS 'True when all 12 months are published; false means a year-to-date total.';
COMMENT ON COLUMN marts.balance_annual.last_period IS 'Newest month included.';
