"""Census "Annual Country by 5-digit End-Use" imports workbook: its address and layout."""

import re

# Census replaces the file when it revises the annual figures (a vintage per replacement).
LIVE_URL = (
    "https://www.census.gov/foreign-trade/statistics/product/enduse/imports/enduse_imports.xlsx"
)
SAMPLE_GLOB = "census_enduse/enduse_imports_*.xlsx"
SHEET = "EnduseImp"
KEY_COLUMNS = ("CTY_CODE", "CTY_DESC", "END_USE", "COMM_DESC")
# One column per year: value_16 = 2016. Whole US dollars, general imports, customs value.
YEAR_COLUMN = re.compile(r"^value_(\d{2})$")
# The world total row; every other code is a country (the file has no 00xx groups).
WORLD_CODE = "0000"
