-- marts.revisions: per series, period and measure, the first value held against the latest.
-- A table: analysts query it often, and computing it means ranking every vintage of every
-- value; a refresh recomputes only the series and periods published since (sql/refresh).
-- HS detail (commodity_class 'hs', Census API HS2..HS10) is left out: millions of series a
-- year, nearly all printed once (the API serves the current vintage), would make this table
-- as big as core and its refresh scan every HS row. Its revisions are one query away, on
-- demand for the codes asked: core.first_print joined with core.latest.
CREATE OR REPLACE TABLE marts.revisions AS
WITH first AS (
    SELECT * FROM core.first_print WHERE commodity_class <> 'hs'
),
latest AS (
    SELECT * FROM core.latest WHERE commodity_class <> 'hs'
),
seen AS (
    SELECT
        basis, adjustment, product, flow, partner_code, commodity_class, commodity_code,
        frequency, period,
        count(DISTINCT vintage_at) AS vintages_seen,
        count(DISTINCT value_musd) AS distinct_values
    FROM core.observations_ranked
    WHERE commodity_class <> 'hs'
    GROUP BY ALL
),
published AS (
    SELECT
        latest.basis, latest.adjustment, latest.product, latest.flow AS measure,
        latest.partner_code, latest.partner_name, latest.partner_is_aggregate,
        latest.commodity_class, latest.commodity_code, latest.frequency, latest.period,
        first.value_musd AS first_value,
        latest.value_musd AS latest_value,
        first.vintage_at AS first_published_at,
        latest.vintage_at AS latest_published_at,
        first.source AS first_source,
        latest.source AS latest_source,
        first.release_id AS first_release_id,
        latest.release_id AS latest_release_id,
        seen.vintages_seen,
        seen.distinct_values
    FROM latest
    JOIN first USING (basis, adjustment, product, flow, partner_code, commodity_class,
                      commodity_code, frequency, period)
    JOIN seen USING (basis, adjustment, product, flow, partner_code, commodity_class,
                     commodity_code, frequency, period)
),
-- Where no balance is published for a series (the Census data), it is exports - imports, as
-- first printed and as now.
derived_balance AS (
    SELECT
        basis, adjustment, product, 'balance' AS measure, partner_code,
        any_value(partner_name) AS partner_name,
        bool_or(partner_is_aggregate) AS partner_is_aggregate,
        commodity_class, commodity_code, frequency, period,
        sum(CASE measure WHEN 'exports' THEN first_value ELSE -first_value END) AS first_value,
        sum(CASE measure WHEN 'exports' THEN latest_value ELSE -latest_value END)
            AS latest_value,
        max(first_published_at) AS first_published_at,
        max(latest_published_at) AS latest_published_at,
        min(first_source) AS first_source,
        min(latest_source) AS latest_source,
        max(first_release_id) AS first_release_id,
        max(latest_release_id) AS latest_release_id,
        max(vintages_seen) AS vintages_seen,
        max(distinct_values) AS distinct_values
    FROM published
    WHERE measure IN ('exports', 'imports')
    GROUP BY basis, adjustment, product, partner_code, commodity_class, commodity_code,
        frequency, period
    HAVING count(*) = 2
),
balances_missing AS (
    SELECT * FROM derived_balance
    ANTI JOIN (SELECT * FROM published WHERE measure = 'balance') AS published_balance
        USING (basis, adjustment, product, partner_code, commodity_class, commodity_code,
               frequency, period)
),
-- A balance published once (an FT-900 exhibit by country) and exports and imports revised
-- later by a source that prints no balance (the country file): the first value is the one
-- printed, the latest is exports - imports as now published.
balances_published AS (
    SELECT
        printed.* REPLACE (
            CASE WHEN newer THEN derived.latest_value ELSE printed.latest_value END
                AS latest_value,
            CASE WHEN newer THEN derived.latest_published_at ELSE printed.latest_published_at END
                AS latest_published_at,
            CASE WHEN newer THEN derived.latest_source ELSE printed.latest_source END
                AS latest_source,
            CASE WHEN newer THEN derived.latest_release_id ELSE printed.latest_release_id END
                AS latest_release_id,
            greatest(printed.vintages_seen, derived.vintages_seen) AS vintages_seen,
            CASE WHEN newer THEN greatest(printed.distinct_values, derived.distinct_values)
                ELSE printed.distinct_values END AS distinct_values
        )
    FROM (SELECT * FROM published WHERE measure = 'balance') AS printed
    LEFT JOIN derived_balance AS derived
        USING (basis, adjustment, product, partner_code, commodity_class, commodity_code,
               frequency, period),
    LATERAL (SELECT coalesce(derived.latest_published_at > printed.latest_published_at, false)
        AS newer)
),
final AS (
    SELECT
        partner_code,
        partner_name,
        period,
        frequency,
        product,
        measure,
        CAST(first_value AS DECIMAL(18, 6)) AS first_value_musd,
        CAST(latest_value AS DECIMAL(18, 6)) AS latest_value_musd,
        CAST(latest_value - first_value AS DECIMAL(18, 6)) AS revision_musd,
        first_published_at,
        latest_published_at,
        first_source,
        latest_source,
        first_release_id,
        latest_release_id,
        vintages_seen,
        distinct_values,
        partner_is_aggregate AS is_aggregate,
        commodity_class,
        commodity_code,
        basis,
        adjustment
    FROM (
        SELECT * FROM published WHERE measure <> 'balance'
        UNION ALL BY NAME SELECT * FROM balances_published
        UNION ALL BY NAME SELECT * FROM balances_missing
    )
)
SELECT * FROM final
ORDER BY partner_code, product, basis, adjustment, commodity_class, commodity_code,
    frequency, period, measure;

COMMENT ON TABLE marts.revisions IS 'Revisions: for each series (partner, product, basis, adjustment, commodity), period and measure (exports, imports, balance), the value in the oldest vintage held against the latest, millions of US dollars. Filter revision_musd <> 0 for the revised ones. The headline goods and services balance (partner -, bop, sa) combines FT-900 releases and ALFRED vintages. HS detail (commodity_class hs) is not held here: compare core.first_print with core.latest for the codes wanted.';
COMMENT ON COLUMN marts.revisions.period IS 'First day of the reference month (or year for frequency A).';
COMMENT ON COLUMN marts.revisions.measure IS 'exports, imports or balance (as published, else exports - imports).';
COMMENT ON COLUMN marts.revisions.first_value_musd IS 'Value in the oldest vintage held here, millions of US dollars: the first print when the warehouse holds the first release.';
COMMENT ON COLUMN marts.revisions.latest_value_musd IS 'Value in the newest vintage, millions of US dollars.';
COMMENT ON COLUMN marts.revisions.revision_musd IS 'latest - first, millions of US dollars.';
COMMENT ON COLUMN marts.revisions.first_published_at IS 'When the first value was published.';
COMMENT ON COLUMN marts.revisions.latest_published_at IS 'When the latest value was published.';
COMMENT ON COLUMN marts.revisions.first_source IS 'Source of the first value.';
COMMENT ON COLUMN marts.revisions.latest_source IS 'Source of the latest value.';
COMMENT ON COLUMN marts.revisions.first_release_id IS 'Vintage (ops.releases) of the first value.';
COMMENT ON COLUMN marts.revisions.latest_release_id IS 'Vintage (ops.releases) of the latest value.';
COMMENT ON COLUMN marts.revisions.vintages_seen IS 'Distinct publication times at which the value was published (for a derived balance, the larger count of its two flows).';
COMMENT ON COLUMN marts.revisions.distinct_values IS 'Distinct values among those vintages (1 = never revised).';
