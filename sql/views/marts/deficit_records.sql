-- marts.deficit_records: record monthly deficits by partner (latest vintage).
-- A table: analysts query it often, and computing it means ranking every vintage of every
-- value; a refresh recomputes only the rows a publish can change (sql/refresh/ says which).
CREATE OR REPLACE TABLE marts.deficit_records AS
WITH monthly AS (
    SELECT * FROM marts.balance_monthly
),
-- How many earlier months had a deeper deficit: 0 = a record when it happened.
deeper_before AS (
    SELECT
        this.partner_code, this.product, this.basis, this.adjustment, this.period,
        count(earlier.period) AS deeper_months
    FROM monthly AS this
    LEFT JOIN monthly AS earlier
        ON earlier.partner_code = this.partner_code
        AND earlier.product = this.product
        AND earlier.basis = this.basis
        AND earlier.adjustment = this.adjustment
        AND earlier.period < this.period
        AND earlier.balance_musd < this.balance_musd
    GROUP BY ALL
),
final AS (
    SELECT
        monthly.partner_code,
        monthly.partner_name,
        monthly.period,
        monthly.balance_musd,
        monthly.balance_musd < 0 AND deeper_before.deeper_months = 0 AS is_record_deficit,
        CASE WHEN monthly.balance_musd < 0 THEN deeper_before.deeper_months + 1 END
            AS deficit_rank_to_date,
        CASE WHEN monthly.balance_musd < 0 THEN rank() OVER (
            PARTITION BY monthly.partner_code, monthly.product, monthly.basis,
                monthly.adjustment
            ORDER BY monthly.balance_musd ASC) END AS deficit_rank_all_time,
        monthly.product,
        monthly.basis,
        monthly.adjustment,
        monthly.is_aggregate
    FROM monthly
    JOIN deeper_before USING (partner_code, product, basis, adjustment, period)
)
SELECT * FROM final
ORDER BY partner_code, product, basis, adjustment, period;

COMMENT ON TABLE marts.deficit_records IS 'Record monthly deficits by partner: whether a month''s deficit was the deepest to date when it happened, and its rank among months up to then and among all months held. Latest vintage; ranks count only the months held in the warehouse.';
COMMENT ON COLUMN marts.deficit_records.partner_name IS 'Partner name.';
COMMENT ON COLUMN marts.deficit_records.period IS 'First day of the month.';
COMMENT ON COLUMN marts.deficit_records.balance_musd IS 'The month''s balance, millions of US dollars.';
COMMENT ON COLUMN marts.deficit_records.is_record_deficit IS 'True when the deficit was deeper than in every earlier month held (a record high deficit to date).';
COMMENT ON COLUMN marts.deficit_records.deficit_rank_to_date IS '1 = record to date, 2 = second-highest to date, ...; NULL for a surplus.';
COMMENT ON COLUMN marts.deficit_records.deficit_rank_all_time IS 'Rank among all months held (1 = the deepest deficit on record); NULL for a surplus.';
