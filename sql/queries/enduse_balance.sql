-- name: enduse_balance
-- description: What a bilateral goods balance is made of: the six end-use categories in a year.
-- param: partner_code = 5880 (Census country code: 5880 Japan, 5700 China, 1220 Canada)
-- param: year: year = 1994 (calendar year)
-- From the Census API end-use data (Census basis, NSA, millions of US dollars; not in the
-- bundled sample archive, so empty there). share_of_balance_pct: the category's part of the
-- partner's total balance; months_match false = the total covers other months.
SELECT
    enduse_code,
    CASE enduse_code
        WHEN '0' THEN 'Foods, feeds, and beverages'
        WHEN '1' THEN 'Industrial supplies and materials'
        WHEN '2' THEN 'Capital goods, except automotive'
        WHEN '3' THEN 'Automotive vehicles, parts, and engines'
        WHEN '4' THEN 'Consumer goods'
        WHEN '5' THEN 'Other goods'
    END AS enduse_name,
    exports_musd,
    imports_musd,
    balance_musd,
    total_balance_musd,
    share_of_balance_pct,
    months,
    months_match
FROM marts.enduse_composition
WHERE partner_code = $partner_code
    AND frequency = 'A'
    AND period = make_date(CAST($year AS INTEGER), 1, 1)
    AND length(enduse_code) = 1
ORDER BY enduse_code;
