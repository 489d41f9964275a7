-- The distinct values of one audited column, for a set-wise expectation on them
-- (expect_column_distinct_values_to_contain_set): GX evaluates it on these rows alone.
SELECT DISTINCT {column} FROM audit_rows
