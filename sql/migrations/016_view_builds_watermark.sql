-- What the last view build was built from, in two parts, so that the next one can refresh only
-- what was published since (warehouse.rebuild_views): the files, and the newest load it saw.
ALTER TABLE ops.view_builds ADD COLUMN files_sha256 VARCHAR;
ALTER TABLE ops.view_builds ADD COLUMN last_load_id BIGINT;
COMMENT ON COLUMN ops.view_builds.files_sha256 IS 'sha256 of the view files and the marts'' refresh scopes (sql/views, sql/refresh): a change means a full rebuild.';
COMMENT ON COLUMN ops.view_builds.last_load_id IS 'Newest ops.loads row the build saw: the next build refreshes the marts where the rows of later loads fall.';
