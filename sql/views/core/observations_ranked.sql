-- core.observations_ranked: every published value with what orders its vintages.
CREATE OR REPLACE VIEW core.observations_ranked AS
WITH observations AS (
    SELECT * FROM core.observations
),
vintages AS (
    SELECT release_id FROM core.vintages
),
precedence AS (
    SELECT source, precedence FROM ops.source_precedence
),
final AS (
    SELECT
        observations.*,
        -- When two sources publish the same series on the same day, the release itself (FT-900)
        -- wins over files and APIs, and those over FRED's copy of it; a source no longer in the
        -- registry comes last.
        coalesce(precedence.precedence, 99) AS source_rank
    FROM observations
    JOIN vintages USING (release_id)
    LEFT JOIN precedence USING (source)
)
SELECT * FROM final;

COMMENT ON VIEW core.observations_ranked IS 'Values of published vintages only (a quarantined or unfinished vintage never shows), with source_rank to break ties between sources publishing a series on the same day.';
COMMENT ON COLUMN core.observations_ranked.release_id IS 'Vintage the value was loaded from (ops.releases).';
COMMENT ON COLUMN core.observations_ranked.source IS 'Source module name.';
COMMENT ON COLUMN core.observations_ranked.basis IS 'census or bop. Never add the two.';
COMMENT ON COLUMN core.observations_ranked.adjustment IS 'nsa or sa. Never add the two.';
COMMENT ON COLUMN core.observations_ranked.flow IS 'exports, imports or balance.';
COMMENT ON COLUMN core.observations_ranked.partner_code IS 'Census country code (text); 00xx = aggregate; - = all countries.';
COMMENT ON COLUMN core.observations_ranked.partner_name IS 'Partner name as published in that vintage.';
COMMENT ON COLUMN core.observations_ranked.partner_is_aggregate IS 'True for aggregates (world, regions, groups).';
COMMENT ON COLUMN core.observations_ranked.commodity_class IS 'total, enduse (1-digit categories 0-5, FT-900 commodity lines such as 3.passenger_cars_new_and_used, 5-digit codes, petroleum and non_petroleum), motor_vehicles (FT-900 Exhibit 18) or petroleum (Exhibit 17).';
COMMENT ON COLUMN core.observations_ranked.commodity_code IS 'End-use code; - for the total.';
COMMENT ON COLUMN core.observations_ranked.frequency IS 'M (month), Q (quarter: period is its first month), A (year) or YTD (year to date: January to the month of period).';
COMMENT ON COLUMN core.observations_ranked.period IS 'First day of the reference month (or year).';
COMMENT ON COLUMN core.observations_ranked.value_musd IS 'Value, millions of US dollars, exact.';
COMMENT ON COLUMN core.observations_ranked.product IS 'goods, services or goods_and_services.';
COMMENT ON COLUMN core.observations_ranked.vintage_at IS 'When the value was published (see core.observations.vintage_at).';
COMMENT ON COLUMN core.observations_ranked.vintage_end IS 'ALFRED: last day the value was current.';
COMMENT ON COLUMN core.observations_ranked.revised IS 'Marked revised by its release (FT-900 "(R)").';
COMMENT ON COLUMN core.observations_ranked.series_id IS 'Agency series id (FRED).';
COMMENT ON COLUMN core.observations_ranked.row_kind IS 'month, quarter, annual, year_to_date, as_published_last_month or observation.';
COMMENT ON COLUMN core.observations_ranked.source_rank IS 'ops.source_precedence of its source (1 ft900, 2 census_country, 3 census_api, 4 others): breaks ties of vintage_at.';
