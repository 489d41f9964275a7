-- How many keys of the audited rows (temp table audit_rows) occur more than once: a set-wise
-- check (expect_compound_columns_to_be_unique, expect_column_values_to_be_unique) evaluated in
-- DuckDB over the whole batch. {keys}: the expectation's columns.
SELECT count(*) FROM (SELECT 1 FROM audit_rows GROUP BY {keys} HAVING count(*) > 1)
