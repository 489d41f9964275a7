-- The frame the suite expectations/census_country.json validates: the staged vintage plus
-- annual_diff_musd, the sum of a row's months minus the annual column published beside them,
-- and on the world (0015) rows world_gap_musd, the sum of all countries minus the world total.
-- Checked for 1992 up to the newest year, which is not yet final: before 1992 the file lacks
-- country detail the world total includes (gaps of 2-12% in the real files), and in the newest
-- year the countries miss the world total by up to 0.15% (2020 in the 2020-10 vintage, 2024 in
-- the 2024-11 one). Values become DOUBLE for Great Expectations only.
WITH staged AS (
    FROM staged_batch
),
countries AS (
    SELECT period, flow, sum(value_musd) AS value_musd
    FROM staged
    WHERE NOT partner_is_aggregate
    GROUP BY period, flow
)
SELECT
    staged.period,
    staged.partner_code,
    staged.partner_name,
    staged.partner_is_aggregate,
    staged.adjustment,
    staged.flow,
    CAST(staged.value_musd AS DOUBLE) AS value_musd,
    CAST(
        sum(staged.value_musd) OVER (
            PARTITION BY staged.partner_code, staged.adjustment, staged.flow, year(staged.period))
        - staged.reported_annual_musd AS DOUBLE
    ) AS annual_diff_musd,
    CASE WHEN staged.partner_code = '0015' AND staged.period >= DATE '1992-01-01'
            AND year(staged.period) < (SELECT max(year(period)) FROM staged)
        THEN CAST(countries.value_musd - staged.value_musd AS DOUBLE)
    END AS world_gap_musd
FROM staged
LEFT JOIN countries USING (period, flow)
