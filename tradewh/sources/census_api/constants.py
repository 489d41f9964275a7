"""Census International Trade API (api.census.gov/data/timeseries/intltrade): endpoints, variables,
release and revision rules, country codes."""

import re
from datetime import date
from typing import NamedTuple

BASE_URL = "https://api.census.gov/data/timeseries/intltrade"


class Endpoint(NamedTuple):
    path: str  # under BASE_URL
    value: str  # the monthly value variable, whole dollars
    commodity: str  # the commodity code variable
    commodity_class: str  # what its codes are: enduse | hs


# General imports (GEN_VAL_MO), as the FT-900 and the country file count imports; imports for
# consumption (CON_VAL_MO) are another measure.
ENDPOINTS = {
    "exports": Endpoint("exports/enduse", "ALL_VAL_MO", "E_ENDUSE", "enduse"),
    "imports": Endpoint("imports/enduse", "GEN_VAL_MO", "I_ENDUSE", "enduse"),
}
# Harmonized System detail: exports by Schedule B code, imports by HTS code (both HS at 10
# digits), at the level asked for with the COMM_LVL predicate (HS2, HS4, HS6 or HS10).
HS_ENDPOINTS = {
    "exports": Endpoint("exports/hs", "ALL_VAL_MO", "E_COMMODITY", "hs"),
    "imports": Endpoint("imports/hs", "GEN_VAL_MO", "I_COMMODITY", "hs"),
}
FLOW_OF_VALUE = {endpoint.value: flow for flow, endpoint in ENDPOINTS.items()}
# Commodity variable -> (the flow it belongs to, its commodity_class).
COMMODITY_VARIABLES = {
    endpoint.commodity: (flow, endpoint.commodity_class)
    for endpoints in (ENDPOINTS, HS_ENDPOINTS)
    for flow, endpoint in endpoints.items()
}
HS_LEVELS = ("HS2", "HS4", "HS6", "HS10")
# Opt-in: None fetches end-use only (what the nightly refresh asks for). An HS level ("HS10")
# adds one request per flow and span of months to the HS endpoints at that level; HS10 detail
# is about a million rows per flow and year, so it is not fetched unless asked for.
HS_LEVEL: str | None = None
COMM_LVL = "COMM_LVL"

PARTNER_CODE = "CTY_CODE"
PARTNER_NAME = "CTY_NAME"
TIME = "time"

# The API holds months from January 2010; earlier months answer 204 with an empty body.
FIRST_MONTH = date(2010, 1, 1)
# The API is updated on FT-900 release day, about 35 days after the month (33 at the earliest,
# e.g. February 2020 data on 2 April 2020). A month asked a little early answers 204: harmless.
RELEASE_LAG_DAYS = 33
# Each June, with the April statistics, Census revises goods on a Census basis for the prior
# three calendar years (Census "Guide to Foreign Trade Statistics", revision procedure; seen in
# the country-file vintages: 2019-2021 changed between May 2022 and November 2024, 2018 did not).
ANNUAL_REVISION_MONTH = 4
ANNUAL_REVISION_YEARS = 3

# CTY_CODE "-" is the total for all countries. Groupings (Census API user guide, appendix E):
# "00xx" trade groups (0003 European Union, 0014 Pacific Rim, 0020 NAFTA, ...) and "nXXX"
# continents (1XXX North America ... 7XXX Africa). Every other code is a Schedule C country.
ALL_COUNTRIES = "-"
GROUP_CODE = re.compile(r"00\d\d|\dXXX", re.IGNORECASE)

# The end-use variable is "-" on the all-commodities row ("" in responses of 2016 and before);
# below it come the 1-digit principal categories (3 = automotive vehicles, parts and engines)
# and their 5-digit subdivisions, all in one response unless COMM_LVL (EU1 | EU5) filters them.
# The HS variables (E_COMMODITY, I_COMMODITY) mark their all-commodities row the same way.
TOTAL_COMMODITY = "-"
TOTAL_COMMODITY_CODES = frozenset({"-", ""})

# Cells the API publishes for a value it does not have.
MISSING_VALUES = frozenset({"", "NULL", "N/A"})
