-- marts.balance_monthly: a row is one partner series and month of total monthly values; it
-- changes only where one of its own values was published.
SELECT DISTINCT partner_code, product, basis, adjustment, period
FROM touched
WHERE frequency = 'M' AND commodity_class = 'total'
