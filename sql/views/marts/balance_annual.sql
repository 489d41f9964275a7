-- marts.balance_annual: exports, imports and balance by partner and calendar year, latest vintage.
CREATE OR REPLACE VIEW marts.balance_annual AS
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
        basis,
        adjustment,
        bool_or(is_aggregate) AS is_aggregate,
        source
    FROM monthly
    GROUP BY partner_code, year(period), basis, adjustment, source
)
-- Ordered so that a plain filter reads in time order.
SELECT * FROM final
ORDER BY partner_code, year, basis, adjustment, source;

COMMENT ON VIEW marts.balance_annual IS 'US goods trade by partner and calendar year (sum of the latest monthly figures), millions of US dollars. A year still in progress has is_complete = false and is a year-to-date total.';
COMMENT ON COLUMN marts.balance_annual.partner_code IS 'Census country code (text); 00xx = aggregate.';
COMMENT ON COLUMN marts.balance_annual.partner_name IS 'Partner name as in the latest month.';
COMMENT ON COLUMN marts.balance_annual.year IS 'Calendar year.';
COMMENT ON COLUMN marts.balance_annual.exports_musd IS 'US exports to the partner in the year, millions of US dollars.';
COMMENT ON COLUMN marts.balance_annual.imports_musd IS 'US imports from the partner in the year, millions of US dollars.';
COMMENT ON COLUMN marts.balance_annual.balance_musd IS 'exports - imports, millions of US dollars; negative = US deficit.';
COMMENT ON COLUMN marts.balance_annual.months IS 'Months published so far in the year.';
COMMENT ON COLUMN marts.balance_annual.is_complete IS 'True when all 12 months are published; false means a year-to-date total.';
COMMENT ON COLUMN marts.balance_annual.last_period IS 'Newest month included.';
COMMENT ON COLUMN marts.balance_annual.basis IS 'census or bop. Never add the two.';
COMMENT ON COLUMN marts.balance_annual.adjustment IS 'nsa or sa. Never add the two.';
COMMENT ON COLUMN marts.balance_annual.is_aggregate IS 'True for aggregates (world, regions, groups).';
COMMENT ON COLUMN marts.balance_annual.source IS 'Source module the figures come from.';
