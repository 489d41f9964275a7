-- core.observations_ranked: every published value with what orders its vintages.
CREATE OR REPLACE VIEW core.observations_ranked AS
WITH observations AS (
    SELECT * FROM core.observations
),
vintages AS (
    SELECT release_id FROM core.vintages
),
precedence AS (
    SELECT source, precedence FROM ops.source_precedence
),
final AS (
    SELECT
        observations.*,
        -- When two sources publish the same series on the same day, the release itself (FT-900)
        -- wins over files and APIs, and those over FRED's copy of it; a source no longer in the
        -- registry comes last.
        coalesce(precedence.precedence, 99) AS source_rank
    FROM observations
    JOIN vintages USING (release_id)
    LEFT JOIN precedence USING (source)
)
SELECT * FROM final;

COMMENT ON VIEW core.observations_ranked IS 'Values of published vintages only (a quarantined or unfinished vintage never shows), with source_rank to break ties between sources publishing a series on the same day.';
COMMENT ON COLUMN core.observations_ranked.release_id IS 'Vintage the value was loaded from (ops.releases).';
COMMENT ON COLUMN core.observations_ranked.partner_name IS 'Partner name as published in that vintage.';
COMMENT ON COLUMN core.observations_ranked.vintage_at IS 'When the value was published (see core.observations.vintage_at).';
COMMENT ON COLUMN core.observations_ranked.source_rank IS 'ops.source_precedence of its source (1 ft900, 2 census_country, 3 census_api, 4 others): breaks ties of vintage_at.';
