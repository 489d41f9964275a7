-- The FT-900 exhibits beyond Exhibit 1 and the annual end-use workbook use the one series model
-- as it is: no new table or column, new values in existing columns. Only what those columns may
-- hold is documented anew (comments: nothing DuckLake lacks).
COMMENT ON COLUMN core.observations.frequency IS 'M (month), Q (quarter: period is its first month), A (year) or YTD (year to date: January to the month of period).';
COMMENT ON COLUMN core.observations.commodity_class IS 'total, enduse (1-digit categories 0-5, FT-900 commodity lines such as 3.passenger_cars_new_and_used, 5-digit codes, petroleum and non_petroleum), motor_vehicles (FT-900 Exhibit 18) or petroleum (Exhibit 17).';
COMMENT ON COLUMN core.observations.commodity_code IS 'Code within commodity_class as published (end-use 1- or 5-digit code, FT-900 commodity line, motor vehicle group); "-" for the total of the class.';
COMMENT ON COLUMN core.observations.row_kind IS 'month, quarter, annual, year_to_date, as_published_last_month (FT-900: the previous month''s first print) or observation (ALFRED).';
COMMENT ON COLUMN core.observations.partner_code IS 'Census country code as text (leading zeros kept); 00xx codes are aggregates (world, regions, groups); - = all countries; FT-900 exhibits add area:<name> (areas without a Census code), other:<area> (an area''s "Other" line), unidentified and timing_adjustment (all aggregates).';
COMMENT ON COLUMN staging.observations.frequency IS 'M (month), Q (quarter: period is its first month), A (year) or YTD (year to date: January to the month of period).';
COMMENT ON COLUMN staging.observations.commodity_class IS 'total, enduse (1-digit categories 0-5, FT-900 commodity lines such as 3.passenger_cars_new_and_used, 5-digit codes, petroleum and non_petroleum), motor_vehicles (FT-900 Exhibit 18) or petroleum (Exhibit 17).';
COMMENT ON COLUMN staging.observations.row_kind IS 'month, quarter, annual, year_to_date, as_published_last_month or observation.';
