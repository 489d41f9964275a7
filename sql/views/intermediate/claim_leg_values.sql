-- intermediate.claim_leg_values, step 3 of the claim check (marts/claim_check.sql): each
-- leg's official value as first printed, as current on the article's day and as now, and
-- where it comes from.
-- A Census balance is the one the release printed unless its flows were revised since (as in
-- marts.balance_monthly), else exports - imports.
CREATE OR REPLACE VIEW intermediate.claim_leg_values AS
WITH parts AS (
    SELECT * FROM intermediate.claim_rows
),
ranked AS (
    SELECT * FROM core.observations_ranked
    WHERE commodity_class IN ('total', 'motor_vehicles') AND commodity_code = '-'
),
-- Each row as first printed, as published on the article's day and as now: value, when, which
-- release.
valued AS (
    SELECT
        parts.*,
        (SELECT {'v': value_musd, 'at': vintage_at, 'release_id': release_id} FROM ranked AS o
         WHERE o.basis = parts.basis AND o.adjustment = parts.adjustment
           AND o.product = parts.product AND o.flow = parts.flow
           AND o.partner_code = parts.partner_code AND o.frequency = parts.frequency
           AND o.period = parts.period AND o.commodity_class = parts.commodity_class
         ORDER BY vintage_at ASC, source_rank ASC, release_id ASC LIMIT 1) AS first_obs,
        (SELECT {'v': value_musd, 'at': vintage_at, 'release_id': release_id} FROM ranked AS o
         WHERE o.basis = parts.basis AND o.adjustment = parts.adjustment
           AND o.product = parts.product AND o.flow = parts.flow
           AND o.partner_code = parts.partner_code AND o.frequency = parts.frequency
           AND o.period = parts.period AND o.commodity_class = parts.commodity_class
           AND o.vintage_at < parts.published_date + INTERVAL 1 DAY
         ORDER BY vintage_at DESC, source_rank ASC, release_id DESC LIMIT 1) AS as_of_obs,
        (SELECT {'v': value_musd, 'at': vintage_at, 'release_id': release_id} FROM ranked AS o
         WHERE o.basis = parts.basis AND o.adjustment = parts.adjustment
           AND o.product = parts.product AND o.flow = parts.flow
           AND o.partner_code = parts.partner_code AND o.frequency = parts.frequency
           AND o.period = parts.period AND o.commodity_class = parts.commodity_class
         ORDER BY vintage_at DESC, source_rank ASC, release_id DESC LIMIT 1) AS latest_obs
    FROM parts
),
observed AS (
    SELECT claim_id, leg, frequency, role, sign, needed, 'first' AS vintage, first_obs AS obs
    FROM valued
    UNION ALL
    SELECT claim_id, leg, frequency, role, sign, needed, 'as_of', as_of_obs FROM valued
    UNION ALL
    SELECT claim_id, leg, frequency, role, sign, needed, 'latest', latest_obs FROM valued
),
-- A leg's value in one vintage only when every row is there: the printed balance unless a flow
-- is newer than it, else the flows.
routes AS (
    SELECT
        claim_id, leg, frequency, vintage,
        count(*) FILTER (WHERE role = 'flow') AS rows_found,
        any_value(needed) AS needed,
        CASE WHEN count(obs.v) FILTER (WHERE role = 'flow') = count(*) FILTER (WHERE role = 'flow')
            THEN sum(sign * obs.v) FILTER (WHERE role = 'flow') END AS flows_v,
        CASE WHEN count(*) FILTER (WHERE role = 'printed') > 0
            AND count(obs.v) FILTER (WHERE role = 'printed')
                = count(*) FILTER (WHERE role = 'printed')
            THEN sum(obs.v) FILTER (WHERE role = 'printed') END AS printed_v,
        min(obs.at) FILTER (WHERE role = 'printed') AS printed_at,
        max(obs.at) FILTER (WHERE role = 'flow') AS flows_at,
        list(DISTINCT obs.release_id) FILTER (WHERE role = 'printed') AS printed_releases,
        list(DISTINCT obs.release_id) FILTER (WHERE role = 'flow') AS flow_releases
    FROM observed
    GROUP BY claim_id, leg, frequency, vintage
),
chosen AS (
    SELECT
        claim_id, leg, frequency, vintage, rows_found, needed,
        CASE WHEN printed_v IS NOT NULL AND (flows_v IS NULL OR printed_at >= flows_at)
            THEN printed_v ELSE flows_v END AS v,
        CASE WHEN printed_v IS NOT NULL AND (flows_v IS NULL OR printed_at >= flows_at)
            THEN printed_releases ELSE flow_releases END AS releases
    FROM routes
),
-- Which release and rows a value came from: "ft900 Exhibit 14, year to date", "census_country,
-- sum of 8 months".
release_labels AS (
    SELECT
        release_id,
        source || coalesce(' Exhibit ' || nullif(regexp_extract(url, '/exh([0-9]+[a-z]*)[._]', 1),
            ''), '') AS label
    FROM ops.releases
),
described AS (
    SELECT
        chosen.*,
        CASE WHEN v IS NOT NULL THEN
            (SELECT string_agg(DISTINCT label, ' + ' ORDER BY label) FROM release_labels
             WHERE list_contains(chosen.releases, release_labels.release_id))
            || CASE frequency
                WHEN 'YTD' THEN ', year to date'
                WHEN 'A' THEN ', year'
                ELSE CASE WHEN needed > 1 THEN ', sum of ' || needed || ' months' ELSE ', month'
                    END
            END
        END AS source_label
    FROM chosen
),
leg_values AS (
    SELECT
        claim_id, leg, frequency,
        any_value(rows_found) AS rows_found, any_value(needed) AS needed,
        any_value(v) FILTER (WHERE vintage = 'first') AS first_v,
        any_value(v) FILTER (WHERE vintage = 'as_of') AS as_of_v,
        any_value(v) FILTER (WHERE vintage = 'latest') AS latest_v,
        any_value(source_label) FILTER (WHERE vintage = 'first') AS first_source,
        any_value(source_label) FILTER (WHERE vintage = 'latest') AS latest_source
    FROM described
    GROUP BY claim_id, leg, frequency
),
-- Prefer the annual row, then the year-to-date row a release printed, to a sum of months; a sum
-- of months needs all of them.
best_legs AS (
    SELECT * FROM leg_values
    WHERE frequency IN ('A', 'YTD') OR rows_found = needed * (rows_found // greatest(needed, 1))
    QUALIFY row_number() OVER (
        PARTITION BY claim_id, leg
        ORDER BY (latest_v IS NOT NULL) DESC,
            CASE frequency WHEN 'A' THEN 0 WHEN 'YTD' THEN 1 ELSE 2 END
    ) = 1
)
SELECT * FROM best_legs;

COMMENT ON VIEW intermediate.claim_leg_values IS 'Step 3 of the news claim check (the claim_check mart): each claim''s leg as first printed, as published on the article''s day and as now (a value only when every row it is made of is held; the annual row, then the year-to-date row a release printed, preferred to a sum of months), with the release and rows it comes from.';
