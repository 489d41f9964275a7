-- The last build of the views and marts (warehouse.rebuild_views) and what it was built from,
-- so that a refresh with nothing new skips rebuilding the marts materialized as tables.
CREATE TABLE ops.view_builds (
    fingerprint VARCHAR NOT NULL,
    objects     INTEGER NOT NULL,
    built_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE ops.view_builds IS 'The last build of the views and materialized marts: one row, replaced by each build.';
COMMENT ON COLUMN ops.view_builds.fingerprint IS 'sha256 of the view files and of what has been published (sql/ops/views_fingerprint.sql): equal means a rebuild would change nothing.';
COMMENT ON COLUMN ops.view_builds.objects IS 'Views and mart tables built.';
COMMENT ON COLUMN ops.view_builds.built_at IS 'When they were built.';
