"""Census "U.S. trade in goods by country" workbook (country.xlsx): its address and layout."""

LIVE_URL = "https://www.census.gov/foreign-trade/balance/country.xlsx"
SHEET = "country"
SAMPLE_GLOB = "census_country/country_*.xlsx"

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
FLOWS = {"I": "imports", "E": "exports"}
KEY_COLUMNS = ("year", "CTY_CODE", "CTYNAME")
COLUMNS = (
    *KEY_COLUMNS,
    *(f"I{m}" for m in MONTHS),
    "IYR",
    *(f"E{m}" for m in MONTHS),
    "EYR",
)
# World, seasonally adjusted: the only seasonally adjusted row of the file.
SEASONALLY_ADJUSTED_CODES = frozenset({"0004"})
# The header is row 1 in the published file; tolerate a few title rows above it.
HEADER_SEARCH_ROWS = 20
