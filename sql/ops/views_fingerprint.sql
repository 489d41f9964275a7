-- What the materialized marts are computed from, in one row: every publish adds a load, and
-- nothing else changes core (warehouse.rebuild_views hashes this with the view files).
SELECT
    count(*) AS loads,
    coalesce(max(release_id), 0) AS newest_release,
    coalesce(sum(rows_published), 0) AS rows_published
FROM ops.loads
