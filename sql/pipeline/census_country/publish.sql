-- Publish a validated vintage into core and clear its staged rows. Runs inside the publish
-- transaction together with the ops.loads ledger row.
INSERT INTO core.observations (
    release_id, source, basis, adjustment, flow, partner_code, partner_name,
    partner_is_aggregate, commodity_class, commodity_code, frequency, period, value_musd,
    product, vintage_at, row_kind
)
SELECT
    staged.release_id,
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
    value_musd,
    'goods' AS product,
    releases.published_at AS vintage_at,
    'month' AS row_kind
FROM staged_batch AS staged
JOIN ops.releases AS releases USING (release_id)
WHERE staged.release_id = getvariable('release_id');
