-- Report section 5: the largest revisions held, first value against latest (millions of US
-- dollars), largest absolute change first. $top: how many rows.
SELECT
    partner_name,
    period,
    frequency,
    product,
    measure,
    basis,
    adjustment,
    first_value_musd,
    first_source,
    latest_value_musd,
    latest_source,
    revision_musd
FROM marts.revisions
WHERE revision_musd <> 0
ORDER BY abs(revision_musd) DESC, period, partner_name, product, measure
LIMIT $top
