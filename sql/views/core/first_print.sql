-- core.first_print: each series and period once, valued as in the oldest vintage held here
-- (the first print when the warehouse holds the first release).
-- A series is what was measured, not who published it: FT-900 and ALFRED vintages of the
-- headline balance, or the country file and the API for a partner, are one series.
CREATE OR REPLACE VIEW core.first_print AS
WITH ranked AS (
    SELECT * FROM core.observations_ranked
),
final AS (
    SELECT *
    FROM ranked
    QUALIFY row_number() OVER (
        PARTITION BY basis, adjustment, product, flow, partner_code, commodity_class,
            commodity_code, frequency, period
        ORDER BY vintage_at ASC, source_rank ASC, release_id ASC
    ) = 1
)
SELECT * FROM final;

COMMENT ON VIEW core.first_print IS 'One row per series and period: the value in the oldest vintage held here (the first print when the warehouse holds the first release). Millions of US dollars, exact.';
COMMENT ON COLUMN core.first_print.release_id IS 'Vintage the value comes from.';
COMMENT ON COLUMN core.first_print.source IS 'Source that published it.';
COMMENT ON COLUMN core.first_print.basis IS 'census or bop. Never add the two.';
COMMENT ON COLUMN core.first_print.adjustment IS 'nsa or sa. Never add the two.';
COMMENT ON COLUMN core.first_print.flow IS 'exports, imports or balance.';
COMMENT ON COLUMN core.first_print.partner_code IS 'Census country code (text); 00xx = aggregate; - = all countries.';
COMMENT ON COLUMN core.first_print.partner_name IS 'Partner name as published in that vintage.';
COMMENT ON COLUMN core.first_print.partner_is_aggregate IS 'True for aggregates (world, regions, groups).';
COMMENT ON COLUMN core.first_print.commodity_class IS 'total, enduse (1-digit categories 0-5, FT-900 commodity lines such as 3.passenger_cars_new_and_used, 5-digit codes, petroleum and non_petroleum), motor_vehicles (FT-900 Exhibit 18) or petroleum (Exhibit 17).';
COMMENT ON COLUMN core.first_print.commodity_code IS 'End-use code; - for the total.';
COMMENT ON COLUMN core.first_print.frequency IS 'M (month), Q (quarter: period is its first month), A (year) or YTD (year to date: January to the month of period).';
COMMENT ON COLUMN core.first_print.period IS 'First day of the reference month (or year).';
COMMENT ON COLUMN core.first_print.value_musd IS 'Value, millions of US dollars, exact.';
COMMENT ON COLUMN core.first_print.product IS 'goods, services or goods_and_services.';
COMMENT ON COLUMN core.first_print.vintage_at IS 'When the value was published.';
COMMENT ON COLUMN core.first_print.vintage_end IS 'ALFRED: last day the value was current.';
COMMENT ON COLUMN core.first_print.revised IS 'Marked revised by its release (FT-900 "(R)").';
COMMENT ON COLUMN core.first_print.series_id IS 'Agency series id (FRED).';
COMMENT ON COLUMN core.first_print.row_kind IS 'month, quarter, annual, year_to_date, as_published_last_month or observation.';
COMMENT ON COLUMN core.first_print.source_rank IS 'Tie-break between sources (core.observations_ranked).';
