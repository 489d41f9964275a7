-- The four layers of the warehouse. Data flows one way: staging -> core -> marts; ops records
-- what the pipeline did (fetches, releases, loads, quarantine, runs).
CREATE SCHEMA IF NOT EXISTS ops;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;
