-- marts.autos_by_partner: a partner's month or year to date, from the motor vehicle rows and
-- the goods totals of that partner and period.
SELECT DISTINCT partner_code, period, frequency
FROM touched
WHERE basis = 'census' AND adjustment = 'nsa' AND product = 'goods'
    AND frequency IN ('M', 'YTD')
