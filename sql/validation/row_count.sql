-- The audited batch's row count (expect_table_row_count_to_be_between, and the denominator of
-- the set-wise checks' percentages).
SELECT count(*) FROM audit_rows
