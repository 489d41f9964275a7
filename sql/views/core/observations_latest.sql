-- core.observations_latest: each series and period once, valued as in the newest vintage that holds it.
CREATE OR REPLACE VIEW core.observations_latest AS
WITH observations AS (
    SELECT * FROM core.observations
),
vintages AS (
    SELECT release_id, published_at FROM core.vintages
),
ranked AS (
    SELECT observations.*, vintages.published_at
    FROM observations
    JOIN vintages USING (release_id)
    QUALIFY row_number() OVER (
        PARTITION BY source, basis, adjustment, flow, partner_code, commodity_class,
            commodity_code, frequency, period
        ORDER BY vintages.published_at DESC, release_id DESC
    ) = 1
)
SELECT * FROM ranked;

COMMENT ON VIEW core.observations_latest IS 'One row per series and period: the value in the newest vintage that holds it. Millions of US dollars, exact.';
COMMENT ON COLUMN core.observations_latest.release_id IS 'Vintage the value comes from.';
COMMENT ON COLUMN core.observations_latest.source IS 'Source module name.';
COMMENT ON COLUMN core.observations_latest.basis IS 'census or bop. Never add the two.';
COMMENT ON COLUMN core.observations_latest.adjustment IS 'nsa or sa. Never add the two.';
COMMENT ON COLUMN core.observations_latest.flow IS 'exports or imports.';
COMMENT ON COLUMN core.observations_latest.partner_code IS 'Census country code (text); 00xx = aggregate.';
COMMENT ON COLUMN core.observations_latest.partner_name IS 'Partner name as published in that vintage.';
COMMENT ON COLUMN core.observations_latest.partner_is_aggregate IS 'True for aggregates (world, regions, groups).';
COMMENT ON COLUMN core.observations_latest.commodity_class IS 'total, enduse or hs.';
COMMENT ON COLUMN core.observations_latest.commodity_code IS 'Code within commodity_class; - for the total.';
COMMENT ON COLUMN core.observations_latest.frequency IS 'M (monthly) or A (annual).';
COMMENT ON COLUMN core.observations_latest.period IS 'First day of the reference month (or year).';
COMMENT ON COLUMN core.observations_latest.value_musd IS 'Value, millions of US dollars, exact.';
COMMENT ON COLUMN core.observations_latest.published_at IS 'Publication time of the vintage the value comes from.';
