-- Cross-source checks validate what is published across vintages, not one vintage: their
-- ledger rows have no release.
ALTER TABLE ops.validations ALTER COLUMN release_id DROP NOT NULL;
COMMENT ON COLUMN ops.validations.release_id IS 'The vintage validated (ops.releases); NULL for cross-source checks, which look at everything published.';
