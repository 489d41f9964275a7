-- The news search macros, documented like every other object (tradewh docs lists them).
COMMENT ON MACRO TABLE core.search_news IS 'core.search_news(query): articles ranked by Okapi BM25 (k1 1.2, b 0.75) over title and text: article_id, score. Join core.news_articles for the rest.';
COMMENT ON MACRO core.news_tokens IS 'core.news_tokens(text): the lower-case word tokens search indexes and matches.';
COMMENT ON MACRO core.news_similarity IS 'core.news_similarity(a, b): estimated share of word 3-shingles two article fingerprints have in common (0 to 1); 0.5 and above is the same story.';
