-- The named steps a mart is built from, as dbt's intermediate models (sql/views/intermediate):
-- views the marts read, not meant for analysts (the data dictionary leaves them out).
CREATE SCHEMA IF NOT EXISTS intermediate;
