-- intermediate.claim_rows, step 2 of the claim check (marts/claim_check.sql): the official
-- rows each claim needs.
CREATE OR REPLACE VIEW intermediate.claim_rows AS
WITH claims AS (
    SELECT * FROM intermediate.claims_to_check
),
-- The official figures each claim needs ("legs"): the period itself; for a change, the period
-- it is compared with; for a share, the same measure for all countries (Census world 0015); for
-- a component share, the partner's whole goods balance.
legs AS (
    SELECT claim_id, 'now' AS leg, basis, adjustment, metric AS flow,
        wanted_partner AS partner_code, part_class AS commodity_class, frequency, period_kind,
        period, published_date
    FROM claims
    UNION ALL
    SELECT claim_id, 'before', basis, adjustment, metric, wanted_partner, part_class, frequency,
        period_kind, compared_period, published_date
    FROM claims WHERE kind = 'change' AND compared_period IS NOT NULL
    UNION ALL
    SELECT claim_id, 'whole', basis, adjustment, metric, '0015', 'total', frequency,
        period_kind, period, published_date
    FROM claims WHERE kind = 'share' AND basis = 'census' AND share_of IN ('balance', 'exports',
        'imports')
    UNION ALL
    SELECT claim_id, 'whole', basis, adjustment, share_of, wanted_partner, 'total', frequency,
        period_kind, period, published_date
    FROM claims WHERE kind = 'component_share' AND share_of IN ('balance', 'exports', 'imports')
),
-- Each leg as the rows of published flows it is made of: a Census balance is the printed one
-- (role printed) or exports - imports (role flow); a quarter is three months; a year is its
-- annual row, its year to date through December or twelve months; a year to date is its YTD
-- row or January through its month.
parts AS (
    SELECT
        legs.claim_id, legs.leg, legs.published_date, legs.basis, legs.adjustment,
        claims.wanted_product AS product, legs.partner_code, legs.commodity_class,
        parts.flow, parts.sign, parts.role, months.frequency, months.period, months.needed
    FROM legs
    JOIN claims USING (claim_id)
    CROSS JOIN LATERAL (
        SELECT unnest(CASE WHEN legs.flow = 'balance' AND legs.basis = 'census'
                           THEN ['balance', 'exports', 'imports'] ELSE [legs.flow] END) AS flow,
               unnest(CASE WHEN legs.flow = 'balance' AND legs.basis = 'census'
                           THEN [1, 1, -1] ELSE [1] END) AS sign,
               unnest(CASE WHEN legs.flow = 'balance' AND legs.basis = 'census'
                           THEN ['printed', 'flow', 'flow'] ELSE ['flow'] END) AS role
    ) AS parts
    CROSS JOIN LATERAL (
        -- n: -2 the year-to-date row, -1 the annual row, 0.. the months.
        SELECT
            CASE n.i WHEN -2 THEN 'YTD' WHEN -1 THEN 'A' ELSE 'M' END AS frequency,
            CASE
                WHEN n.i = -2 AND legs.frequency = 'A'
                    THEN CAST(legs.period + INTERVAL 11 MONTH AS DATE)
                WHEN n.i < 0 THEN legs.period
                WHEN legs.period_kind = 'ytd'
                    THEN CAST(date_trunc('year', legs.period) + to_months(n.i) AS DATE)
                ELSE CAST(legs.period + to_months(n.i) AS DATE)
            END AS period,
            CASE
                WHEN n.i < 0 THEN 1
                WHEN legs.period_kind = 'ytd' THEN month(legs.period)
                WHEN legs.frequency = 'M' THEN 1
                WHEN legs.frequency = 'Q' THEN 3
                ELSE 12
            END AS needed
        FROM range(-2, 12) AS n(i)
        WHERE (n.i = -2 AND (legs.period_kind = 'ytd' OR legs.frequency = 'A'))
           OR (n.i = -1 AND legs.frequency = 'A')
           OR (legs.period_kind = 'ytd' AND n.i BETWEEN 0 AND month(legs.period) - 1)
           OR (legs.period_kind <> 'ytd' AND legs.frequency = 'M' AND n.i = 0)
           OR (legs.frequency = 'Q' AND n.i BETWEEN 0 AND 2)
           OR (legs.frequency = 'A' AND n.i >= 0)
    ) AS months
    WHERE legs.period IS NOT NULL AND claims.wanted_product IS NOT NULL
)
SELECT * FROM parts;

COMMENT ON VIEW intermediate.claim_rows IS 'Step 2 of the news claim check (the claim_check mart): each claim''s legs (the period; for a change the period compared with; for a share or component share the whole) as the published rows they are made of: a Census balance as printed or exports - imports, a quarter as three months, a year as its annual row, its year to date through December or twelve months, a year to date as its YTD row or January through its month.';
