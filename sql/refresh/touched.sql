-- The keys published since the last view build: every series and period of the rows of the
-- loads after it (ops.loads.load_id > since_load; a vintage released from quarantine is a
-- load too). HS detail (commodity_class 'hs') is left out: no materialized mart reads it
-- (marts.revisions neither: see its comment), so publishing it refreshes no mart.
SELECT DISTINCT
    basis, adjustment, product, flow, partner_code, commodity_class, commodity_code,
    frequency, period
FROM core.observations
WHERE release_id IN (
        SELECT release_id FROM ops.loads WHERE load_id > getvariable('since_load')
    )
    AND commodity_class <> 'hs'
