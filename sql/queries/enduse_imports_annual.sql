-- name: enduse_imports_annual
-- description: Imports from a partner in a year by end-use category, from the annual 5-digit workbook.
-- param: partner_code = 5880 (Census country code: 5880 Japan, 5700 China, 1220 Canada; - = world)
-- param: year: year = 2024 (calendar year, 2016 onward in the sample)
-- Census annual imports by country and 5-digit end-use (general imports, customs value, Census
-- basis, NSA), latest vintage, summed to the six 1-digit categories (the file gives 5-digit
-- codes only); share_of_imports_pct: the category's part of the partner's imports that year.
WITH codes AS (
    SELECT left(commodity_code, 1) AS enduse_code, value_musd
    FROM core.latest
    WHERE source = 'census_enduse' AND partner_code = $partner_code
        AND period = make_date(CAST($year AS INTEGER), 1, 1)
),
categories AS (
    SELECT enduse_code, sum(value_musd) AS imports_musd FROM codes GROUP BY enduse_code
)
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
    round(imports_musd, 1) AS imports_musd,
    round(100 * imports_musd / sum(imports_musd) OVER (), 2) AS share_of_imports_pct
FROM categories
ORDER BY enduse_code;
