-- name: partner_deficit
-- description: Exports, imports and balance with one partner, month by month and for the year.
-- param: partner_code = 5880 (Census country code, text: 5880 Japan, 5700 China, 1220 Canada; - all countries)
-- param: year: year = 1994 (calendar year)
-- Millions of US dollars, latest vintage. The year row (frequency A) sums the months held:
-- "(ytd)" marks a year still in progress. Census partners are goods, Census basis, NSA.
SELECT
    'M' AS frequency,
    strftime(period, '%Y-%m') AS period,
    partner_name,
    exports_musd,
    imports_musd,
    balance_musd,
    product,
    basis,
    adjustment
FROM marts.balance_monthly
WHERE partner_code = $partner_code AND year(period) = CAST($year AS INTEGER)
UNION ALL
SELECT
    'A',
    CAST(year AS VARCHAR) || CASE WHEN is_complete THEN '' ELSE ' (ytd)' END,
    partner_name,
    exports_musd,
    imports_musd,
    balance_musd,
    product,
    basis,
    adjustment
FROM marts.balance_annual
WHERE partner_code = $partner_code AND year = CAST($year AS INTEGER)
ORDER BY product, basis, adjustment, frequency DESC, period;
