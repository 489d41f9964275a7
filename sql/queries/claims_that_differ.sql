-- name: claims_that_differ
-- description: Figures quoted in the news that match neither the first print nor the latest release.
-- claimed_value is the figure as read (millions of US dollars, negative = deficit; percent for a
-- share); compare it with first_print_value and latest_value, whose sources (release, FT-900
-- exhibit, rows) are beside them. The sentence is the evidence.
SELECT
    articles.title,
    CAST(articles.published_at AS DATE) AS published,
    checks.quoted_text,
    checks.metric,
    checks.partner_code,
    checks.period,
    checks.frequency,
    checks.claimed_value,
    checks.first_print_value,
    checks.first_print_source,
    checks.latest_value,
    checks.latest_source,
    checks.verdict,
    checks.sentence
FROM marts.claim_check AS checks
JOIN core.news_articles AS articles USING (article_id)
WHERE checks.verdict = 'differs'
ORDER BY published, checks.claim_id;
