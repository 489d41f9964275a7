-- marts.deficit_shares: each country's share of the total balance and its deficit rank, by
-- year and by month (latest vintage).
-- A table: analysts query it often, and computing it means ranking every vintage of every
-- value; a refresh recomputes only the rows a publish can change (sql/refresh/ says which).
CREATE OR REPLACE TABLE marts.deficit_shares AS
WITH annual AS (
    SELECT
        'A' AS frequency, make_date(year, 1, 1) AS period, partner_code, partner_name,
        balance_musd, months, product, basis, adjustment
    FROM marts.balance_annual
    WHERE NOT is_aggregate
),
monthly AS (
    SELECT
        'M' AS frequency, period, partner_code, partner_name, balance_musd, 1 AS months,
        product, basis, adjustment
    FROM marts.balance_monthly
    WHERE NOT is_aggregate
),
countries AS (
    SELECT * FROM annual
    UNION ALL
    SELECT * FROM monthly
),
final AS (
    SELECT
        frequency,
        period,
        partner_code,
        partner_name,
        balance_musd,
        CAST(sum(balance_musd) OVER peers AS DECIMAL(18, 6)) AS total_balance_musd,
        CASE WHEN abs(sum(balance_musd) OVER peers) >= 0.05 THEN CAST(round(100 * balance_musd / sum(balance_musd) OVER peers, 2) AS DECIMAL(18, 2)) END
            AS share_of_total_pct,
        rank() OVER (peers ORDER BY balance_musd ASC) AS deficit_rank,
        count(*) OVER peers AS countries,
        months,
        product,
        basis,
        adjustment
    FROM countries
    WINDOW peers AS (PARTITION BY frequency, period, product, basis, adjustment)
)
SELECT * FROM final
ORDER BY frequency, period, product, basis, adjustment, deficit_rank;

COMMENT ON TABLE marts.deficit_shares IS 'Each country''s balance as a share of the total of all countries'' balances (aggregates such as world and regions excluded; the total equals the world balance within rounding), and its rank, by year (frequency A) and month (M). Latest vintage.';
COMMENT ON COLUMN marts.deficit_shares.frequency IS 'A (calendar year: period is January 1) or M (month).';
COMMENT ON COLUMN marts.deficit_shares.period IS 'First day of the year or month.';
COMMENT ON COLUMN marts.deficit_shares.partner_code IS 'Census country code (text); countries only.';
COMMENT ON COLUMN marts.deficit_shares.partner_name IS 'Partner name.';
COMMENT ON COLUMN marts.deficit_shares.balance_musd IS 'The country''s balance, millions of US dollars.';
COMMENT ON COLUMN marts.deficit_shares.total_balance_musd IS 'Sum of all countries'' balances in the period, millions of US dollars.';
COMMENT ON COLUMN marts.deficit_shares.share_of_total_pct IS 'balance_musd / total_balance_musd in percent: with a total deficit, a country in deficit has a positive share and one in surplus a negative one.';
COMMENT ON COLUMN marts.deficit_shares.deficit_rank IS '1 = the largest deficit (most negative balance) among countries in the period.';
COMMENT ON COLUMN marts.deficit_shares.countries IS 'Countries ranked in the period.';
COMMENT ON COLUMN marts.deficit_shares.months IS 'Months in the period''s figures (a year in progress has fewer than 12).';
