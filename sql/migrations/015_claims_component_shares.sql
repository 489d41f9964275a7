-- Claims of extractor claims-2.1 (issue 14): a release line's share of a partner's balance is a
-- kind of its own, component_share; only the comments change (no new columns).
COMMENT ON COLUMN core.news_claims.kind IS 'level (an amount), change (a change of a level), share (a partner''s part of all countries'' figure, or of GDP) or component_share (a release line''s part of the partner''s balance: "autos and parts made up 74% of the deficit with Japan"; series names the line).';
COMMENT ON COLUMN core.news_claims.percent IS 'For shares and component shares: the share in percent.';
COMMENT ON COLUMN core.news_claims.share_of IS 'For a share or component share: what it is a share of, as metric (e.g. balance).';
COMMENT ON COLUMN core.news_claims.series IS 'headline, or the release line the figure is about: current_account, real, petroleum, non_petroleum, atp, autos, consumer_goods, capital_goods, industrial_supplies, foods, moving_average, total_trade. Checked against the warehouse: headline, atp, and the autos line of a component share (FT-900 Exhibit 18).';
