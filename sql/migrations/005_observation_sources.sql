-- Sources beyond the country file (Census API, FT-900, ALFRED) and one series model for all.
-- product says goods, services or both; vintage_at says when each value was published, which
-- a payload of many vintages (ALFRED) cannot carry in its release alone.
ALTER TABLE core.observations ADD COLUMN product VARCHAR DEFAULT 'goods';
ALTER TABLE core.observations ADD COLUMN vintage_at TIMESTAMPTZ;
ALTER TABLE core.observations ADD COLUMN vintage_end DATE;
ALTER TABLE core.observations ADD COLUMN revised BOOLEAN;
ALTER TABLE core.observations ADD COLUMN series_id VARCHAR;
ALTER TABLE core.observations ADD COLUMN row_kind VARCHAR;

UPDATE core.observations
SET vintage_at = releases.published_at, row_kind = 'month'
FROM ops.releases AS releases
WHERE releases.release_id = core.observations.release_id;

COMMENT ON COLUMN core.observations.product IS 'goods, services or goods_and_services.';
COMMENT ON COLUMN core.observations.vintage_at IS 'When this value was published: the release''s publication time; for ALFRED the start of its real-time period; for an FT-900 "as published last month" line one month before the release that reprinted it (the previous monthly release, an estimate to the day).';
COMMENT ON COLUMN core.observations.vintage_end IS 'ALFRED only: last day the value was current (9999-12-31 = still current).';
COMMENT ON COLUMN core.observations.revised IS 'The release marked the figure revised (FT-900 "(R)"); NULL where the source has no such mark.';
COMMENT ON COLUMN core.observations.series_id IS 'The agency''s series id where there is one (FRED: BOPGSTB, BOPTEXP, BOPTIMP).';
COMMENT ON COLUMN core.observations.row_kind IS 'month, annual, as_published_last_month (FT-900: the previous month''s first print) or observation (ALFRED).';

-- Staged rows of every observation-shaped source, one batch per vintage (release_id).
CREATE TABLE staging.observations (
    release_id           BIGINT NOT NULL,
    dataset              VARCHAR NOT NULL,
    period               DATE,
    frequency            VARCHAR,
    basis                VARCHAR,
    adjustment           VARCHAR,
    product              VARCHAR,
    flow                 VARCHAR,
    partner_code         VARCHAR,
    partner_name         VARCHAR,
    partner_is_aggregate BOOLEAN,
    commodity_class      VARCHAR,
    commodity_code       VARCHAR,
    value_text           VARCHAR,
    unit                 VARCHAR,
    value_musd           DECIMAL(18, 6),
    series_id            VARCHAR,
    row_kind             VARCHAR,
    revised              BOOLEAN,
    vintage_start        DATE,
    vintage_end          DATE
);
COMMENT ON TABLE staging.observations IS 'Parsed batches of the Census API, FT-900 and ALFRED sources awaiting validation, one per vintage (release_id). Published batches are removed; quarantined ones stay.';
COMMENT ON COLUMN staging.observations.release_id IS 'Vintage (ops.releases) this batch belongs to.';
COMMENT ON COLUMN staging.observations.dataset IS 'Dataset, whose suite is expectations/<dataset>.json.';
COMMENT ON COLUMN staging.observations.period IS 'First day of the month (frequency M) or year (A).';
COMMENT ON COLUMN staging.observations.frequency IS 'M or A.';
COMMENT ON COLUMN staging.observations.basis IS 'census or bop.';
COMMENT ON COLUMN staging.observations.adjustment IS 'nsa or sa.';
COMMENT ON COLUMN staging.observations.product IS 'goods, services or goods_and_services.';
COMMENT ON COLUMN staging.observations.flow IS 'exports, imports or balance.';
COMMENT ON COLUMN staging.observations.partner_code IS 'Census country code as text; - = all countries.';
COMMENT ON COLUMN staging.observations.partner_name IS 'Partner name as published.';
COMMENT ON COLUMN staging.observations.partner_is_aggregate IS 'True for totals and groups of countries.';
COMMENT ON COLUMN staging.observations.commodity_class IS 'total or enduse.';
COMMENT ON COLUMN staging.observations.commodity_code IS 'End-use code, or - for the total.';
COMMENT ON COLUMN staging.observations.value_text IS 'The value exactly as published, in unit.';
COMMENT ON COLUMN staging.observations.unit IS 'usd (whole dollars) or musd (millions of dollars), as published.';
COMMENT ON COLUMN staging.observations.value_musd IS 'value_text in millions of US dollars, exact; NULL when it is not a number.';
COMMENT ON COLUMN staging.observations.series_id IS 'Agency series id (FRED).';
COMMENT ON COLUMN staging.observations.row_kind IS 'month, annual, as_published_last_month or observation.';
COMMENT ON COLUMN staging.observations.revised IS 'Marked revised by the release.';
COMMENT ON COLUMN staging.observations.vintage_start IS 'ALFRED realtime_start.';
COMMENT ON COLUMN staging.observations.vintage_end IS 'ALFRED realtime_end.';
