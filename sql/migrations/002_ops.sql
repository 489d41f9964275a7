-- Ledgers of the pipeline. Nothing here is deleted by a refresh.

CREATE TABLE ops.fetches (
    fetch_id      BIGINT NOT NULL,
    source        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    status        INTEGER,
    etag          VARCHAR,
    last_modified VARCHAR,
    sha256        VARCHAR,
    bytes         BIGINT,
    landed_path   VARCHAR,
    fetched_at    TIMESTAMPTZ NOT NULL,
    error         VARCHAR
);
COMMENT ON TABLE ops.fetches IS 'Every fetch attempt of every source: one row per request, including 304 Not Modified and failures. URLs carry no secrets.';
COMMENT ON COLUMN ops.fetches.fetch_id IS 'Surrogate key.';
COMMENT ON COLUMN ops.fetches.source IS 'Source module name, e.g. census_country.';
COMMENT ON COLUMN ops.fetches.url IS 'Requested URL with secrets (API keys) replaced by ***.';
COMMENT ON COLUMN ops.fetches.status IS 'HTTP status (200, 304, ...); NULL when no response arrived.';
COMMENT ON COLUMN ops.fetches.etag IS 'ETag response header, sent back as If-None-Match next time.';
COMMENT ON COLUMN ops.fetches.last_modified IS 'Last-Modified response header, sent back as If-Modified-Since next time.';
COMMENT ON COLUMN ops.fetches.sha256 IS 'sha256 of the payload body; the name of its file in the landing store.';
COMMENT ON COLUMN ops.fetches.bytes IS 'Payload size in bytes.';
COMMENT ON COLUMN ops.fetches.landed_path IS 'Path of the raw payload in the landing store, relative to the landing directory.';
COMMENT ON COLUMN ops.fetches.fetched_at IS 'When the response was received (UTC).';
COMMENT ON COLUMN ops.fetches.error IS 'Why the fetch failed, when it did.';

CREATE TABLE ops.releases (
    release_id    BIGINT NOT NULL,
    source        VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    published_at  TIMESTAMPTZ NOT NULL,
    period_start  DATE,
    period_end    DATE,
    row_count     BIGINT,
    status        VARCHAR NOT NULL
);
COMMENT ON TABLE ops.releases IS 'Release vintages: each distinct payload of a source is one vintage. Vintages are ordered by published_at, then release_id.';
COMMENT ON COLUMN ops.releases.release_id IS 'Vintage key; core rows carry it.';
COMMENT ON COLUMN ops.releases.source IS 'Source module name.';
COMMENT ON COLUMN ops.releases.sha256 IS 'sha256 of the payload this vintage was parsed from (see ops.fetches, landing store).';
COMMENT ON COLUMN ops.releases.url IS 'Where the payload came from (secrets removed).';
COMMENT ON COLUMN ops.releases.first_seen_at IS 'When tradewh first fetched this payload (UTC).';
COMMENT ON COLUMN ops.releases.published_at IS 'When the agency published it: the Last-Modified header when the server sent one, else first_seen_at.';
COMMENT ON COLUMN ops.releases.period_start IS 'First reference period (month) the vintage covers.';
COMMENT ON COLUMN ops.releases.period_end IS 'Last reference period (month) the vintage covers: its newest published month.';
COMMENT ON COLUMN ops.releases.row_count IS 'Rows parsed from the payload.';
COMMENT ON COLUMN ops.releases.status IS 'staged (parsed, not yet decided), published (in core) or quarantined (failed a critical check).';

CREATE TABLE ops.validations (
    release_id    BIGINT NOT NULL,
    dataset       VARCHAR NOT NULL,
    suite         VARCHAR NOT NULL,
    validated_at  TIMESTAMPTZ NOT NULL,
    success       BOOLEAN NOT NULL,
    evaluated     INTEGER NOT NULL,
    passed        INTEGER NOT NULL,
    failed        INTEGER NOT NULL,
    max_severity  VARCHAR,
    failures      JSON
);
COMMENT ON TABLE ops.validations IS 'One row per validation of a staged vintage with its Great Expectations suite.';
COMMENT ON COLUMN ops.validations.release_id IS 'The vintage validated (ops.releases).';
COMMENT ON COLUMN ops.validations.dataset IS 'Dataset validated; its suite is expectations/<dataset>.json.';
COMMENT ON COLUMN ops.validations.suite IS 'Suite name from the JSON file.';
COMMENT ON COLUMN ops.validations.validated_at IS 'When the validation ran (UTC).';
COMMENT ON COLUMN ops.validations.success IS 'True when no critical expectation failed.';
COMMENT ON COLUMN ops.validations.evaluated IS 'Expectations evaluated.';
COMMENT ON COLUMN ops.validations.passed IS 'Expectations met.';
COMMENT ON COLUMN ops.validations.failed IS 'Expectations not met (any severity).';
COMMENT ON COLUMN ops.validations.max_severity IS 'Highest severity among failed expectations: critical, warning or info; NULL when all passed.';
COMMENT ON COLUMN ops.validations.failures IS 'Failed expectations: type, column, severity, observed value, up to 10 sample bad values.';

CREATE TABLE ops.loads (
    load_id       BIGINT NOT NULL,
    release_id    BIGINT NOT NULL,
    source        VARCHAR NOT NULL,
    dataset       VARCHAR NOT NULL,
    rows_published BIGINT NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE ops.loads IS 'The load ledger: one row per vintage published into core, written in the same transaction as the rows.';
COMMENT ON COLUMN ops.loads.load_id IS 'Surrogate key.';
COMMENT ON COLUMN ops.loads.release_id IS 'The vintage published (ops.releases); at most one load each.';
COMMENT ON COLUMN ops.loads.source IS 'Source module name.';
COMMENT ON COLUMN ops.loads.dataset IS 'Dataset (core table family) the rows went to.';
COMMENT ON COLUMN ops.loads.rows_published IS 'Rows inserted into core.';
COMMENT ON COLUMN ops.loads.loaded_at IS 'Commit time of the publish transaction (UTC).';

CREATE TABLE ops.quarantine (
    quarantine_id BIGINT NOT NULL,
    release_id    BIGINT NOT NULL,
    source        VARCHAR NOT NULL,
    dataset       VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    failures      JSON,
    landed_path   VARCHAR,
    created_at    TIMESTAMPTZ NOT NULL,
    status        VARCHAR NOT NULL DEFAULT 'open'
);
COMMENT ON TABLE ops.quarantine IS 'Vintages held back: failed a critical expectation. Their staged rows stay in staging (release_id), their raw payload in the landing store.';
COMMENT ON COLUMN ops.quarantine.quarantine_id IS 'Surrogate key.';
COMMENT ON COLUMN ops.quarantine.release_id IS 'The vintage held back (ops.releases).';
COMMENT ON COLUMN ops.quarantine.source IS 'Source module name.';
COMMENT ON COLUMN ops.quarantine.dataset IS 'Dataset whose suite failed.';
COMMENT ON COLUMN ops.quarantine.reason IS 'Human-readable reason naming the failed expectations.';
COMMENT ON COLUMN ops.quarantine.failures IS 'Failed expectations with observed values and sample bad values.';
COMMENT ON COLUMN ops.quarantine.landed_path IS 'Raw payload in the landing store, relative to the landing directory.';
COMMENT ON COLUMN ops.quarantine.created_at IS 'When the vintage was quarantined (UTC).';
COMMENT ON COLUMN ops.quarantine.status IS 'open until a person releases or discards it.';

CREATE TABLE ops.runs (
    run_id        BIGINT NOT NULL,
    flow_run_id   VARCHAR,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    state         VARCHAR NOT NULL,
    summary       JSON
);
COMMENT ON TABLE ops.runs IS 'One row per refresh run.';
COMMENT ON COLUMN ops.runs.run_id IS 'Surrogate key.';
COMMENT ON COLUMN ops.runs.flow_run_id IS 'Prefect flow run id, when run under Prefect.';
COMMENT ON COLUMN ops.runs.started_at IS 'Start (UTC).';
COMMENT ON COLUMN ops.runs.finished_at IS 'End (UTC); NULL while running or after a crash.';
COMMENT ON COLUMN ops.runs.state IS 'running, completed or failed.';
COMMENT ON COLUMN ops.runs.summary IS 'The run summary printed at the end (per source: fetched, new, unchanged, quarantined, rows, checks).';
