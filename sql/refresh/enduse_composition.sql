-- marts.enduse_composition: a partner's month, and its year (the sum of its months), change
-- where a total or end-use value of that month was published.
SELECT DISTINCT frequency, period, partner_code, product, basis, adjustment
FROM (
    SELECT 'M' AS frequency, period, partner_code, product, basis, adjustment FROM touched
    WHERE frequency = 'M' AND commodity_class IN ('total', 'enduse') AND flow <> 'balance'
    UNION ALL
    SELECT 'A', make_date(year(period), 1, 1), partner_code, product, basis, adjustment
    FROM touched
    WHERE frequency = 'M' AND commodity_class IN ('total', 'enduse') AND flow <> 'balance'
)
