-- bench/growth.py: a warehouse already holding years of Census API HS10 detail, written as
-- publishing writes it (a ledger row, rows in core, a load), without going through the load
-- path: {years} yearly vintages (year y published in February of y + 1) of every partner x
-- HS10 code x month x flow of `partners` x `codes` (registered by the caller: the partners and
-- codes of bench/generate.py), values synthetic; beside them each partner's monthly totals,
-- as the API's all-commodities rows give them, so that the marts have something to hold.
INSERT INTO ops.releases (release_id, source, sha256, url, first_seen_at, published_at,
    period_start, period_end, row_count, status)
SELECT
    y - {first} + 1, 'census_api', 'bench-growth-' || y,
    'file:///bench/growth/hs10_' || y || '.json',
    make_timestamptz(y + 1, 2, 5, 13, 30, 0), make_timestamptz(y + 1, 2, 5, 13, 30, 0),
    make_date(y, 1, 1), make_date(y, 12, 1), NULL, 'published'
FROM range({first}, {last} + 1) AS t(y);

INSERT INTO core.observations (release_id, source, basis, adjustment, flow, partner_code,
    partner_name, partner_is_aggregate, commodity_class, commodity_code, frequency, period,
    value_musd, product, vintage_at, row_kind)
SELECT
    r.release_id, 'census_api', 'census', 'nsa', c.flow, p.code, p.name, p.code = '-',
    'hs', c.code, 'M', make_date(r.y, m.m, 1),
    -- Synthetic whole dollars, in $M: a value per partner, code, month and flow.
    CAST((hash(p.code, c.code, r.y, m.m, c.flow) % 5000000) / 1e6 AS DECIMAL(18, 6)),
    'goods', r.published_at, 'month'
FROM (SELECT release_id, published_at, {first} + release_id - 1 AS y FROM ops.releases) AS r
CROSS JOIN range(1, 13) AS m(m)
CROSS JOIN codes AS c
CROSS JOIN partners AS p;

INSERT INTO core.observations (release_id, source, basis, adjustment, flow, partner_code,
    partner_name, partner_is_aggregate, commodity_class, commodity_code, frequency, period,
    value_musd, product, vintage_at, row_kind)
SELECT
    release_id, source, basis, adjustment, flow, partner_code, any_value(partner_name),
    bool_or(partner_is_aggregate), 'total', '-', frequency, period, sum(value_musd), product,
    any_value(vintage_at), 'month'
FROM core.observations
GROUP BY release_id, source, basis, adjustment, flow, partner_code, frequency, period, product;

UPDATE ops.releases SET row_count = c.n
FROM (SELECT release_id, count(*) AS n FROM core.observations GROUP BY ALL) AS c
WHERE ops.releases.release_id = c.release_id;

INSERT INTO ops.loads (load_id, release_id, source, dataset, rows_published, loaded_at)
SELECT release_id, release_id, source, 'census_api', row_count, published_at
FROM ops.releases;
