-- Claims read the way the news writes them (extractor claims-2.0): the kind of period a figure
-- covers, the release line it is about, the words it was read from and what the reading was
-- unsure of. Plain columns only (no keys, sequences or enums): the warehouse is moving to
-- DuckLake, which has none.

ALTER TABLE core.news_claims ADD COLUMN period_kind VARCHAR;
ALTER TABLE core.news_claims ADD COLUMN series VARCHAR;
ALTER TABLE core.news_claims ADD COLUMN period_words VARCHAR;
ALTER TABLE core.news_claims ADD COLUMN partner_words VARCHAR;
ALTER TABLE core.news_claims ADD COLUMN metric_words VARCHAR;
ALTER TABLE core.news_claims ADD COLUMN uncertain VARCHAR[];
COMMENT ON COLUMN core.news_claims.period_kind IS 'month, quarter, year, ytd (January through the month of period) or annualized (an annual rate over the month or year-to-date span ending with period); NULL for claims of extractor versions before claims-2.0 (read as the frequency says).';
COMMENT ON COLUMN core.news_claims.series IS 'headline, or the release line the figure is about: current_account, real, petroleum, non_petroleum, atp, autos, consumer_goods, capital_goods, industrial_supplies, foods, moving_average, total_trade. Only headline and atp are checked against the warehouse.';
COMMENT ON COLUMN core.news_claims.period_words IS 'The words that gave the period ("in March", "the first nine months of 1996"); "(carried over)" when they are in an earlier sentence.';
COMMENT ON COLUMN core.news_claims.partner_words IS 'The words that gave the partner ("with Japan"), or that made it all countries.';
COMMENT ON COLUMN core.news_claims.metric_words IS 'The words that gave the metric ("trade deficit", "imports exceeded exports").';
COMMENT ON COLUMN core.news_claims.uncertain IS 'What the reading was unsure of; a claim with any is never said to differ (marts.claim_check says ambiguous).';
