"""FRED/ALFRED series observations: the address, the real-time window and the series we know."""

from typing import NamedTuple

API_URL = "https://api.stlouisfed.org/fred/series/observations"
# The whole real-time axis: ALFRED then answers every value each observation ever had, each
# with the dates it was current.
REALTIME_START = "1776-07-04"
REALTIME_END = "9999-12-31"
# The API's largest page. FRED only tells the total (`count`) in its answer, so paging cannot be
# planned before asking; one page this size holds a series' whole history many times over.
PAGE_LIMIT = 100_000
# "Observations by real-time period": one row per value with its realtime_start/realtime_end.
OUTPUT_TYPE = 1
MISSING = "."
# One file per series, named by its FRED id: BOPGSTB.json.
SAMPLE_GLOB = "alfred/*.json"


class Series(NamedTuple):
    flow: str
    product: str
    basis: str
    adjustment: str
    unit: str
    frequency: str


# Census/BEA "U.S. International Trade in Goods and Services" aggregates as FRED carries them:
# balance of payments basis, seasonally adjusted, millions of dollars, monthly from 1992-01.
SERIES = {
    "BOPGSTB": Series("balance", "goods_and_services", "bop", "sa", "musd", "M"),
    "BOPTEXP": Series("exports", "goods_and_services", "bop", "sa", "musd", "M"),
    "BOPTIMP": Series("imports", "goods_and_services", "bop", "sa", "musd", "M"),
}

# These series are U.S. totals with every partner and every commodity.
PARTNER_CODE = "-"
PARTNER_NAME = "All countries"
COMMODITY_CLASS = "total"
COMMODITY_CODE = "-"
ROW_KIND = "observation"
