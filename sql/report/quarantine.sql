-- Report section 7c: vintages held in quarantine (a critical expectation failed), awaiting a
-- decision (status open), newest first.
SELECT
    source,
    dataset,
    reason,
    created_at,
    status
FROM ops.quarantine
WHERE status = 'open'
ORDER BY created_at DESC
