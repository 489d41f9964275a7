"""FT-900 Exhibit 1 ("U.S. International Trade in Goods and Services"): address and layout."""

import re

# Census replaces this file with every monthly FT-900 release (the same folder holds ft900.pdf
# and exh<N>.xlsx for the other exhibits); it only ever holds the current release.
LIVE_URL = "https://www.census.gov/foreign-trade/Press-Release/current_press_release/exh1.xlsx"
SAMPLE_GLOB = "ft900/exh1_*.xlsx"

# The 9 value columns right of "Period", in order: (flow, product).
COLUMNS = (
    ("balance", "goods_and_services"),
    ("balance", "goods"),
    ("balance", "services"),
    ("exports", "goods_and_services"),
    ("exports", "goods"),
    ("exports", "services"),
    ("imports", "goods_and_services"),
    ("imports", "goods"),
    ("imports", "services"),
)
FLOW_HEADER = ("Balance", "", "", "Exports", "", "", "Imports", "", "")
PRODUCT_HEADER = ("Total", "Goods (1)", "Services") * 3
PERIOD_HEADER = "Period"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Labels as published, e.g. "2025", "Jan. - Dec. (R)", "Jan.- Dec.", "Jan. - Sep.", "Jan. -",
# "Jan. - (R)", "January (R) ", "December data as published last month:".
REVISED = re.compile(r"\(R\)")
YEAR = re.compile(r"^(\d{4})$")
ANNUAL = re.compile(r"^Jan\.\s*-\s*Dec\.(\s*\(R\))?$")
YEAR_TO_DATE = re.compile(r"^Jan\.\s*-(\s*[A-Z][a-z]{2}\.)?(\s*\(R\))?$")
MONTH = re.compile(rf"^({'|'.join(MONTHS)})(\s*\(R\))?$")
AS_PUBLISHED = re.compile(rf"^({'|'.join(MONTHS)}) data as published last month:?$")
TITLE = re.compile(r"^Exhibit 1\.")
# Goods are on a balance of payments basis only because footnote (1) says so.
BOP_FOOTNOTE = re.compile(r"^\(1\).*balance[- ]of[- ]payments \(BOP\) basis", re.IGNORECASE)

# What our writer puts around the figures: the published wording.
SHEET = "1"
TITLE_LINES = (
    "Part A: Seasonally Adjusted (by Commodity/Service)",
    "Exhibit 1. U.S. International Trade in Goods and Services",
    "In millions of dollars. Details may not equal totals due to seasonal adjustment and "
    "rounding. (R) - Revised.",
)
FOOTNOTES = (
    "(1) Data are presented on a balance of payments (BOP) basis.",
    "NOTE: For information on data sources and methodology, see the explanatory notes in this "
    "release or at www.census.gov/ft900 or",
    "www.bea.gov/data/intl-trade-investment/international-trade-goods-and-services.",
)
