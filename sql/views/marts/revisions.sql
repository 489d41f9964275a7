-- marts.revisions: per partner, month and measure, the first value held against the latest.
CREATE OR REPLACE VIEW marts.revisions AS
WITH observations AS (
    SELECT observations.*, vintages.published_at
    FROM core.observations AS observations
    JOIN core.vintages AS vintages USING (release_id)
    WHERE frequency = 'M' AND commodity_class = 'total'
),
by_vintage AS (
    SELECT
        source, basis, adjustment, partner_code, period, release_id, published_at,
        any_value(partner_name) AS partner_name,
        bool_or(partner_is_aggregate) AS is_aggregate,
        sum(value_musd) FILTER (WHERE flow = 'exports') AS exports,
        sum(value_musd) FILTER (WHERE flow = 'imports') AS imports
    FROM observations
    GROUP BY source, basis, adjustment, partner_code, period, release_id, published_at
),
measures AS (
    UNPIVOT (SELECT *, exports - imports AS balance FROM by_vintage)
    ON exports, imports, balance
    INTO NAME measure VALUE value_musd
),
compared AS (
    SELECT
        partner_code,
        arg_max(partner_name, (published_at, release_id)) AS partner_name,
        period,
        measure,
        arg_min(value_musd, (published_at, release_id)) AS first_value_musd,
        arg_max(value_musd, (published_at, release_id)) AS latest_value_musd,
        arg_min(release_id, (published_at, release_id)) AS first_release_id,
        arg_max(release_id, (published_at, release_id)) AS latest_release_id,
        min(published_at) AS first_published_at,
        max(published_at) AS latest_published_at,
        count(*) AS vintages_seen,
        count(DISTINCT value_musd) AS distinct_values,
        bool_or(is_aggregate) AS is_aggregate,
        basis,
        adjustment,
        source
    FROM measures
    GROUP BY source, basis, adjustment, partner_code, period, measure
),
final AS (
    SELECT
        partner_code, partner_name, period, measure,
        CAST(first_value_musd AS DECIMAL(18, 6)) AS first_value_musd,
        CAST(latest_value_musd AS DECIMAL(18, 6)) AS latest_value_musd,
        CAST(latest_value_musd - first_value_musd AS DECIMAL(18, 6)) AS revision_musd,
        first_release_id, first_published_at, latest_release_id, latest_published_at,
        vintages_seen, distinct_values, is_aggregate, basis, adjustment, source
    FROM compared
)
-- Ordered so that a plain filter reads in time order.
SELECT * FROM final
ORDER BY partner_code, period, measure, basis, adjustment, source;

COMMENT ON VIEW marts.revisions IS 'Revisions: for each partner, month and measure (exports, imports, balance), the value in the oldest vintage held here against the latest, millions of US dollars. Filter revision_musd <> 0 for the revised ones.';
COMMENT ON COLUMN marts.revisions.partner_code IS 'Census country code (text); 00xx = aggregate.';
COMMENT ON COLUMN marts.revisions.partner_name IS 'Partner name as in the latest vintage.';
COMMENT ON COLUMN marts.revisions.period IS 'First day of the reference month.';
COMMENT ON COLUMN marts.revisions.measure IS 'exports, imports or balance (exports - imports).';
COMMENT ON COLUMN marts.revisions.first_value_musd IS 'Value in the oldest vintage held here that has the month, millions of US dollars. It is the first print only if the warehouse holds that release.';
COMMENT ON COLUMN marts.revisions.latest_value_musd IS 'Value in the newest vintage that has the month, millions of US dollars.';
COMMENT ON COLUMN marts.revisions.revision_musd IS 'latest - first, millions of US dollars.';
COMMENT ON COLUMN marts.revisions.first_release_id IS 'Vintage of the first value (ops.releases).';
COMMENT ON COLUMN marts.revisions.first_published_at IS 'Publication time of that vintage.';
COMMENT ON COLUMN marts.revisions.latest_release_id IS 'Vintage of the latest value.';
COMMENT ON COLUMN marts.revisions.latest_published_at IS 'Publication time of that vintage.';
COMMENT ON COLUMN marts.revisions.vintages_seen IS 'Vintages held that publish this month.';
COMMENT ON COLUMN marts.revisions.distinct_values IS 'Different values among those vintages (1 = never revised).';
COMMENT ON COLUMN marts.revisions.is_aggregate IS 'True for aggregates (world, regions, groups).';
COMMENT ON COLUMN marts.revisions.basis IS 'census or bop. Never add the two.';
COMMENT ON COLUMN marts.revisions.adjustment IS 'nsa or sa. Never add the two.';
COMMENT ON COLUMN marts.revisions.source IS 'Source module the figures come from.';
