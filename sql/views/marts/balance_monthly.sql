-- marts.balance_monthly: exports, imports and balance by partner and month, latest vintage.
CREATE OR REPLACE VIEW marts.balance_monthly AS
WITH latest AS (
    SELECT * FROM core.observations_latest
    WHERE frequency = 'M' AND commodity_class = 'total'
),
pivoted AS (
    SELECT
        source,
        basis,
        adjustment,
        partner_code,
        arg_max(partner_name, published_at) AS partner_name,
        bool_or(partner_is_aggregate) AS is_aggregate,
        period,
        sum(value_musd) FILTER (WHERE flow = 'exports') AS exports_musd,
        sum(value_musd) FILTER (WHERE flow = 'imports') AS imports_musd,
        max(published_at) AS published_at
    FROM latest
    GROUP BY source, basis, adjustment, partner_code, period
),
final AS (
    SELECT
        partner_code,
        partner_name,
        period,
        CAST(exports_musd AS DECIMAL(18, 6)) AS exports_musd,
        CAST(imports_musd AS DECIMAL(18, 6)) AS imports_musd,
        CAST(exports_musd - imports_musd AS DECIMAL(18, 6)) AS balance_musd,
        basis,
        adjustment,
        is_aggregate,
        source,
        published_at
    FROM pivoted
)
-- Ordered so that a plain filter reads in time order.
SELECT * FROM final
ORDER BY partner_code, period, basis, adjustment, source;

COMMENT ON VIEW marts.balance_monthly IS 'US goods trade by partner and month as now published (latest vintage): exports, imports and balance in millions of US dollars. Census country data: Census basis, not seasonally adjusted (code 0004 World is seasonally adjusted).';
COMMENT ON COLUMN marts.balance_monthly.partner_code IS 'Census country code (text, leading zeros kept); 00xx codes are aggregates.';
COMMENT ON COLUMN marts.balance_monthly.partner_name IS 'Partner name as in the latest vintage.';
COMMENT ON COLUMN marts.balance_monthly.period IS 'First day of the month.';
COMMENT ON COLUMN marts.balance_monthly.exports_musd IS 'US exports to the partner, millions of US dollars.';
COMMENT ON COLUMN marts.balance_monthly.imports_musd IS 'US imports from the partner (general imports), millions of US dollars.';
COMMENT ON COLUMN marts.balance_monthly.balance_musd IS 'exports - imports, millions of US dollars; negative = US deficit with the partner.';
COMMENT ON COLUMN marts.balance_monthly.basis IS 'census (Census basis) or bop. Never add rows of two bases.';
COMMENT ON COLUMN marts.balance_monthly.adjustment IS 'nsa (not seasonally adjusted) or sa. Never add rows of two adjustments.';
COMMENT ON COLUMN marts.balance_monthly.is_aggregate IS 'True for aggregates (world, regions, groups): exclude them when adding up countries.';
COMMENT ON COLUMN marts.balance_monthly.source IS 'Source module the figures come from.';
COMMENT ON COLUMN marts.balance_monthly.published_at IS 'Publication time of the vintage the figures come from.';
