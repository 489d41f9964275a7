-- name: top_deficit_partners
-- description: The countries with the largest US goods deficits in a year, with their share of the total.
-- param: year: year = 1994 (calendar year)
-- param: n: integer = 10 (how many countries)
-- Countries only (aggregates left out); Census basis, NSA, millions of US dollars. months < 12
-- means the year is still in progress.
SELECT
    deficit_rank,
    partner_code,
    partner_name,
    balance_musd,
    share_of_total_pct,
    total_balance_musd,
    months
FROM marts.deficit_shares
WHERE frequency = 'A'
    AND period = make_date(CAST($year AS INTEGER), 1, 1)
    AND deficit_rank <= CAST($n AS INTEGER)
ORDER BY product, basis, adjustment, deficit_rank;
