-- intermediate.claims_to_check, step 1 of the claim check (marts/claim_check.sql): each
-- figure quoted in the news (core.news_claims, newest extractor version per article) with
-- what it is checked against:
-- headline (partner '-') figures are BOP basis, seasonally adjusted, goods and services unless
-- the article says goods or services; bilateral ones are Census basis, not adjusted, goods.
-- Advanced technology products are Census aggregate 0007; motor vehicles and parts (series
-- autos: a level, a change or a component share) are FT-900 Exhibit 18, Census basis, not
-- adjusted, for all countries too; a claim about another series, a bilateral services claim or
-- an annual rate has no product to compare (wanted_product NULL).
CREATE OR REPLACE VIEW intermediate.claims_to_check AS
WITH current_reads AS (
    SELECT article_id, extractor_version
    FROM core.news_extractions
    QUALIFY row_number() OVER (
        PARTITION BY article_id ORDER BY extracted_at DESC, extractor_version DESC
    ) = 1
),
read_claims AS (
    SELECT
        claims.* REPLACE (
            -- Extractor versions before claims-2.0 wrote no period kind or series.
            coalesce(claims.period_kind, CASE claims.frequency
                WHEN 'M' THEN 'month' WHEN 'Q' THEN 'quarter' WHEN 'A' THEN 'year' END)
                AS period_kind,
            coalesce(claims.series, 'headline') AS series,
            coalesce(claims.uncertain, []) AS uncertain
        ),
        CAST(timezone('UTC', articles.published_at) AS DATE) AS published_date,
        -- Advanced technology products are a Census aggregate (0007), goods, not adjusted.
        CASE WHEN claims.series = 'atp' THEN '0007' ELSE claims.partner_code END AS wanted_partner
    FROM core.news_claims AS claims
    JOIN current_reads USING (article_id, extractor_version)
    JOIN core.news_articles AS articles USING (article_id)
),
claims AS (
    SELECT
        *,
        -- Exhibit 18 is Census basis, not adjusted, for all countries too.
        CASE WHEN wanted_partner = '-' AND NOT autos THEN 'bop' ELSE 'census' END AS basis,
        CASE WHEN wanted_partner = '-' AND NOT autos THEN 'sa' ELSE 'nsa' END AS adjustment,
        -- Bilateral figures are held for goods only: a bilateral services claim has none; nor
        -- has a series other than the headline and ATP, nor an annual rate.
        CASE
            WHEN period_kind = 'annualized' THEN NULL
            WHEN autos THEN CASE WHEN coalesce(product, 'goods') = 'goods' THEN 'goods' END
            WHEN kind = 'component_share' THEN NULL
            WHEN series NOT IN ('headline', 'atp') THEN NULL
            WHEN wanted_partner = '-' THEN coalesce(product, 'goods_and_services')
            WHEN coalesce(product, 'goods') = 'goods' THEN 'goods'
        END AS wanted_product,
        -- The commodity class of the claim's own figure: a component share's part is its line.
        CASE WHEN autos THEN 'motor_vehicles' ELSE 'total' END AS part_class
    FROM (
        SELECT *, series = 'autos' AND kind IN ('level', 'change', 'component_share') AS autos
        FROM read_claims
    )
)
SELECT * FROM claims;

COMMENT ON VIEW intermediate.claims_to_check IS 'Step 1 of the news claim check (the claim_check mart): each claim of the newest extractor version per article, with its publication date and the partner, basis, adjustment, product and commodity class it is checked against.';
