-- marts.autos_by_partner: a partner's month or year to date, from its motor vehicle rows and
-- its goods totals. A row exists only where motor vehicle figures do: a goods total published
-- changes a row already held, a motor vehicle figure may add one (a total alone adds none, so
-- a country file vintage refreshes nothing here).
SELECT DISTINCT partner_code, period, frequency
FROM touched
WHERE basis = 'census' AND adjustment = 'nsa' AND product = 'goods'
    AND frequency IN ('M', 'YTD')
    AND (
        commodity_class = 'motor_vehicles'
        OR (commodity_class = 'total' AND EXISTS (
            SELECT 1 FROM marts.autos_by_partner AS held
            WHERE held.partner_code = touched.partner_code AND held.period = touched.period
                AND held.frequency = touched.frequency))
    )
