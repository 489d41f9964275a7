-- The frame expectations/cross_source.json validates after each refresh's publishing: where two
-- sources publish the same figure, how far apart they are (millions of US dollars).
--   ft900_alfred_gap_musd  an FT-900 headline figure against ALFRED's value current on the
--       release day, or else ALFRED's first vintage within 35 days after it (vintages held may
--       start at capture dates, later than the true release day); the smaller gap counts
--   api_country_gap_musd   the Census API against the country file, latest vintages, same
--       partner, month and flow (both Census basis, goods, NSA)
WITH ranked AS (
    SELECT * FROM core.observations_ranked
),
ft900 AS (
    SELECT * FROM ranked
    WHERE source = 'ft900' AND frequency = 'M' AND product = 'goods_and_services'
),
alfred AS (
    SELECT * FROM ranked WHERE source = 'alfred'
),
ft900_alfred AS (
    SELECT
        'ft900_vs_alfred' AS check_name,
        ft900.period,
        ft900.flow,
        ft900.partner_code,
        CAST(ft900.vintage_at AS DATE) AS released_on,
        ft900.value_musd,
        (SELECT max(alfred.value_musd) FROM alfred
         WHERE alfred.period = ft900.period AND alfred.flow = ft900.flow
           AND alfred.product = ft900.product
           AND CAST(alfred.vintage_at AS DATE) <= CAST(ft900.vintage_at AS DATE)
           AND alfred.vintage_end >= CAST(ft900.vintage_at AS DATE)) AS current_value,
        (SELECT arg_min(alfred.value_musd, alfred.vintage_at) FROM alfred
         WHERE alfred.period = ft900.period AND alfred.flow = ft900.flow
           AND alfred.product = ft900.product
           AND CAST(alfred.vintage_at AS DATE) > CAST(ft900.vintage_at AS DATE)
           AND CAST(alfred.vintage_at AS DATE) <= CAST(ft900.vintage_at AS DATE) + 35)
            AS next_value
    FROM ft900
),
latest_by_source AS (
    SELECT * FROM ranked
    WHERE source IN ('census_api', 'census_country') AND commodity_class = 'total'
        AND frequency = 'M'
    QUALIFY row_number() OVER (
        PARTITION BY source, adjustment, flow, partner_code, period
        ORDER BY vintage_at DESC, release_id DESC) = 1
),
api_country AS (
    SELECT
        'census_api_vs_country_file' AS check_name,
        api.period,
        api.flow,
        api.partner_code,
        CAST(api.vintage_at AS DATE) AS released_on,
        CAST(api.value_musd - country.value_musd AS DOUBLE) AS api_country_gap_musd
    FROM latest_by_source AS api
    JOIN latest_by_source AS country
        USING (adjustment, flow, partner_code, period)
    WHERE api.source = 'census_api' AND country.source = 'census_country'
)
SELECT
    check_name, period, flow, partner_code, CAST(released_on AS TIMESTAMP) AS released_on,
    CAST(least(abs(value_musd - current_value), abs(value_musd - next_value)) AS DOUBLE)
        AS ft900_alfred_gap_musd,
    CAST(NULL AS DOUBLE) AS api_country_gap_musd
FROM ft900_alfred
UNION ALL
SELECT
    check_name, period, flow, partner_code, CAST(released_on AS TIMESTAMP),
    NULL, api_country_gap_musd
FROM api_country
