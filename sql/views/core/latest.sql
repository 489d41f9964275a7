-- core.latest: each series and period once, valued as in the newest vintage that holds it.
-- A series is what was measured, not who published it: FT-900 and ALFRED vintages of the
-- headline balance, or the country file and the API for a partner, are one series.
-- The latest value is what is known as of the end of time: one definition of "current",
-- core.as_of, for both.
CREATE OR REPLACE VIEW core.latest AS
SELECT * FROM core.as_of(DATE '9999-12-31');

COMMENT ON VIEW core.latest IS 'One row per series and period: the value in the newest vintage that holds it. Millions of US dollars, exact.';
COMMENT ON COLUMN core.latest.release_id IS 'Vintage the value comes from.';
COMMENT ON COLUMN core.latest.source IS 'Source that published it.';
COMMENT ON COLUMN core.latest.basis IS 'census or bop. Never add the two.';
COMMENT ON COLUMN core.latest.adjustment IS 'nsa or sa. Never add the two.';
COMMENT ON COLUMN core.latest.flow IS 'exports, imports or balance.';
COMMENT ON COLUMN core.latest.partner_code IS 'Census country code (text); 00xx = aggregate; - = all countries.';
COMMENT ON COLUMN core.latest.partner_name IS 'Partner name as published in that vintage.';
COMMENT ON COLUMN core.latest.partner_is_aggregate IS 'True for aggregates (world, regions, groups).';
COMMENT ON COLUMN core.latest.commodity_class IS 'total, enduse (1-digit categories 0-5, FT-900 commodity lines such as 3.passenger_cars_new_and_used, 5-digit codes, petroleum and non_petroleum), motor_vehicles (FT-900 Exhibit 18) or petroleum (Exhibit 17).';
COMMENT ON COLUMN core.latest.commodity_code IS 'End-use code; - for the total.';
COMMENT ON COLUMN core.latest.frequency IS 'M (month), Q (quarter: period is its first month), A (year) or YTD (year to date: January to the month of period).';
COMMENT ON COLUMN core.latest.period IS 'First day of the reference month (or year).';
COMMENT ON COLUMN core.latest.value_musd IS 'Value, millions of US dollars, exact.';
COMMENT ON COLUMN core.latest.product IS 'goods, services or goods_and_services.';
COMMENT ON COLUMN core.latest.vintage_at IS 'When the value was published.';
COMMENT ON COLUMN core.latest.vintage_end IS 'ALFRED: last day the value was current.';
COMMENT ON COLUMN core.latest.revised IS 'Marked revised by its release (FT-900 "(R)").';
COMMENT ON COLUMN core.latest.series_id IS 'Agency series id (FRED).';
COMMENT ON COLUMN core.latest.row_kind IS 'month, quarter, annual, year_to_date, as_published_last_month or observation.';
COMMENT ON COLUMN core.latest.source_rank IS 'Tie-break between sources (core.observations_ranked).';
