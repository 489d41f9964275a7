-- Report section 3: one partner's monthly exports, imports and balance between two months, as
-- now published (Census basis, goods, NSA, millions of US dollars). The report asks for Japan
-- (5880), 1992-1996: the stretch the sample covers best.
-- $partner: partner code; $first, $last: first and last month (DATE).
SELECT
    period,
    partner_name,
    exports_musd,
    imports_musd,
    balance_musd
FROM marts.balance_monthly
WHERE partner_code = $partner
    AND product = 'goods'
    AND basis = 'census'
    AND adjustment = 'nsa'
    AND period BETWEEN $first AND $last
ORDER BY period
