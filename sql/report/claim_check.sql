-- Report section 6: every figure quoted by a news article, checked against the releases: the
-- figure as written, the first print, the latest value (millions of US dollars) and the verdict.
SELECT
    c.article_id,
    a.title,
    c.published_date,
    c.quoted_text,
    c.metric,
    c.partner_name,
    c.period,
    c.claimed_value,
    c.first_print_value,
    c.latest_value,
    c.verdict
FROM marts.claim_check AS c
LEFT JOIN core.news_articles AS a USING (article_id)
ORDER BY c.published_date, c.article_id, c.claim_id
