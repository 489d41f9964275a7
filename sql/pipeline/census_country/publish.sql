-- Publish a validated vintage into core and clear its staged rows. Runs inside the publish
-- transaction together with the ops.loads ledger row.
INSERT INTO core.observations
SELECT
    release_id,
    'census_country' AS source,
    'census' AS basis,
    adjustment,
    flow,
    partner_code,
    partner_name,
    partner_is_aggregate,
    'total' AS commodity_class,
    '-' AS commodity_code,
    'M' AS frequency,
    period,
    value_musd
FROM staging.census_country
WHERE release_id = getvariable('release_id');
DELETE FROM staging.census_country WHERE release_id = getvariable('release_id');
