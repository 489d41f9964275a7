-- Publish a validated payload's articles into core and clear its staged rows. Runs inside the
-- publish transaction together with the ops.loads ledger row.
--
-- Same text = same article: a text (sha256 of the normalised text) already in core is not
-- published again, whichever paper or feed it came from. A new text under a known canonical
-- URL is a correction and becomes a new row.
-- article_id: the next ids after the highest held, in publication order (DuckLake has no
-- sequences; the one writer makes the ids).
INSERT INTO core.news_articles (
    article_id, release_id, source, url, canonical_url, feed_url, title, byline, published_at,
    fetched_at, text, language, sha256, fingerprint
)
WITH new_articles AS (
    SELECT
        staged.release_id,
        releases.source,
        staged.url,
        staged.canonical_url,
        staged.feed_url,
        staged.title,
        staged.byline,
        staged.published_at,
        coalesce(
            (SELECT min(fetches.fetched_at) FROM ops.fetches AS fetches
             WHERE fetches.source = releases.source AND fetches.sha256 = releases.sha256),
            releases.first_seen_at
        ) AS fetched_at,
        staged.text,
        staged.language,
        staged.sha256,
        staged.fingerprint
    FROM staged_batch AS staged
    JOIN ops.releases AS releases ON releases.release_id = staged.release_id
    WHERE staged.release_id = getvariable('release_id')
        AND staged.sha256 NOT IN (SELECT sha256 FROM core.news_articles)
    QUALIFY row_number() OVER (
        PARTITION BY staged.sha256 ORDER BY staged.published_at NULLS LAST, staged.canonical_url
    ) = 1
)
SELECT
    (SELECT coalesce(max(article_id), 0) FROM core.news_articles)
        + row_number() OVER (ORDER BY published_at NULLS LAST, canonical_url),
    *
FROM new_articles
ORDER BY published_at NULLS LAST, canonical_url;

-- Near-duplicates (one wire story in several papers, a corrected story) are grouped, never
-- dropped: a new article joins the group of the earliest article it is similar to, else starts
-- its own (its article_id). Similar = estimated Jaccard similarity of word 3-shingles >= 0.5:
-- a wire story carried by two papers with another headline, byline and a trimmed paragraph
-- scores 0.7-0.9, two stories written separately about the same release under 0.1, and the
-- 64-slot estimate's standard error at 0.5 is 0.06. Groups of published articles never change.
UPDATE core.news_articles AS fresh
SET duplicate_group = (
    SELECT min(coalesce(other.duplicate_group, other.article_id))
    FROM core.news_articles AS other
    WHERE other.article_id = fresh.article_id
        OR core.news_similarity(other.fingerprint, fresh.fingerprint) >= 0.5
)
WHERE fresh.release_id = getvariable('release_id') AND fresh.duplicate_group IS NULL;

