-- The frame the FT-900 exhibit family suites (expectations/ft900_*.json) validate: the staged
-- exhibit, values as DOUBLE for Great Expectations only, and the identities the release itself
-- guarantees, each as a gap (published total - what its parts add up to), on the total's row:
--   identity_gap_musd  on balance rows: balance - (exports - imports) of the same cell
--   parts_gap_musd     on a total with parts: total - sum(parts). Parts: end-use categories
--                      (0-5) of the Census-basis total, commodity lines ("3.passenger_cars...")
--                      of their category, cars + trucks + parts of motor vehicles ("-")
--   partner_gap_musd   on an all-countries row (-): total - sum(leaves), leaves being the
--                      countries and the residual lines that complete them (other:*,
--                      unidentified, timing_adjustment); NULL where the exhibit lists no leaves
--   ytd_gap_musd       on a year-to-date row: YTD - sum of its months, where the exhibit shows
--                      every one of them
-- Everything is compared within one staged vintage (one exhibit of one release).
WITH staged AS (
    FROM staged_batch
),
keyed AS (
    SELECT
        *,
        (period, frequency, basis, adjustment, product, partner_code, commodity_class,
         commodity_code, row_kind) AS cell,
        CASE
            WHEN commodity_class = 'motor_vehicles' AND commodity_code <> '-'
                THEN {'class': 'motor_vehicles', 'code': '-'}
            WHEN commodity_class = 'enduse' AND commodity_code IN ('0', '1', '2', '3', '4', '5')
                THEN {'class': 'total', 'code': '-'}
            WHEN commodity_class = 'enduse' AND commodity_code LIKE '_.%'
                THEN {'class': 'enduse', 'code': left(commodity_code, 1)}
        END AS parent,
        partner_code <> '-' AND (
            NOT partner_is_aggregate
            OR partner_code LIKE 'other:%'
            OR partner_code IN ('unidentified', 'timing_adjustment')
        ) AS is_leaf
    FROM staged
),
flows AS (
    SELECT
        cell,
        max(value_musd) FILTER (WHERE flow = 'exports') AS exports,
        max(value_musd) FILTER (WHERE flow = 'imports') AS imports
    FROM keyed
    GROUP BY cell
),
parts AS (
    SELECT
        period, frequency, basis, adjustment, product, flow, partner_code, row_kind,
        parent.class AS commodity_class, parent.code AS commodity_code,
        sum(value_musd) AS parts_musd
    FROM keyed
    WHERE parent IS NOT NULL
    GROUP BY period, frequency, basis, adjustment, product, flow, partner_code, row_kind,
        parent
),
leaves AS (
    SELECT
        period, frequency, basis, adjustment, product, flow, commodity_class, commodity_code,
        row_kind, sum(value_musd) AS leaves_musd
    FROM keyed
    WHERE is_leaf
    GROUP BY period, frequency, basis, adjustment, product, flow, commodity_class,
        commodity_code, row_kind
),
months AS (
    SELECT
        year(period) AS year, month(period) AS month, basis, adjustment, product, flow,
        partner_code, commodity_class, commodity_code, value_musd
    FROM keyed
    WHERE frequency = 'M'
),
year_to_date AS (
    SELECT
        ytd.period, ytd.frequency, ytd.basis, ytd.adjustment, ytd.product, ytd.flow, ytd.partner_code,
        ytd.commodity_class, ytd.commodity_code,
        CASE WHEN count(months.month) = month(ytd.period) THEN sum(months.value_musd) END
            AS months_musd
    FROM keyed AS ytd
    JOIN months
        ON months.year = year(ytd.period) AND months.month <= month(ytd.period)
        AND (months.basis, months.adjustment, months.product, months.flow,
             months.partner_code, months.commodity_class, months.commodity_code)
          = (ytd.basis, ytd.adjustment, ytd.product, ytd.flow, ytd.partner_code,
             ytd.commodity_class, ytd.commodity_code)
    WHERE ytd.frequency = 'YTD'
    GROUP BY ytd.period, ytd.frequency, ytd.basis, ytd.adjustment, ytd.product, ytd.flow, ytd.partner_code,
        ytd.commodity_class, ytd.commodity_code
)
SELECT
    keyed.period,
    keyed.frequency,
    keyed.basis,
    keyed.adjustment,
    keyed.product,
    keyed.flow,
    keyed.partner_code,
    keyed.commodity_class,
    keyed.commodity_code,
    keyed.row_kind,
    CAST(keyed.value_musd AS DOUBLE) AS value_musd,
    keyed.value_text IS NULL OR keyed.value_musd IS NOT NULL AS value_is_number,
    CASE WHEN keyed.flow IN ('exports', 'imports') THEN CAST(keyed.value_musd AS DOUBLE) END
        AS trade_value_musd,
    CASE WHEN keyed.flow = 'balance'
        THEN CAST(keyed.value_musd - (flows.exports - flows.imports) AS DOUBLE)
    END AS identity_gap_musd,
    CAST(keyed.value_musd - parts.parts_musd AS DOUBLE) AS parts_gap_musd,
    CASE WHEN keyed.partner_code = '-'
        THEN CAST(keyed.value_musd - leaves.leaves_musd AS DOUBLE)
    END AS partner_gap_musd,
    CAST(keyed.value_musd - year_to_date.months_musd AS DOUBLE) AS ytd_gap_musd
FROM keyed
LEFT JOIN flows USING (cell)
LEFT JOIN parts USING (period, frequency, basis, adjustment, product, flow, partner_code,
    row_kind, commodity_class, commodity_code)
LEFT JOIN leaves USING (period, frequency, basis, adjustment, product, flow, commodity_class,
    commodity_code, row_kind)
LEFT JOIN year_to_date USING (period, frequency, basis, adjustment, product, flow, partner_code,
    commodity_class, commodity_code)
