-- Report section 2: the annual goods balance with the largest deficit partners of the latest full
-- year (Census basis, NSA, millions of US dollars), for every complete year held. The partners
-- are chosen by their rank in that one year so the lines follow the same countries back in time.
-- $top: how many partners.
WITH latest_year AS (
    SELECT max(period) AS period
    FROM marts.deficit_shares
    WHERE frequency = 'A' AND months = 12
),
top_partners AS (
    SELECT s.partner_code, s.deficit_rank
    FROM marts.deficit_shares AS s
    JOIN latest_year USING (period)
    WHERE s.frequency = 'A' AND s.deficit_rank <= $top
)
SELECT
    a.partner_code,
    a.partner_name,
    t.deficit_rank,
    a.year,
    a.balance_musd
FROM marts.balance_annual AS a
JOIN top_partners AS t USING (partner_code)
WHERE a.product = 'goods'
    AND a.basis = 'census'
    AND a.adjustment = 'nsa'
    AND a.is_complete
ORDER BY t.deficit_rank, a.year
