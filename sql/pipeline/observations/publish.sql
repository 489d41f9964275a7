-- Publish a validated vintage of an observation-shaped source into core and clear its staged
-- rows; runs inside the publish transaction with the ops.loads ledger row. Rows without a value
-- (not published, e.g. a NULL cell of the Census API) are not observations. vintage_at: see
-- the comment on core.observations.vintage_at.
-- The vintage's ledger row is read into variables first, not joined: the planner cannot size a
-- batch staged as a view over joins (it guesses a few rows) and would build its hash table on
-- the batch, millions of rows, instead of on the one ledger row. No ledger row: nothing is
-- published (publish_release then refuses the vintage).
SET VARIABLE release_source = (
    SELECT source FROM ops.releases WHERE release_id = getvariable('release_id')
);
SET VARIABLE release_published_at = (
    SELECT published_at FROM ops.releases WHERE release_id = getvariable('release_id')
);
INSERT INTO core.observations (
    release_id, source, basis, adjustment, flow, partner_code, partner_name,
    partner_is_aggregate, commodity_class, commodity_code, frequency, period, value_musd,
    product, vintage_at, vintage_end, revised, series_id, row_kind
)
SELECT
    staged.release_id,
    getvariable('release_source'),
    staged.basis,
    staged.adjustment,
    staged.flow,
    staged.partner_code,
    staged.partner_name,
    staged.partner_is_aggregate,
    staged.commodity_class,
    staged.commodity_code,
    staged.frequency,
    staged.period,
    staged.value_musd,
    staged.product,
    CASE
        WHEN staged.vintage_start IS NOT NULL
            THEN CAST(staged.vintage_start AS TIMESTAMP) AT TIME ZONE 'UTC'
        WHEN staged.row_kind = 'as_published_last_month'
            THEN getvariable('release_published_at') - INTERVAL 1 MONTH
        ELSE getvariable('release_published_at')
    END,
    staged.vintage_end,
    staged.revised,
    staged.series_id,
    staged.row_kind
FROM staged_batch AS staged
WHERE staged.release_id = getvariable('release_id') AND staged.value_musd IS NOT NULL
    AND getvariable('release_source') IS NOT NULL;
