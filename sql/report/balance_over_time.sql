-- Report section 1: the goods and services balance, every month held, as now published (latest
-- vintage) next to the first value held (the first print where the first release is held).
-- Partner '-' (total, all countries), BOP basis, seasonally adjusted, millions of US dollars.
SELECT
    b.period,
    b.balance_musd AS latest_musd,
    r.first_value_musd AS first_musd
FROM marts.balance_monthly AS b
LEFT JOIN marts.revisions AS r
    ON r.partner_code = b.partner_code
    AND r.period = b.period
    AND r.frequency = 'M'
    AND r.product = b.product
    AND r.basis = b.basis
    AND r.adjustment = b.adjustment
    AND r.measure = 'balance'
WHERE b.partner_code = '-'
    AND b.product = 'goods_and_services'
    AND b.basis = 'bop'
    AND b.adjustment = 'sa'
ORDER BY b.period
