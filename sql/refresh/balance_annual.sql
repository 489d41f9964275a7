-- marts.balance_annual: a year is the sum of its months (marts.balance_monthly): any month
-- published changes its year.
SELECT DISTINCT partner_code, product, basis, adjustment, year(period) AS year
FROM touched
WHERE frequency = 'M' AND commodity_class = 'total'
