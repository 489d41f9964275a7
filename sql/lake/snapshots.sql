-- The warehouse's snapshots (DuckLake keeps one per commit), newest first, with what each did:
-- tradewh labels the commits that publish, quarantine, migrate or rebuild the views with a
-- message and the run and release they came from (commit_extra_info, JSON).
SELECT
    snapshot_id,
    date_trunc('second', snapshot_time) AS snapshot_time,
    TRY_CAST(json_extract_string(commit_extra_info, '$.run_id') AS BIGINT) AS run_id,
    TRY_CAST(json_extract_string(commit_extra_info, '$.release_id') AS BIGINT) AS release_id,
    coalesce(commit_message, '(' || array_to_string(map_keys(changes), ', ') || ')') AS what
FROM tradewh.snapshots()
WHERE getvariable('all_snapshots') OR commit_message IS NOT NULL
ORDER BY snapshot_id DESC
LIMIT getvariable('snapshot_limit');
