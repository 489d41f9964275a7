-- marts.deficit_records: records to date and all-time ranks compare a month with every other
-- month of its series: a month published changes the whole series.
SELECT DISTINCT partner_code, product, basis, adjustment
FROM touched
WHERE frequency = 'M' AND commodity_class = 'total'
