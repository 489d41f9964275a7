-- name: first_vs_latest
-- description: A period's figures as first printed and as now published, with the revision.
-- param: period: month = 1994-03 (the month, YYYY-MM; January for a year)
-- param: partner_code = - (Census country code; - = all countries, the FT-900/ALFRED headline)
-- param: product: goods|services|goods_and_services = goods_and_services (what was traded)
-- "First" is the oldest vintage held, the first print when the warehouse holds the first
-- release. Millions of US dollars.
SELECT
    frequency,
    measure,
    first_value_musd,
    first_source,
    first_published_at,
    latest_value_musd,
    latest_source,
    latest_published_at,
    revision_musd,
    vintages_seen,
    basis,
    adjustment
FROM marts.revisions
WHERE period = CAST($period AS DATE)
    AND partner_code = $partner_code
    AND product = $product
    AND commodity_class = 'total'
ORDER BY frequency DESC, measure;
