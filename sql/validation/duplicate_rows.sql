-- The audited rows whose key occurs more than once (only asked when duplicate_keys.sql found
-- some): Great Expectations then evaluates the expectation on these rows alone, so its failure
-- (count, samples, message) is the one it would give on the whole batch.
SELECT {columns} FROM audit_rows
SEMI JOIN (SELECT {keys} FROM audit_rows GROUP BY {keys} HAVING count(*) > 1) USING ({keys})
