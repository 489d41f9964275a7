-- core.latest: each series and period once, valued as in the newest vintage that holds it.
-- A series is what was measured, not who published it: FT-900 and ALFRED vintages of the
-- headline balance, or the country file and the API for a partner, are one series.
-- The latest value is what is known as of the end of time: one definition of "current",
-- core.as_of, for both.
CREATE OR REPLACE VIEW core.latest AS
SELECT * FROM core.as_of(DATE '9999-12-31');

COMMENT ON VIEW core.latest IS 'One row per series and period: the value in the newest vintage that holds it. Millions of US dollars, exact.';
COMMENT ON COLUMN core.latest.source IS 'Source that published it.';
COMMENT ON COLUMN core.latest.partner_name IS 'Partner name as published in that vintage.';
