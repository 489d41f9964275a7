-- One mart's contract (sql/views/marts/<mart>.toml), checked inside the rebuild's transaction
-- before it commits: its grain is unique, its grain and not_null columns hold no NULL, its
-- accepted_values columns hold nothing outside their set (a NULL there is the not_null
-- check's business). One row per broken rule and offending row, at most three of each with
-- how many there are; none when the mart keeps its contract.
-- tradewh.store.contracts fills in literals only (string.Template): the mart as an identifier
-- and as text, its grain and not_null column names, its accepted (column, value) pairs.
-- The "(none)" column keeps COLUMNS() from matching nothing when no value set is declared.
SELECT
    $label AS mart,
    contract,
    column_name,
    offending,
    count(*) OVER (PARTITION BY contract, column_name) AS rows_offending
FROM (
    -- Grain: a key held by more than one row.
    SELECT 'grain' AS contract, NULL AS column_name,
        CAST(to_json(dupes) AS VARCHAR) AS offending
    FROM (
        SELECT COLUMNS(c -> list_contains(CAST($grain AS VARCHAR[]), c)), count(*) AS copies
        FROM $mart
        GROUP BY ALL
        HAVING count(*) > 1
    ) AS dupes
    UNION ALL
    -- Not null: one row per NULL found, named by the row's grain.
    SELECT 'not_null', column_name, CAST(to_json(row_key) AS VARCHAR)
    FROM (
        UNPIVOT (
            SELECT
                struct_pack(*COLUMNS(c -> list_contains(CAST($grain AS VARCHAR[]), c)))
                    AS row_key,
                COLUMNS(c -> list_contains(CAST($grain || $not_null AS VARCHAR[]), c)) IS NULL
            FROM $mart
        ) ON COLUMNS(* EXCLUDE (row_key)) INTO NAME column_name VALUE is_null
    )
    WHERE is_null
    UNION ALL
    -- Accepted values: a value outside the column's set, with how many rows hold it (the
    -- values are counted before they are unpivoted: a closed set has few).
    SELECT 'accepted_values', column_name,
        CAST(to_json({'value': value, 'rows': sum(held_by)}) AS VARCHAR)
    FROM (
        UNPIVOT (
            SELECT
                CAST(NULL AS VARCHAR) AS "(none)",
                CAST(COLUMNS(c -> list_contains(CAST($accepted_columns AS VARCHAR[]), c))
                    AS VARCHAR),
                count(*) AS held_by
            FROM $mart
            GROUP BY ALL
        ) ON COLUMNS(* EXCLUDE (held_by)) INTO NAME column_name VALUE value
    ) AS held
    ANTI JOIN (
        SELECT unnest(CAST($accepted AS STRUCT(column_name VARCHAR, value VARCHAR)[]),
            recursive := true)
    ) AS accepted USING (column_name, value)
    GROUP BY column_name, value
)
QUALIFY row_number() OVER (PARTITION BY contract, column_name ORDER BY offending) <= 3
