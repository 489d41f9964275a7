-- The bounded sample of the audited rows Great Expectations always validates, even when DuckDB's
-- screen proved every row-wise expectation passing (validation_stream.py says why).
SELECT {columns} FROM audit_rows LIMIT {rows}
