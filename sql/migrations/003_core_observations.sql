-- Every vintage of every observed value. A revision is a new row under a new release_id, never
-- an update. Dimensions name basis and adjustment so that nobody sums across them by accident.
CREATE TABLE core.observations (
    release_id           BIGINT NOT NULL,
    source               VARCHAR NOT NULL,
    basis                VARCHAR NOT NULL,
    adjustment           VARCHAR NOT NULL,
    flow                 VARCHAR NOT NULL,
    partner_code         VARCHAR NOT NULL,
    partner_name         VARCHAR,
    partner_is_aggregate BOOLEAN NOT NULL,
    commodity_class      VARCHAR NOT NULL,
    commodity_code       VARCHAR NOT NULL,
    frequency            VARCHAR NOT NULL,
    period               DATE NOT NULL,
    value_musd           DECIMAL(18, 6) NOT NULL
);
COMMENT ON TABLE core.observations IS 'Observed trade values, every vintage kept: one row per (release, series, period). Values in millions of US dollars, exact.';
COMMENT ON COLUMN core.observations.release_id IS 'Vintage the value was published in (ops.releases).';
COMMENT ON COLUMN core.observations.source IS 'Source module the value came from, e.g. census_country.';
COMMENT ON COLUMN core.observations.basis IS 'census (Census basis, goods as they cross the border) or bop (balance-of-payments basis). Never add the two.';
COMMENT ON COLUMN core.observations.adjustment IS 'nsa (not seasonally adjusted) or sa (seasonally adjusted). Never add the two.';
COMMENT ON COLUMN core.observations.flow IS 'exports or imports (general imports for Census country data).';
COMMENT ON COLUMN core.observations.partner_code IS 'Census country code as text (leading zeros kept); 00xx codes are aggregates (world, regions, groups).';
COMMENT ON COLUMN core.observations.partner_name IS 'Partner name as published in this vintage.';
COMMENT ON COLUMN core.observations.partner_is_aggregate IS 'True for 00xx aggregate codes (world totals, regions, groups): do not add them to countries.';
COMMENT ON COLUMN core.observations.commodity_class IS 'Commodity classification: total (all goods), enduse, hs.';
COMMENT ON COLUMN core.observations.commodity_code IS 'Code within commodity_class; "-" for the total.';
COMMENT ON COLUMN core.observations.frequency IS 'M (monthly value; period is the first day of the month) or A (annual; period is January 1).';
COMMENT ON COLUMN core.observations.period IS 'Reference period: first day of the month (or year) the value is for.';
COMMENT ON COLUMN core.observations.value_musd IS 'Value in millions of US dollars, exact to the dollar (DECIMAL, never floating point).';
