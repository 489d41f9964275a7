-- Report section 7a: the latest validation of each dataset (Great Expectations suites run on
-- every staged batch and on the cross-source frame).
SELECT
    dataset,
    suite,
    validated_at,
    success,
    evaluated,
    passed,
    failed,
    max_severity
FROM ops.validations
QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY validated_at DESC) = 1
ORDER BY dataset
