-- marts.autos_by_partner: US trade in motor vehicles and parts with each partner (FT-900
-- Exhibit 18: NSA, Census basis), by month and year to date, with the partner's goods balance
-- of the same period (Exhibit 14, the supplemental country table or the country file: the same
-- series) and the share of that balance the autos balance makes up.
-- A table: computing it means ranking every vintage; a refresh recomputes only the rows a
-- publish can change (sql/refresh/ says which).
CREATE OR REPLACE TABLE marts.autos_by_partner AS
WITH latest AS (
    SELECT * FROM core.latest
    WHERE basis = 'census' AND adjustment = 'nsa' AND product = 'goods'
        AND frequency IN ('M', 'YTD')
        -- The two classes read below, named here so that HS detail is never scanned.
        AND commodity_class IN ('motor_vehicles', 'total')
),
autos AS (
    SELECT
        partner_code, period, frequency,
        arg_max(partner_name, vintage_at) AS partner_name,
        bool_or(partner_is_aggregate) AS is_aggregate,
        sum(value_musd) FILTER (WHERE commodity_code = '-' AND flow = 'exports') AS exports,
        sum(value_musd) FILTER (WHERE commodity_code = '-' AND flow = 'imports') AS imports,
        sum(value_musd) FILTER (WHERE commodity_code = 'passenger_cars' AND flow = 'imports')
            AS passenger_cars_imports,
        sum(value_musd) FILTER (WHERE commodity_code = 'trucks_buses' AND flow = 'imports')
            AS trucks_buses_imports,
        sum(value_musd) FILTER (WHERE commodity_code = 'parts' AND flow = 'imports')
            AS parts_imports,
        max(vintage_at) AS published_at
    FROM latest
    WHERE commodity_class = 'motor_vehicles'
    GROUP BY partner_code, period, frequency
),
-- The partner's goods balance as printed in the same release as the autos figures (Exhibits 14
-- and 4s of that release): a share compares figures of one vintage.
printed AS (
    SELECT
        partner_code, period, frequency, vintage_at, release_id,
        coalesce(
            sum(value_musd) FILTER (WHERE flow = 'balance'),
            sum(value_musd) FILTER (WHERE flow = 'exports')
                - sum(value_musd) FILTER (WHERE flow = 'imports')
        ) AS balance
    FROM core.observations_ranked
    WHERE basis = 'census' AND adjustment = 'nsa' AND product = 'goods'
        AND commodity_class = 'total' AND frequency IN ('M', 'YTD')
    GROUP BY partner_code, period, frequency, vintage_at, release_id
),
same_release AS (
    SELECT * FROM printed
    QUALIFY row_number() OVER (
        PARTITION BY partner_code, period, frequency, vintage_at ORDER BY release_id DESC
    ) = 1
),
-- And as now published (the country file revises it; it prints no balance).
goods AS (
    SELECT
        partner_code, period, frequency,
        sum(value_musd) FILTER (WHERE flow = 'exports') AS exports,
        sum(value_musd) FILTER (WHERE flow = 'imports') AS imports,
        -- As in marts.balance_monthly: a printed balance unless its flows were revised since.
        CASE
            WHEN max(vintage_at) FILTER (WHERE flow = 'balance')
                >= coalesce(max(vintage_at) FILTER (WHERE flow <> 'balance'), '-infinity')
                THEN sum(value_musd) FILTER (WHERE flow = 'balance')
        END AS published_balance
    FROM latest
    WHERE commodity_class = 'total'
    GROUP BY partner_code, period, frequency
),
final AS (
    SELECT
        autos.partner_code,
        autos.partner_name,
        autos.period,
        autos.frequency,
        CAST(autos.exports AS DECIMAL(18, 6)) AS exports_musd,
        CAST(autos.imports AS DECIMAL(18, 6)) AS imports_musd,
        CAST(autos.exports - autos.imports AS DECIMAL(18, 6)) AS balance_musd,
        CAST(autos.passenger_cars_imports AS DECIMAL(18, 6)) AS passenger_cars_imports_musd,
        CAST(autos.trucks_buses_imports AS DECIMAL(18, 6)) AS trucks_buses_imports_musd,
        CAST(autos.parts_imports AS DECIMAL(18, 6)) AS parts_imports_musd,
        CAST(same_release.balance AS DECIMAL(18, 6)) AS goods_balance_musd,
        -- A share of a zero or missing balance cannot be stated: NULL, never a division error.
        CAST(round(100 * (autos.exports - autos.imports) / nullif(same_release.balance, 0), 2)
            AS DECIMAL(18, 2)) AS share_of_goods_balance_pct,
        CAST(coalesce(goods.published_balance, goods.exports - goods.imports)
            AS DECIMAL(18, 6)) AS goods_balance_latest_musd,
        CAST(round(100 * (autos.exports - autos.imports)
            / nullif(coalesce(goods.published_balance, goods.exports - goods.imports), 0), 2)
            AS DECIMAL(18, 2)) AS share_of_goods_balance_latest_pct,
        autos.is_aggregate,
        'census' AS basis,
        'nsa' AS adjustment,
        autos.published_at
    FROM autos
    LEFT JOIN same_release
        ON same_release.partner_code = autos.partner_code AND same_release.period = autos.period
        AND same_release.frequency = autos.frequency
        AND same_release.vintage_at = autos.published_at
    LEFT JOIN goods
        ON goods.partner_code = autos.partner_code AND goods.period = autos.period
        AND goods.frequency = autos.frequency
)
SELECT * FROM final
ORDER BY partner_code, frequency, period;

COMMENT ON TABLE marts.autos_by_partner IS 'US trade in motor vehicles and parts by partner (FT-900 Exhibit 18: passenger cars, trucks/buses/special purpose vehicles and parts; not seasonally adjusted, Census basis), by month (M) and year to date (YTD, period = its last month), latest vintage, with the share of the partner''s goods balance of the same period. Millions of US dollars. Exhibit 18 lists different countries for exports and imports: a balance needs both.';
COMMENT ON COLUMN marts.autos_by_partner.partner_code IS 'Census country code (text); - = all countries; other:all = the exhibit''s "Other" line (the countries not listed).';
COMMENT ON COLUMN marts.autos_by_partner.partner_name IS 'Partner name as published in the latest vintage.';
COMMENT ON COLUMN marts.autos_by_partner.period IS 'First day of the month (M), or of the last month of the year to date (YTD: January to that month).';
COMMENT ON COLUMN marts.autos_by_partner.frequency IS 'M (month) or YTD (year to date through period).';
COMMENT ON COLUMN marts.autos_by_partner.exports_musd IS 'US exports of motor vehicles and parts to the partner, millions of US dollars; NULL where the exhibit does not list the partner among export markets.';
COMMENT ON COLUMN marts.autos_by_partner.imports_musd IS 'US imports of motor vehicles and parts from the partner, millions of US dollars; NULL where the exhibit does not list it among import sources.';
COMMENT ON COLUMN marts.autos_by_partner.balance_musd IS 'exports - imports of motor vehicles and parts, millions of US dollars; negative = US deficit; NULL unless both are published.';
COMMENT ON COLUMN marts.autos_by_partner.passenger_cars_imports_musd IS 'Imports of passenger cars, millions of US dollars.';
COMMENT ON COLUMN marts.autos_by_partner.trucks_buses_imports_musd IS 'Imports of trucks, buses and special purpose vehicles, millions of US dollars.';
COMMENT ON COLUMN marts.autos_by_partner.parts_imports_musd IS 'Imports of parts, millions of US dollars.';
COMMENT ON COLUMN marts.autos_by_partner.goods_balance_musd IS 'The partner''s goods balance in the same period and frequency as printed by the same release as the autos figures (all goods, Census basis, NSA: Exhibit 14 or the supplemental country table), millions of US dollars.';
COMMENT ON COLUMN marts.autos_by_partner.share_of_goods_balance_pct IS 'balance_musd / goods_balance_musd in percent: the part of the goods balance with the partner due to motor vehicles and parts, both as printed by one release (e.g. of the deficit with Japan). NULL where either is missing or the goods balance is zero.';
COMMENT ON COLUMN marts.autos_by_partner.goods_balance_latest_musd IS 'The partner''s goods balance in the same period as now published (latest vintage; the country file revises it), millions of US dollars.';
COMMENT ON COLUMN marts.autos_by_partner.share_of_goods_balance_latest_pct IS 'balance_musd / goods_balance_latest_musd in percent: the autos balance (as Exhibit 18 printed it) against the goods balance as now revised. NULL where either is missing or the balance is zero.';
COMMENT ON COLUMN marts.autos_by_partner.is_aggregate IS 'True for - (all countries) and the "Other" line: not a country.';
COMMENT ON COLUMN marts.autos_by_partner.basis IS 'census (Census basis).';
COMMENT ON COLUMN marts.autos_by_partner.adjustment IS 'nsa (not seasonally adjusted).';
COMMENT ON COLUMN marts.autos_by_partner.published_at IS 'Publication time of the newest autos figure in the row.';
