-- marts.balance_changes: month-on-month and year-on-year changes of exports, imports and balance.
-- A percent change against a value that rounds to zero at the published precision (under
-- 0.05 $M in absolute value, zero included) cannot be stated: it is NULL, and pct_null_reason
-- says why. Since 2026 the country file carries six decimals, so a base of a few dollars is
-- no longer zero, and dividing by it gave percentages no DECIMAL holds.
-- A table: analysts query it often, and computing it means ranking every vintage of every
-- value; a refresh recomputes only the rows a publish can change (sql/refresh/ says which).
CREATE OR REPLACE TABLE marts.balance_changes AS
WITH monthly AS (
    SELECT * FROM marts.balance_monthly
),
lagged AS (
    SELECT
        *,
        -- RANGE on the month, not the row before: a missing month gives no change, not a
        -- change against an older month.
        max(balance_musd) OVER (w RANGE BETWEEN INTERVAL 1 MONTH PRECEDING
                                          AND INTERVAL 1 MONTH PRECEDING) AS balance_prev_month,
        max(exports_musd) OVER (w RANGE BETWEEN INTERVAL 1 MONTH PRECEDING
                                          AND INTERVAL 1 MONTH PRECEDING) AS exports_prev_month,
        max(imports_musd) OVER (w RANGE BETWEEN INTERVAL 1 MONTH PRECEDING
                                          AND INTERVAL 1 MONTH PRECEDING) AS imports_prev_month,
        max(balance_musd) OVER (w RANGE BETWEEN INTERVAL 12 MONTH PRECEDING
                                          AND INTERVAL 12 MONTH PRECEDING) AS balance_year_ago,
        max(exports_musd) OVER (w RANGE BETWEEN INTERVAL 12 MONTH PRECEDING
                                          AND INTERVAL 12 MONTH PRECEDING) AS exports_year_ago,
        max(imports_musd) OVER (w RANGE BETWEEN INTERVAL 12 MONTH PRECEDING
                                          AND INTERVAL 12 MONTH PRECEDING) AS imports_year_ago
    FROM monthly
    WINDOW w AS (PARTITION BY partner_code, product, basis, adjustment ORDER BY period)
),
final AS (
    SELECT
        partner_code,
        partner_name,
        period,
        balance_musd,
        CAST(balance_musd - balance_prev_month AS DECIMAL(18, 6)) AS balance_mom_musd,
        CASE WHEN abs(balance_prev_month) >= 0.05
            THEN CAST(round(100 * (balance_musd - balance_prev_month) / abs(balance_prev_month), 2) AS DECIMAL(18, 2)) END AS balance_mom_pct,
        CAST(balance_musd - balance_year_ago AS DECIMAL(18, 6)) AS balance_yoy_musd,
        CASE WHEN abs(balance_year_ago) >= 0.05
            THEN CAST(round(100 * (balance_musd - balance_year_ago) / abs(balance_year_ago), 2) AS DECIMAL(18, 2)) END AS balance_yoy_pct,
        exports_musd,
        CAST(exports_musd - exports_prev_month AS DECIMAL(18, 6)) AS exports_mom_musd,
        CASE WHEN abs(exports_prev_month) >= 0.05
            THEN CAST(round(100 * (exports_musd - exports_prev_month) / exports_prev_month, 2) AS DECIMAL(18, 2)) END AS exports_mom_pct,
        CAST(exports_musd - exports_year_ago AS DECIMAL(18, 6)) AS exports_yoy_musd,
        CASE WHEN abs(exports_year_ago) >= 0.05
            THEN CAST(round(100 * (exports_musd - exports_year_ago) / exports_year_ago, 2) AS DECIMAL(18, 2)) END AS exports_yoy_pct,
        imports_musd,
        CAST(imports_musd - imports_prev_month AS DECIMAL(18, 6)) AS imports_mom_musd,
        CASE WHEN abs(imports_prev_month) >= 0.05
            THEN CAST(round(100 * (imports_musd - imports_prev_month) / imports_prev_month, 2) AS DECIMAL(18, 2)) END AS imports_mom_pct,
        CAST(imports_musd - imports_year_ago AS DECIMAL(18, 6)) AS imports_yoy_musd,
        CASE WHEN abs(imports_year_ago) >= 0.05
            THEN CAST(round(100 * (imports_musd - imports_year_ago) / imports_year_ago, 2) AS DECIMAL(18, 2)) END AS imports_yoy_pct,
        -- Why a percent change is NULL, where one is: a reader must tell "no change" from
        -- "cannot be stated".
        nullif(concat_ws('; ',
            CASE WHEN balance_prev_month IS NULL THEN 'previous month not published'
                 WHEN abs(balance_prev_month) < 0.05 OR abs(exports_prev_month) < 0.05
                      OR abs(imports_prev_month) < 0.05
                 THEN 'a previous-month value rounds to zero (under 0.05 $M): no month-on-month percent' END,
            CASE WHEN balance_year_ago IS NULL THEN 'same month a year earlier not published'
                 WHEN abs(balance_year_ago) < 0.05 OR abs(exports_year_ago) < 0.05
                      OR abs(imports_year_ago) < 0.05
                 THEN 'a year-ago value rounds to zero (under 0.05 $M): no year-on-year percent' END
        ), '') AS pct_null_reason,
        product,
        basis,
        adjustment,
        is_aggregate
    FROM lagged
)
SELECT * FROM final
ORDER BY partner_code, product, basis, adjustment, period;

COMMENT ON TABLE marts.balance_changes IS 'Month-on-month and year-on-year changes by partner and month (latest vintage), millions of US dollars and percent. NULL where the month compared with is not published.';
COMMENT ON COLUMN marts.balance_changes.period IS 'First day of the month.';
COMMENT ON COLUMN marts.balance_changes.balance_musd IS 'Balance, millions of US dollars (negative = deficit).';
COMMENT ON COLUMN marts.balance_changes.balance_mom_musd IS 'Balance minus the previous month''s, millions of US dollars: negative = the balance fell (a deficit widened).';
COMMENT ON COLUMN marts.balance_changes.balance_mom_pct IS 'balance_mom_musd as percent of the previous month''s balance in absolute value: -9.7 = a deficit widened (or a surplus shrank) by 9.7%.';
COMMENT ON COLUMN marts.balance_changes.balance_yoy_musd IS 'Balance minus the same month a year earlier, millions of US dollars.';
COMMENT ON COLUMN marts.balance_changes.balance_yoy_pct IS 'balance_yoy_musd as percent of the year-ago balance in absolute value.';
COMMENT ON COLUMN marts.balance_changes.exports_musd IS 'Exports, millions of US dollars.';
COMMENT ON COLUMN marts.balance_changes.exports_mom_musd IS 'Exports minus the previous month''s, millions of US dollars.';
COMMENT ON COLUMN marts.balance_changes.exports_mom_pct IS 'Month-on-month change of exports, percent.';
COMMENT ON COLUMN marts.balance_changes.exports_yoy_musd IS 'Exports minus the same month a year earlier, millions of US dollars.';
COMMENT ON COLUMN marts.balance_changes.exports_yoy_pct IS 'Year-on-year change of exports, percent.';
COMMENT ON COLUMN marts.balance_changes.imports_musd IS 'Imports, millions of US dollars.';
COMMENT ON COLUMN marts.balance_changes.imports_mom_musd IS 'Imports minus the previous month''s, millions of US dollars.';
COMMENT ON COLUMN marts.balance_changes.imports_mom_pct IS 'Month-on-month change of imports, percent.';
COMMENT ON COLUMN marts.balance_changes.imports_yoy_musd IS 'Imports minus the same month a year earlier, millions of US dollars.';
COMMENT ON COLUMN marts.balance_changes.imports_yoy_pct IS 'Year-on-year change of imports, percent.';
COMMENT ON COLUMN marts.balance_changes.pct_null_reason IS 'Why a percent change of this row is NULL: the month compared with is not published, or its value rounds to zero (under 0.05 $M). NULL when every percent is stated.';
