-- Report section 4: each country's share of the total of countries' goods balances in the latest
-- full year (Census basis, NSA), largest deficits first. $top: how many countries.
WITH latest_year AS (
    SELECT max(period) AS period
    FROM marts.deficit_shares
    WHERE frequency = 'A' AND months = 12
)
SELECT
    year(s.period) AS year,
    s.deficit_rank,
    s.partner_code,
    s.partner_name,
    s.balance_musd,
    s.share_of_total_pct,
    s.total_balance_musd,
    s.countries
FROM marts.deficit_shares AS s
JOIN latest_year USING (period)
WHERE s.frequency = 'A' AND s.deficit_rank <= $top
ORDER BY s.deficit_rank
