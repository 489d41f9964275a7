-- marts.balance_cumulative: a month published changes the year to date of the later months of
-- its year, the 12-month rolling sums of the next 11 months, and the prior-year comparison of
-- the same months of the year after: every month from it to the end of the next year.
SELECT DISTINCT
    partner_code, product, basis, adjustment,
    CAST(period + to_months(shift.months) AS DATE) AS period
FROM touched
CROSS JOIN range(0, 24) AS shift(months)
WHERE frequency = 'M' AND commodity_class = 'total'
    AND year(period + to_months(shift.months)) <= year(period) + 1
