-- Trade news: articles (every version kept, like any vintage) and the figures they quote.

CREATE TABLE staging.news_articles (
    release_id      BIGINT NOT NULL,
    url             VARCHAR,
    canonical_url   VARCHAR,
    feed_url        VARCHAR,
    title           VARCHAR,
    byline          VARCHAR,
    published_at    TIMESTAMPTZ,
    text            VARCHAR,
    language        VARCHAR,
    sha256          VARCHAR,
    fingerprint     VARCHAR
);
COMMENT ON TABLE staging.news_articles IS 'Parsed news articles (from a feed with full text, or from an article page) awaiting validation, one batch per payload (release_id).';
COMMENT ON COLUMN staging.news_articles.release_id IS 'The payload (ops.releases) the articles were parsed from: a feed or an article page.';
COMMENT ON COLUMN staging.news_articles.url IS 'Article address as linked.';
COMMENT ON COLUMN staging.news_articles.canonical_url IS 'Address with tracking parameters and fragments stripped, the page''s rel=canonical when it has one: the dedupe key.';
COMMENT ON COLUMN staging.news_articles.feed_url IS 'The feed that listed the article (redacted).';
COMMENT ON COLUMN staging.news_articles.title IS 'Headline.';
COMMENT ON COLUMN staging.news_articles.byline IS 'Author(s) as printed; NULL if none.';
COMMENT ON COLUMN staging.news_articles.published_at IS 'Publication time as the article or feed states it (UTC).';
COMMENT ON COLUMN staging.news_articles.text IS 'Main text, boilerplate removed.';
COMMENT ON COLUMN staging.news_articles.language IS 'ISO 639-1 language code of the text.';
COMMENT ON COLUMN staging.news_articles.sha256 IS 'sha256 of the normalised text: the same text twice is one article.';
COMMENT ON COLUMN staging.news_articles.fingerprint IS 'Similarity fingerprint of the text (near-duplicates, e.g. one wire story in several papers, share most of it).';

CREATE TABLE core.news_articles (
    article_id      BIGINT NOT NULL,
    release_id      BIGINT NOT NULL,
    source          VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    canonical_url   VARCHAR NOT NULL,
    feed_url        VARCHAR,
    title           VARCHAR,
    byline          VARCHAR,
    published_at    TIMESTAMPTZ,
    fetched_at      TIMESTAMPTZ NOT NULL,
    text            VARCHAR NOT NULL,
    language        VARCHAR,
    sha256          VARCHAR NOT NULL,
    fingerprint     VARCHAR,
    duplicate_group BIGINT
);
COMMENT ON TABLE core.news_articles IS 'Trade news articles: one row per distinct text of an article (a corrected story is a new row with the same canonical_url). Search with the BM25 pattern in the README.';
COMMENT ON COLUMN core.news_articles.article_id IS 'Surrogate key.';
COMMENT ON COLUMN core.news_articles.release_id IS 'The payload (ops.releases) it was parsed from; its raw bytes are in the landing store.';
COMMENT ON COLUMN core.news_articles.source IS 'Source module (news).';
COMMENT ON COLUMN core.news_articles.url IS 'Article address as linked.';
COMMENT ON COLUMN core.news_articles.canonical_url IS 'Address without tracking parameters: the dedupe key.';
COMMENT ON COLUMN core.news_articles.feed_url IS 'The feed that listed it.';
COMMENT ON COLUMN core.news_articles.title IS 'Headline.';
COMMENT ON COLUMN core.news_articles.byline IS 'Author(s) as printed.';
COMMENT ON COLUMN core.news_articles.published_at IS 'Publication time (UTC): the date claims are resolved and checked against.';
COMMENT ON COLUMN core.news_articles.fetched_at IS 'When tradewh fetched it (UTC).';
COMMENT ON COLUMN core.news_articles.text IS 'Main text, boilerplate removed.';
COMMENT ON COLUMN core.news_articles.language IS 'ISO 639-1 language code.';
COMMENT ON COLUMN core.news_articles.sha256 IS 'sha256 of the normalised text.';
COMMENT ON COLUMN core.news_articles.fingerprint IS 'Similarity fingerprint of the text.';
COMMENT ON COLUMN core.news_articles.duplicate_group IS 'Articles telling the same story (near-duplicate texts, e.g. one wire story in several papers) share a group: the smallest article_id among them. Grouped, never dropped.';

CREATE TABLE core.news_claims (
    claim_id          BIGINT NOT NULL,
    article_id        BIGINT NOT NULL,
    start_char        INTEGER NOT NULL,
    end_char          INTEGER NOT NULL,
    sentence          VARCHAR NOT NULL,
    quoted_text       VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    value_musd        DECIMAL(18, 6),
    rounding_musd     DECIMAL(18, 6),
    percent           DECIMAL(12, 4),
    metric            VARCHAR,
    product           VARCHAR,
    partner_code      VARCHAR,
    partner_name      VARCHAR,
    period            DATE,
    frequency         VARCHAR,
    change_direction  VARCHAR,
    change_musd       DECIMAL(18, 6),
    change_percent    DECIMAL(12, 4),
    compared_period   DATE,
    share_of          VARCHAR,
    qualifiers        VARCHAR[],
    extractor_version VARCHAR NOT NULL,
    extracted_at      TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE core.news_claims IS 'Trade figures quoted in news articles, one row per figure, with the words they were read from. US perspective: a deficit is a negative balance.';
COMMENT ON COLUMN core.news_claims.claim_id IS 'Surrogate key.';
COMMENT ON COLUMN core.news_claims.article_id IS 'The article (core.news_articles).';
COMMENT ON COLUMN core.news_claims.start_char IS 'Start of the quoted figure in the article text (0-based character offset).';
COMMENT ON COLUMN core.news_claims.end_char IS 'End of the quoted figure (exclusive).';
COMMENT ON COLUMN core.news_claims.sentence IS 'The sentence the figure is in: the evidence.';
COMMENT ON COLUMN core.news_claims.quoted_text IS 'The figure as written, e.g. "$12.3 billion".';
COMMENT ON COLUMN core.news_claims.kind IS 'level (an amount), change (a change of a level) or share (a part of a whole).';
COMMENT ON COLUMN core.news_claims.value_musd IS 'The amount in millions of US dollars, signed from the US perspective for balances (a deficit is negative); NULL for a share.';
COMMENT ON COLUMN core.news_claims.rounding_musd IS 'Half the last unit the figure was written to ($12.3 billion -> 50 $M): how far the official figure may be and still match.';
COMMENT ON COLUMN core.news_claims.percent IS 'For shares: the share in percent.';
COMMENT ON COLUMN core.news_claims.metric IS 'balance, exports or imports.';
COMMENT ON COLUMN core.news_claims.product IS 'goods, services or goods_and_services where the text says; NULL where it does not.';
COMMENT ON COLUMN core.news_claims.partner_code IS 'Census country code of the partner, - for the world total; NULL when the text does not say.';
COMMENT ON COLUMN core.news_claims.partner_name IS 'Partner as named in the text.';
COMMENT ON COLUMN core.news_claims.period IS 'First day of the month, quarter or year the figure is for, resolved against the publication date; NULL when the text does not say (never guessed).';
COMMENT ON COLUMN core.news_claims.frequency IS 'M, Q or A: what period covers.';
COMMENT ON COLUMN core.news_claims.change_direction IS 'up or down (widened/narrowed, rose/fell), for a change.';
COMMENT ON COLUMN core.news_claims.change_musd IS 'Size of the change in millions of US dollars, when given as an amount.';
COMMENT ON COLUMN core.news_claims.change_percent IS 'Size of the change in percent, when given as a percentage.';
COMMENT ON COLUMN core.news_claims.compared_period IS 'The period the change is measured from (the previous month unless the text says otherwise).';
COMMENT ON COLUMN core.news_claims.share_of IS 'For a share: what it is a share of, as metric (e.g. balance).';
COMMENT ON COLUMN core.news_claims.qualifiers IS 'Words that qualify the figure: record, largest_since, nth_highest, approximately, almost, more_than, revised.';
COMMENT ON COLUMN core.news_claims.extractor_version IS 'Version of the extractor that read it: a new version re-reads the articles.';
COMMENT ON COLUMN core.news_claims.extracted_at IS 'When it was extracted (UTC).';
