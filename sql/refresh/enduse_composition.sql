-- marts.enduse_composition: a partner's month, and its year (the sum of its months), change
-- where a total or end-use value of that month was published. A row exists only where end-use
-- figures do: a total published changes rows already held, an end-use figure may add some.
WITH changed AS (
    SELECT 'M' AS frequency, period, partner_code, product, basis, adjustment, commodity_class
    FROM touched
    WHERE frequency = 'M' AND commodity_class IN ('total', 'enduse') AND flow <> 'balance'
    UNION ALL
    SELECT 'A', make_date(year(period), 1, 1), partner_code, product, basis, adjustment,
        commodity_class
    FROM touched
    WHERE frequency = 'M' AND commodity_class IN ('total', 'enduse') AND flow <> 'balance'
)
SELECT DISTINCT frequency, period, partner_code, product, basis, adjustment
FROM changed
WHERE commodity_class = 'enduse' OR EXISTS (
    SELECT 1 FROM marts.enduse_composition AS held
    WHERE held.frequency = changed.frequency AND held.period = changed.period
        AND held.partner_code = changed.partner_code AND held.product = changed.product
        AND held.basis = changed.basis AND held.adjustment = changed.adjustment
)
