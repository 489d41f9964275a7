-- Staged rows of the Census country file, one batch per vintage (release_id). Rows of a published
-- vintage are removed in its publish transaction; rows of a quarantined vintage stay for inspection.
CREATE TABLE staging.census_country (
    release_id           BIGINT NOT NULL,
    period               DATE,
    partner_code         VARCHAR,
    partner_name         VARCHAR,
    partner_is_aggregate BOOLEAN,
    adjustment           VARCHAR,
    flow                 VARCHAR,
    value_musd           DECIMAL(18, 6),
    reported_annual_musd DECIMAL(18, 6)
);
COMMENT ON TABLE staging.census_country IS 'Census country file (country.xlsx) parsed to long rows, one batch per vintage, awaiting validation.';
COMMENT ON COLUMN staging.census_country.release_id IS 'Vintage (ops.releases) this batch belongs to.';
COMMENT ON COLUMN staging.census_country.period IS 'First day of the month.';
COMMENT ON COLUMN staging.census_country.partner_code IS 'CTY_CODE as text.';
COMMENT ON COLUMN staging.census_country.partner_name IS 'CTYNAME.';
COMMENT ON COLUMN staging.census_country.partner_is_aggregate IS 'True for 00xx aggregate codes.';
COMMENT ON COLUMN staging.census_country.adjustment IS 'sa for code 0004 (World, seasonally adjusted), nsa otherwise.';
COMMENT ON COLUMN staging.census_country.flow IS 'exports (E columns) or imports (I columns).';
COMMENT ON COLUMN staging.census_country.value_musd IS 'Monthly value, $ millions, Census basis.';
COMMENT ON COLUMN staging.census_country.reported_annual_musd IS 'The row''s annual column (IYR or EYR) as published: checked against the sum of the months, not loaded.';
