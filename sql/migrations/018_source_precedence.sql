-- Which source wins when two publish a series on the same day: the one table the views join
-- (core.observations_ranked), written from each source's SOURCE.precedence by `migrate`.
CREATE TABLE ops.source_precedence (
    source VARCHAR NOT NULL,
    precedence INTEGER NOT NULL
);

COMMENT ON TABLE ops.source_precedence IS 'Tie-break between sources publishing a series on the same day: 1 wins (the FT-900 release itself), then the country file, the Census API, and copies (ALFRED). Written from the source registry (tradewh/sources/*/SOURCE) by every migrate.';
COMMENT ON COLUMN ops.source_precedence.source IS 'Source module name.';
COMMENT ON COLUMN ops.source_precedence.precedence IS '1 first; a source missing here ranks after all others.';

COMMENT ON TABLE ops.release_calendar IS 'When each source is expected to publish a new month: each source''s SOURCE.calendar, or the TOML file TRADEWH_RELEASE_CALENDAR names; loaded by every refresh.';
