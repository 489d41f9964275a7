-- core.vintages: the published vintages of each source in publication order.
CREATE OR REPLACE VIEW core.vintages AS
WITH releases AS (
    SELECT * FROM ops.releases WHERE status = 'published'
),
final AS (
    SELECT
        release_id,
        source,
        published_at,
        first_seen_at,
        period_start,
        period_end,
        row_number() OVER (PARTITION BY source ORDER BY published_at, release_id) AS vintage_seq
    FROM releases
)
SELECT * FROM final;

COMMENT ON VIEW core.vintages IS 'Published vintages per source, in publication order (published_at, then release_id).';
COMMENT ON COLUMN core.vintages.release_id IS 'Vintage key (ops.releases).';
COMMENT ON COLUMN core.vintages.published_at IS 'When the agency published the vintage (Last-Modified header, else first fetch).';
COMMENT ON COLUMN core.vintages.first_seen_at IS 'When tradewh first fetched it.';
COMMENT ON COLUMN core.vintages.period_start IS 'First month the vintage covers.';
COMMENT ON COLUMN core.vintages.period_end IS 'Newest month the vintage covers.';
COMMENT ON COLUMN core.vintages.vintage_seq IS '1 for the oldest vintage of the source held here, 2 for the next, ...';
