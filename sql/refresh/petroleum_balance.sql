-- marts.petroleum_balance: all countries' goods only; a period (of a frequency) sets its
-- petroleum rows and the BOP total beside them.
SELECT DISTINCT period, frequency
FROM touched
WHERE partner_code = '-' AND product = 'goods'
