-- marts.balance_changes: a month's changes read the month before and the same month a year
-- before, so a month published changes its own row, the next month's and the one 12 later.
SELECT DISTINCT
    partner_code, product, basis, adjustment,
    CAST(period + to_months(shift.months) AS DATE) AS period
FROM touched
CROSS JOIN (VALUES (0), (1), (12)) AS shift(months)
WHERE frequency = 'M' AND commodity_class = 'total'
