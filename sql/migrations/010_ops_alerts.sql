-- Unattended operation: alerts (one open alert per problem, however many nights it lasts), their
-- deliveries, the release calendar freshness is judged by, and human decisions on quarantine.

CREATE TABLE ops.alerts (
    alert_id        BIGINT NOT NULL,
    alert_key       VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    source          VARCHAR,
    severity        VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    body            VARCHAR NOT NULL,
    details         JSON,
    status          VARCHAR NOT NULL,
    occurrences     INTEGER NOT NULL,
    first_seen_at   TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    resolved_at     TIMESTAMPTZ
);
COMMENT ON TABLE ops.alerts IS 'Problems tradewh raised: one row per problem from the night it appears until it is resolved; a problem that persists counts occurrences instead of sending again.';
COMMENT ON COLUMN ops.alerts.alert_id IS 'Surrogate key.';
COMMENT ON COLUMN ops.alerts.alert_key IS 'What the problem is about, e.g. quarantine:census_country or overdue:ft900: the same key on consecutive nights is the same alert.';
COMMENT ON COLUMN ops.alerts.kind IS 'validation_failed, validation_warning, fetch_failed, release_overdue or run_failed.';
COMMENT ON COLUMN ops.alerts.source IS 'The source concerned, if one.';
COMMENT ON COLUMN ops.alerts.severity IS 'critical, warning or info.';
COMMENT ON COLUMN ops.alerts.title IS 'One-line summary, as sent.';
COMMENT ON COLUMN ops.alerts.body IS 'The message as sent: what failed, observed values, samples, where the raw payload is.';
COMMENT ON COLUMN ops.alerts.details IS 'Machine-readable details (failed expectations, URLs without secrets, dates).';
COMMENT ON COLUMN ops.alerts.status IS 'open or resolved.';
COMMENT ON COLUMN ops.alerts.occurrences IS 'Refreshes that found the problem.';
COMMENT ON COLUMN ops.alerts.first_seen_at IS 'When it was first found (UTC).';
COMMENT ON COLUMN ops.alerts.last_seen_at IS 'When it was last found (UTC).';
COMMENT ON COLUMN ops.alerts.resolved_at IS 'When a refresh found it gone (UTC).';

CREATE TABLE ops.alert_deliveries (
    delivery_id     BIGINT NOT NULL,
    alert_id        BIGINT NOT NULL,
    message         VARCHAR NOT NULL,
    channel         VARCHAR NOT NULL,
    attempts        INTEGER NOT NULL,
    delivered       BOOLEAN NOT NULL,
    error           VARCHAR,
    sent_at         TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE ops.alert_deliveries IS 'Each message sent for an alert, on each channel: delivered or, after its retries, failed (a delivery failure never fails the refresh).';
COMMENT ON COLUMN ops.alert_deliveries.delivery_id IS 'Surrogate key.';
COMMENT ON COLUMN ops.alert_deliveries.alert_id IS 'The alert (ops.alerts).';
COMMENT ON COLUMN ops.alert_deliveries.message IS 'opened or resolved.';
COMMENT ON COLUMN ops.alert_deliveries.channel IS 'log, apprise:<service> (no secrets) or prefect-block:<name>.';
COMMENT ON COLUMN ops.alert_deliveries.attempts IS 'Attempts made.';
COMMENT ON COLUMN ops.alert_deliveries.delivered IS 'True when the channel accepted it.';
COMMENT ON COLUMN ops.alert_deliveries.error IS 'Why it was not delivered.';
COMMENT ON COLUMN ops.alert_deliveries.sent_at IS 'When (UTC).';

CREATE TABLE ops.release_calendar (
    source          VARCHAR NOT NULL,
    cadence         VARCHAR NOT NULL,
    lag_days        INTEGER NOT NULL,
    release_time    VARCHAR NOT NULL,
    timezone        VARCHAR NOT NULL,
    grace_days      INTEGER NOT NULL,
    note            VARCHAR
);
COMMENT ON TABLE ops.release_calendar IS 'When each source is expected to publish a new month (from tradewh/release_calendar.toml, loaded by every refresh).';
COMMENT ON COLUMN ops.release_calendar.source IS 'Source module name.';
COMMENT ON COLUMN ops.release_calendar.cadence IS 'monthly: one new reference month per release.';
COMMENT ON COLUMN ops.release_calendar.lag_days IS 'Days after the end of a reference month its release is due.';
COMMENT ON COLUMN ops.release_calendar.release_time IS 'Local release time (HH:MM).';
COMMENT ON COLUMN ops.release_calendar.timezone IS 'IANA time zone of release_time.';
COMMENT ON COLUMN ops.release_calendar.grace_days IS 'Days past due before the release counts as overdue (schedules slip: shutdowns, holidays).';
COMMENT ON COLUMN ops.release_calendar.note IS 'Where the schedule comes from.';

ALTER TABLE ops.quarantine ADD COLUMN decided_by VARCHAR;
ALTER TABLE ops.quarantine ADD COLUMN decided_at TIMESTAMPTZ;
ALTER TABLE ops.quarantine ADD COLUMN decision_reason VARCHAR;
COMMENT ON COLUMN ops.quarantine.status IS 'open until a person decides: released (published anyway) or discarded (handled, raw payload kept).';
COMMENT ON COLUMN ops.quarantine.decided_by IS 'Who released or discarded it.';
COMMENT ON COLUMN ops.quarantine.decided_at IS 'When (UTC).';
COMMENT ON COLUMN ops.quarantine.decision_reason IS 'Why, in their words.';
COMMENT ON COLUMN ops.releases.status IS 'new (registered), staged (parsed, not yet decided), published (in core), quarantined (failed a critical check) or discarded (quarantined, then set aside by a person; raw payload kept).';
