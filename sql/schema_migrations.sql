-- Bootstrap run before every migration pass (idempotent): the ledger of applied migrations.
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.schema_migrations (
    version    INTEGER NOT NULL,
    name       VARCHAR NOT NULL,
    sha256     VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE ops.schema_migrations IS 'Migrations from sql/migrations applied to this warehouse, in order.';
COMMENT ON COLUMN ops.schema_migrations.version IS 'Number prefix of the migration file.';
COMMENT ON COLUMN ops.schema_migrations.name IS 'Migration file name.';
COMMENT ON COLUMN ops.schema_migrations.sha256 IS 'sha256 of the file as applied; a later edit of an applied file is refused.';
COMMENT ON COLUMN ops.schema_migrations.applied_at IS 'When it was applied (UTC).';

-- Comments DuckLake cannot keep (on macros, on a view's columns), kept here instead and read by
-- tradewh docs like any other comment (warehouse.run_script records them).
CREATE TABLE IF NOT EXISTS ops.docs (
    schema_name VARCHAR NOT NULL,
    object_name VARCHAR NOT NULL,
    column_name VARCHAR,
    comment     VARCHAR NOT NULL
);
COMMENT ON TABLE ops.docs IS 'Comments DuckLake cannot keep itself (on macros and on the columns of views), read by tradewh docs like any other comment.';
COMMENT ON COLUMN ops.docs.schema_name IS 'Schema of the object.';
COMMENT ON COLUMN ops.docs.object_name IS 'The macro or view.';
COMMENT ON COLUMN ops.docs.column_name IS 'The view''s column; NULL for the object itself.';
COMMENT ON COLUMN ops.docs.comment IS 'The comment, as written in its SQL file.';
