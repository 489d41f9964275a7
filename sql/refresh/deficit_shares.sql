-- marts.deficit_shares: shares and ranks compare every partner of a month (and of a year): a
-- month published changes that month's and that year's rankings.
SELECT DISTINCT frequency, period, product, basis, adjustment
FROM (
    SELECT 'M' AS frequency, period, product, basis, adjustment FROM touched
    WHERE frequency = 'M' AND commodity_class = 'total'
    UNION ALL
    SELECT 'A', make_date(year(period), 1, 1), product, basis, adjustment FROM touched
    WHERE frequency = 'M' AND commodity_class = 'total'
)
