-- marts.balance_cumulative: year-to-date and 12-month rolling balance by partner and month.
-- A table: analysts query it often, and computing it means ranking every vintage of every
-- value; a refresh recomputes only the rows a publish can change (sql/refresh/ says which).
CREATE OR REPLACE TABLE marts.balance_cumulative AS
WITH monthly AS (
    SELECT * FROM marts.balance_monthly
),
windows AS (
    SELECT
        *,
        sum(balance_musd) OVER ytd AS ytd_balance,
        count(*) OVER ytd AS ytd_months,
        sum(exports_musd) OVER ytd AS ytd_exports,
        sum(imports_musd) OVER ytd AS ytd_imports,
        sum(balance_musd) OVER rolling AS rolling_balance,
        count(*) OVER rolling AS rolling_months
    FROM monthly
    WINDOW
        ytd AS (PARTITION BY partner_code, product, basis, adjustment, year(period)
                ORDER BY period),
        rolling AS (PARTITION BY partner_code, product, basis, adjustment ORDER BY period
                    RANGE BETWEEN INTERVAL 11 MONTH PRECEDING AND CURRENT ROW)
),
with_prior AS (
    SELECT
        *,
        -- Same months of the year before: the prior year's YTD at the same month.
        max(ytd_balance) OVER (PARTITION BY partner_code, product, basis, adjustment
                               ORDER BY period
                               RANGE BETWEEN INTERVAL 12 MONTH PRECEDING
                                         AND INTERVAL 12 MONTH PRECEDING) AS ytd_prior,
        max(ytd_months) OVER (PARTITION BY partner_code, product, basis, adjustment
                              ORDER BY period
                              RANGE BETWEEN INTERVAL 12 MONTH PRECEDING
                                        AND INTERVAL 12 MONTH PRECEDING) AS ytd_prior_months
    FROM windows
),
final AS (
    SELECT
        partner_code,
        partner_name,
        period,
        balance_musd,
        CAST(ytd_exports AS DECIMAL(18, 6)) AS ytd_exports_musd,
        CAST(ytd_imports AS DECIMAL(18, 6)) AS ytd_imports_musd,
        CAST(ytd_balance AS DECIMAL(18, 6)) AS ytd_balance_musd,
        ytd_months,
        CAST(CASE WHEN ytd_prior_months = ytd_months THEN ytd_prior END AS DECIMAL(18, 6))
            AS ytd_balance_prior_year_musd,
        CAST(CASE WHEN ytd_prior_months = ytd_months THEN ytd_balance - ytd_prior END
            AS DECIMAL(18, 6)) AS ytd_change_musd,
        CAST(CASE WHEN rolling_months = 12 THEN rolling_balance END AS DECIMAL(18, 6))
            AS rolling_12m_balance_musd,
        product,
        basis,
        adjustment,
        is_aggregate
    FROM with_prior
)
SELECT * FROM final
ORDER BY partner_code, product, basis, adjustment, period;

COMMENT ON TABLE marts.balance_cumulative IS 'Year-to-date and 12-month rolling balances by partner and month (latest vintage), millions of US dollars.';
COMMENT ON COLUMN marts.balance_cumulative.period IS 'First day of the month: the YTD and rolling sums end with it.';
COMMENT ON COLUMN marts.balance_cumulative.balance_musd IS 'The month''s balance, millions of US dollars.';
COMMENT ON COLUMN marts.balance_cumulative.ytd_exports_musd IS 'Exports from January through this month, millions of US dollars.';
COMMENT ON COLUMN marts.balance_cumulative.ytd_imports_musd IS 'Imports from January through this month, millions of US dollars.';
COMMENT ON COLUMN marts.balance_cumulative.ytd_balance_musd IS 'Balance from January through this month, millions of US dollars.';
COMMENT ON COLUMN marts.balance_cumulative.ytd_months IS 'Months in the year-to-date sum.';
COMMENT ON COLUMN marts.balance_cumulative.ytd_balance_prior_year_musd IS 'The same months of the previous year, millions of US dollars; NULL unless all of them are published.';
COMMENT ON COLUMN marts.balance_cumulative.ytd_change_musd IS 'ytd_balance_musd - ytd_balance_prior_year_musd, millions of US dollars.';
COMMENT ON COLUMN marts.balance_cumulative.rolling_12m_balance_musd IS 'Balance of the 12 months ending with this one, millions of US dollars; NULL unless all 12 are published.';
