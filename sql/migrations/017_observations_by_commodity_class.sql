-- Keep HS detail apart from the totals and end-use rows every mart reads: DuckLake writes each
-- commodity class of core.observations to files of its own (and merges files within a class
-- only), so a mart's filter on commodity_class skips every file of HS detail by the catalog's
-- partition values, however many years of it the warehouse holds. Rows written before keep
-- their files (mixed-class files are pruned by their column statistics where possible).
ALTER TABLE core.observations SET PARTITIONED BY (commodity_class);
