-- marts.balance_monthly: exports, imports and balance by partner and month, latest vintage.
-- A table: analysts query it often, and computing it means ranking every vintage of every
-- value; a refresh recomputes only the rows a publish can change (sql/refresh/ says which).
CREATE OR REPLACE TABLE marts.balance_monthly AS
WITH latest AS (
    SELECT * FROM core.latest
    WHERE frequency = 'M' AND commodity_class = 'total'
),
pivoted AS (
    SELECT
        basis,
        adjustment,
        product,
        partner_code,
        arg_max(partner_name, vintage_at) AS partner_name,
        bool_or(partner_is_aggregate) AS is_aggregate,
        period,
        sum(value_musd) FILTER (WHERE flow = 'exports') AS exports_musd,
        sum(value_musd) FILTER (WHERE flow = 'imports') AS imports_musd,
        sum(value_musd) FILTER (WHERE flow = 'balance') AS published_balance_musd,
        max(vintage_at) FILTER (WHERE flow = 'balance') AS balance_published_at,
        max(vintage_at) FILTER (WHERE flow <> 'balance') AS flows_published_at,
        string_agg(DISTINCT source, ',' ORDER BY source) AS sources,
        max(vintage_at) AS published_at
    FROM latest
    GROUP BY basis, adjustment, product, partner_code, period
),
final AS (
    SELECT
        partner_code,
        partner_name,
        period,
        CAST(exports_musd AS DECIMAL(18, 6)) AS exports_musd,
        CAST(imports_musd AS DECIMAL(18, 6)) AS imports_musd,
        -- A balance the agency publishes wins, unless exports and imports were revised since
        -- by a source that prints no balance (an FT-900 exhibit's partner balance, then the
        -- country file): then it is exports - imports, like where none is published.
        CAST(CASE
            WHEN published_balance_musd IS NOT NULL
                AND (flows_published_at IS NULL OR balance_published_at >= flows_published_at)
                THEN published_balance_musd
            ELSE exports_musd - imports_musd
        END AS DECIMAL(18, 6)) AS balance_musd,
        product,
        basis,
        adjustment,
        is_aggregate,
        sources AS source,
        published_at
    FROM pivoted
)
-- Ordered so that a plain filter reads in time order.
SELECT * FROM final
ORDER BY partner_code, product, basis, adjustment, period;

COMMENT ON TABLE marts.balance_monthly IS 'US trade by partner and month as now published (latest vintage), millions of US dollars. Census country and API data: goods, Census basis, not seasonally adjusted, by partner (code 0004 World is seasonally adjusted). FT-900 and ALFRED: partner - (all countries), balance-of-payments basis, seasonally adjusted, goods, services and both.';
COMMENT ON COLUMN marts.balance_monthly.partner_code IS 'Census country code (text, leading zeros kept); 00xx codes are aggregates; - = all countries.';
COMMENT ON COLUMN marts.balance_monthly.period IS 'First day of the month.';
COMMENT ON COLUMN marts.balance_monthly.exports_musd IS 'US exports to the partner, millions of US dollars.';
COMMENT ON COLUMN marts.balance_monthly.imports_musd IS 'US imports from the partner (general imports for Census data), millions of US dollars.';
COMMENT ON COLUMN marts.balance_monthly.balance_musd IS 'Balance as published, else exports - imports (also where exports and imports were revised after the balance was printed, by a source that prints none); millions of US dollars; negative = US deficit.';
COMMENT ON COLUMN marts.balance_monthly.basis IS 'census (Census basis) or bop (balance of payments). Never add rows of two bases.';
COMMENT ON COLUMN marts.balance_monthly.adjustment IS 'nsa (not seasonally adjusted) or sa. Never add rows of two adjustments.';
COMMENT ON COLUMN marts.balance_monthly.is_aggregate IS 'True for aggregates (world, regions, groups): exclude them when adding up countries.';
COMMENT ON COLUMN marts.balance_monthly.source IS 'Source(s) the latest figures come from.';
