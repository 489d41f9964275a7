-- Claim extraction bookkeeping: which articles each extractor version has read (an article with
-- no trade figure has no claims, yet must not be read again), and the written precision of
-- percentages (DECIMAL(12, 4) keeps 9.7 and 9.70 alike).

CREATE TABLE core.news_extractions (
    article_id        BIGINT NOT NULL,
    extractor_version VARCHAR NOT NULL,
    extracted_at      TIMESTAMPTZ NOT NULL,
    claims            INTEGER NOT NULL
);
COMMENT ON TABLE core.news_extractions IS 'One row per article and extractor version that read it: the claims of the newest version per article are the current ones (marts.claim_check).';
COMMENT ON COLUMN core.news_extractions.article_id IS 'The article (core.news_articles).';
COMMENT ON COLUMN core.news_extractions.extractor_version IS 'Extractor version (tradewh.claims.EXTRACTOR_VERSION).';
COMMENT ON COLUMN core.news_extractions.extracted_at IS 'When it was read (UTC).';
COMMENT ON COLUMN core.news_extractions.claims IS 'Claims found (0 for an article quoting no trade figure).';

ALTER TABLE core.news_claims ADD COLUMN rounding_percent DECIMAL(12, 4);
COMMENT ON COLUMN core.news_claims.rounding_percent IS 'For a percentage (change_percent or percent): half the last unit it was written to (9.7% -> 0.05).';
