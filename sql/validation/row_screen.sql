-- The row-wise expectations of a suite counted in one scan of the audited rows (row_screen.py):
-- per expectation, the rows Great Expectations would call unexpected, the rows it divides by,
-- and the rows the translation cannot speak for; the aggregates are filled in by the caller.
SELECT
    {counts}
FROM audit_rows
