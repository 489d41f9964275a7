-- Claims of extractor claims-2.2 (issue 14): levels and changes of the autos line are checked
-- against FT-900 Exhibit 18 as its component shares are; only the comment changes.
COMMENT ON COLUMN core.news_claims.series IS 'headline, or the release line the figure is about: current_account, real, petroleum, non_petroleum, atp, autos, consumer_goods, capital_goods, industrial_supplies, foods, moving_average, total_trade. Checked against the warehouse: headline, atp, and the autos line (levels, changes and component shares: FT-900 Exhibit 18).';
