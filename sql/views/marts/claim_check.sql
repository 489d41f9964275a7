-- marts.claim_check: each figure quoted in the news (core.news_claims, newest extractor version
-- per article) against the official figure of the same measure, partner, period and basis:
-- as first printed, as current on the day the article was published, and as now.
-- Headline (partner '-') figures are BOP basis, seasonally adjusted, goods and services unless the
-- article says goods or services; bilateral ones are Census basis, not adjusted, goods.
-- A year-to-date claim is checked against the year-to-date row a release printed (FT-900
-- Exhibits 14, 4s, 18, ...: frequency YTD) where one is held, else the sum of January through its
-- month in each vintage (for the latest vintage that is marts.balance_cumulative's ytd column),
-- never the full year. A year is its annual row, else the year to date through December, else
-- the sum of its twelve months.
-- A component share ("autos and parts made up 74% of the deficit with Japan", kind
-- component_share) is the line's balance (FT-900 Exhibit 18, motor_vehicles) over the partner's
-- goods balance of the same period (Census basis, NSA): the figures of marts.autos_by_partner,
-- computed here per vintage so that first print, as-of and latest are known. A level or change
-- of the autos line is Exhibit 18's (a partner or all countries). Only the autos line is held
-- by partner; other lines have no official figure.
-- A Census balance is the one the release printed unless its flows were revised since (as in
-- marts.balance_monthly), else exports - imports. first_print_source and latest_source name
-- the release (FT-900 exhibit, country file) and the rows the figure was computed from.
-- A claim about another series (current account, real, petroleum, end-use lines, total trade,
-- a share of GDP) has no official figure here, except advanced technology products (Census
-- aggregate 0007); it is never checked against the headline. An annual rate is ambiguous.
-- Verdict safety: a claim whose reading was unsure of anything (core.news_claims.uncertain) is
-- never said to differ, only ambiguous, with the reason in why_ambiguous.
-- Tolerance: the claim's written rounding; "about" doubles it; "almost" accepts an official
-- magnitude up to two written units below the figure (and its rounding above); "more than"
-- accepts any magnitude at or above the figure less its rounding.
-- The official counterpart of a claim in one vintage, in the claim's own terms: the level
-- itself; a change in $M or as percent of the magnitude; a share as percent of the whole.
CREATE OR REPLACE MACRO marts.claim_official(kind, change_percent, now_v, before_v, whole_v) AS
    CASE kind
        WHEN 'level' THEN now_v
        WHEN 'change' THEN CASE WHEN change_percent IS NULL
            THEN abs(now_v) - abs(before_v)
            ELSE (abs(now_v) - abs(before_v)) / nullif(abs(before_v), 0) * 100
            END
        ELSE now_v / nullif(whole_v, 0) * 100
    END;
COMMENT ON MACRO marts.claim_official IS 'marts.claim_official(kind, change_percent, now, before, whole): what a claim of that kind measures, computed from official values of one vintage (used by marts.claim_check).';

CREATE OR REPLACE VIEW marts.claim_check AS
-- Built in named steps: intermediate.claims_to_check (what each claim is checked against),
-- intermediate.claim_rows (the official rows it needs), intermediate.claim_leg_values (their
-- values as first printed, as of the article's day and latest); here the verdict.
WITH claims AS (
    SELECT * FROM intermediate.claims_to_check
),
best_legs AS (
    SELECT * FROM intermediate.claim_leg_values
),
officials AS (
    SELECT
        claims.*,
        now_leg.first_v AS first_now, now_leg.as_of_v AS as_of_now,
        now_leg.latest_v AS latest_now,
        before_leg.first_v AS first_before, before_leg.as_of_v AS as_of_before,
        before_leg.latest_v AS latest_before,
        whole.first_v AS first_whole, whole.as_of_v AS as_of_whole,
        whole.latest_v AS latest_whole,
        -- A share's figure comes from its part and its whole.
        concat_ws(' / ', now_leg.first_source, whole.first_source) AS first_source,
        concat_ws(' / ', now_leg.latest_source, whole.latest_source) AS latest_source
    FROM claims
    LEFT JOIN best_legs AS now_leg ON now_leg.claim_id = claims.claim_id AND now_leg.leg = 'now'
    LEFT JOIN best_legs AS before_leg
        ON before_leg.claim_id = claims.claim_id AND before_leg.leg = 'before'
    LEFT JOIN best_legs AS whole ON whole.claim_id = claims.claim_id AND whole.leg = 'whole'
),
-- What each claim says as one number, and the official counterpart in each vintage: the level
-- itself; a change as signed percent (or $M) of the magnitude ("the deficit widened 9.7%" is
-- |balance| up 9.7%); a share as percent of the whole.
compared AS (
    SELECT
        *,
        CASE kind
            WHEN 'level' THEN value_musd
            WHEN 'change' THEN coalesce(change_percent, change_musd)
                * CASE change_direction WHEN 'down' THEN -1 ELSE 1 END
            ELSE percent
        END AS claimed,
        CASE
            WHEN kind = 'change' AND change_percent IS NULL THEN rounding_musd
            WHEN kind IN ('change', 'share', 'component_share') THEN rounding_percent
            ELSE rounding_musd
        END AS tolerance,
        marts.claim_official(kind, change_percent, first_now, first_before, first_whole)
            AS official_first,
        marts.claim_official(kind, change_percent, as_of_now, as_of_before, as_of_whole)
            AS official_as_of,
        marts.claim_official(kind, change_percent, latest_now, latest_before, latest_whole)
            AS official_latest
    FROM officials
),
matched AS (
    SELECT
        *,
        list_transform(
            [official_first, official_as_of, official_latest],
            lambda x: CASE
                WHEN x IS NULL OR claimed IS NULL THEN NULL
                WHEN sign(x) <> sign(claimed) AND claimed <> 0 THEN false
                WHEN list_contains(qualifiers, 'more_than')
                    THEN abs(x) >= abs(claimed) - coalesce(tolerance, 0)
                WHEN list_contains(qualifiers, 'almost')
                    THEN abs(x) BETWEEN abs(claimed) - 4 * coalesce(tolerance, 0)
                                    AND abs(claimed) + coalesce(tolerance, 0)
                WHEN list_contains(qualifiers, 'approximately')
                    THEN abs(x - claimed) <= 2 * coalesce(tolerance, 0)
                ELSE abs(x - claimed) <= coalesce(tolerance, 0)
            END
        ) AS hits
    FROM compared
),
final AS (
    SELECT
        claim_id,
        article_id,
        published_date,
        quoted_text,
        sentence,
        kind,
        metric,
        coalesce(wanted_product, product) AS product,
        partner_code,
        partner_name,
        period,
        frequency,
        compared_period,
        basis,
        adjustment,
        period_kind,
        series,
        qualifiers,
        uncertain,
        CAST(claimed AS DECIMAL(18, 6)) AS claimed_value,
        CAST(tolerance AS DECIMAL(18, 6)) AS tolerance_value,
        CAST(official_first AS DECIMAL(18, 6)) AS first_print_value,
        CAST(official_as_of AS DECIMAL(18, 6)) AS as_of_value,
        CAST(official_latest AS DECIMAL(18, 6)) AS latest_value,
        CASE WHEN official_first IS NOT NULL THEN nullif(first_source, '') END
            AS first_print_source,
        CASE WHEN official_latest IS NOT NULL THEN nullif(latest_source, '') END AS latest_source,
        CASE
            WHEN metric IS NULL OR partner_code IS NULL OR period IS NULL
                OR (kind = 'change' AND change_direction IS NULL)
                OR period_kind = 'annualized'
                THEN 'ambiguous'
            WHEN official_latest IS NULL THEN 'no_official_figure'
            WHEN hits[1] AND hits[3] THEN 'matches_first_print'
            WHEN hits[3] THEN 'matches_latest'
            WHEN coalesce(hits[1], false) OR coalesce(hits[2], false) THEN 'revised_since'
            -- Never accuse a figure the reading was unsure of.
            WHEN len(uncertain) > 0 THEN 'ambiguous'
            ELSE 'differs'
        END AS verdict,
        CASE
            WHEN metric IS NULL THEN 'no measure'
            WHEN partner_code IS NULL THEN 'partner unclear'
            WHEN period IS NULL THEN 'no period'
            WHEN kind = 'change' AND change_direction IS NULL THEN 'no direction'
            WHEN period_kind = 'annualized' THEN 'an annual rate, not a period''s figure'
            WHEN official_latest IS NULL THEN NULL
            WHEN coalesce(hits[1], false) OR coalesce(hits[2], false) OR coalesce(hits[3], false)
                THEN NULL
            WHEN len(uncertain) > 0 THEN array_to_string(uncertain, '; ')
        END AS why_ambiguous
    FROM matched
)
SELECT * FROM final
ORDER BY article_id, claim_id;

COMMENT ON VIEW marts.claim_check IS 'Each figure quoted in the news (newest extractor version per article) against the official figure of the same measure, partner, period and basis: first print, as current on the publication date, and latest, with a verdict. Headline (partner -) figures: BOP basis, SA, goods and services unless the text says goods or services; bilateral: Census basis, NSA, goods. Changes are recomputed from the official figures of both periods (percent of the magnitude); shares against the Census world total (0015); component shares (autos and parts of the deficit with a partner) as FT-900 Exhibit 18 over the partner''s goods balance (marts.autos_by_partner''s figures, per vintage). A year to date is the YTD row a release printed where held, else the sum of its months. Tolerance: the written rounding; approximately doubles it; almost accepts a magnitude up to two written units below; more_than any magnitude at or above.';
COMMENT ON COLUMN marts.claim_check.claim_id IS 'The claim (core.news_claims).';
COMMENT ON COLUMN marts.claim_check.article_id IS 'The article (core.news_articles).';
COMMENT ON COLUMN marts.claim_check.published_date IS 'Publication date of the article (UTC): the as-of date of the check.';
COMMENT ON COLUMN marts.claim_check.quoted_text IS 'The figure as written.';
COMMENT ON COLUMN marts.claim_check.sentence IS 'The sentence it was read from (the evidence).';
COMMENT ON COLUMN marts.claim_check.kind IS 'level, change, share (a partner''s part of all countries'' figure, or a share of GDP) or component_share (a release line''s part of the partner''s balance: autos and parts of the deficit with Japan).';
COMMENT ON COLUMN marts.claim_check.metric IS 'balance, exports or imports.';
COMMENT ON COLUMN marts.claim_check.product IS 'Product compared: the article''s, else goods_and_services for a headline figure; NULL for a bilateral claim about services (not held).';
COMMENT ON COLUMN marts.claim_check.partner_code IS 'Census country code; - = all countries; NULL = not said.';
COMMENT ON COLUMN marts.claim_check.partner_name IS 'Partner as named in the text.';
COMMENT ON COLUMN marts.claim_check.period IS 'First day of the month, quarter or year claimed.';
COMMENT ON COLUMN marts.claim_check.frequency IS 'M, Q or A (a quarter is checked as the sum of its months, a year as its annual row or the sum of 12 months).';
COMMENT ON COLUMN marts.claim_check.compared_period IS 'For a change: the period it is measured from.';
COMMENT ON COLUMN marts.claim_check.basis IS 'Basis compared with: bop (headline) or census (bilateral).';
COMMENT ON COLUMN marts.claim_check.adjustment IS 'Adjustment compared with: sa (headline) or nsa (bilateral).';
COMMENT ON COLUMN marts.claim_check.period_kind IS 'month, quarter, year, ytd (January through the month of period: checked against the year-to-date row a release printed, else the sum of its months) or annualized (never checked).';
COMMENT ON COLUMN marts.claim_check.series IS 'headline or the release line the claim is about; only headline, atp (Census 0007) and the autos line (levels, changes and component shares: FT-900 Exhibit 18) are checked, others are no_official_figure.';
COMMENT ON COLUMN marts.claim_check.uncertain IS 'What the reading was unsure of; such a claim is ambiguous rather than differs.';
COMMENT ON COLUMN marts.claim_check.why_ambiguous IS 'For an ambiguous verdict: what was missing or uncertain.';
COMMENT ON COLUMN marts.claim_check.qualifiers IS 'The claim''s qualifiers (approximately, almost and more_than change the tolerance).';
COMMENT ON COLUMN marts.claim_check.claimed_value IS 'What the claim says as one number: a level in $M (signed, deficit negative), a change in percent (or $M) of the magnitude, negative when down, a share (or component share) in percent.';
COMMENT ON COLUMN marts.claim_check.tolerance_value IS 'Half the last written unit of the figure (in its own unit), before the qualifiers widen it.';
COMMENT ON COLUMN marts.claim_check.first_print_value IS 'The official counterpart of claimed_value as first printed (oldest vintage held).';
COMMENT ON COLUMN marts.claim_check.as_of_value IS 'The official counterpart as published on or before the publication date; NULL when nothing was yet published then.';
COMMENT ON COLUMN marts.claim_check.latest_value IS 'The official counterpart in the newest vintage.';
COMMENT ON COLUMN marts.claim_check.verdict IS 'ambiguous (no metric, partner or period, an annual rate, or a figure that did not match while its reading was unsure: see why_ambiguous), no_official_figure (not held), matches_first_print (matches the first print and the latest), matches_latest (the latest, not the first print), revised_since (matched the first print or the figure current at publication, not the latest), differs.';
COMMENT ON COLUMN marts.claim_check.first_print_source IS 'Where first_print_value comes from: the source and FT-900 exhibit (ops.releases), and the rows (month, sum of N months, year to date, year); part / whole for a share.';
COMMENT ON COLUMN marts.claim_check.latest_source IS 'Where latest_value comes from, as first_print_source.';
