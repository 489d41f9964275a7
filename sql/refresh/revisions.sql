-- marts.revisions: a series and period, first print against latest (its balance derived from
-- its exports and imports where none is published): any of its values published changes it.
SELECT DISTINCT
    basis, adjustment, product, partner_code, commodity_class, commodity_code, frequency, period
FROM touched
