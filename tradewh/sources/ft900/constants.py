"""FT-900 Exhibit 1 ("U.S. International Trade in Goods and Services"): address and layout."""

import re

# Census replaces this file with every monthly FT-900 release (the same folder holds ft900.pdf
# and exh<N>.xlsx for the other exhibits); it only ever holds the current release.
LIVE_URL = "https://www.census.gov/foreign-trade/Press-Release/current_press_release/exh1.xlsx"
SAMPLE_GLOB = "ft900/exh1_*.xlsx"

# Every exhibit tradewh reads, by its file name in a release folder (exh<N>.xlsx): Exhibit 1 and
# the exhibits of tradewh.sources.ft900.exhibits (4s/4as: the supplemental country table).
EXHIBIT_FILES = (
    "exh1",
    "exh4s",
    "exh4as",
    "exh6",
    "exh7",
    "exh8",
    "exh9",
    "exh12",
    "exh13",
    "exh14",
    "exh14a",
    "exh17",
    "exh18",
    "exh19",
    "exh20",
    "exh20a",
    "exh20b",
)
CURRENT_URL = "https://www.census.gov/foreign-trade/Press-Release/current_press_release/{file}.xlsx"
# Past releases: Census's release archive keeps each release as one zip of its exhibit workbooks,
# named by the statistical (data) month YYMM, beside its PDF:
#   /foreign-trade/Press-Release/ft900/ft900xlsx_<YYMM>.zip  (.xlsx exhibits, e.g. 2108 = the
#       August 2021 data, released 2021-10-05)
#   /foreign-trade/Press-Release/ft900/ft900xls_<YYMM>.zip   (.xls exhibits, older releases)
#   /foreign-trade/Press-Release/ft900/ft900_<YYMM>.pdf      (the release itself)
# and lists them at /Press-Release/ft900_index.html. Where found (code index, no network here):
# a public test suite fetching ft900_2002.pdf and ft900xls_2002.zip (February 2020 data,
# released 2020-04-02; 31 members exh1.xls ... exh9.xls at the zip's top); a public research
# note that downloaded the 71 consecutive bundles ft900xlsx_2009.zip ... ft900xlsx_2607.zip
# (statistical months 2020-09 to 2026-07); PDFs ft900_2403.pdf, ft900_2607.pdf (July 2026 data,
# released 2026-09-03) cited with their dates; the reference set's August 2021 exhibits, which
# came as the unzipped ft900xlsx.zip. The xlsx zips' folder is inferred from the xls zips'.
# The per-month folders /Press-Release/<YYYY>pr/<MM>/ (also by data month: 2007pr/09/ft920/
# holds September 2007 figures) hold some exhibits as .xls (2020pr/07/exh2s.xls), and no source
# shows them holding .xlsx: tradewh reads the zips.
# Releases before September 2020 have only the .xls zip, which tradewh does not read: their
# xlsx zip answers 404, recorded as no data.
ARCHIVE_URL = "https://www.census.gov/foreign-trade/Press-Release/ft900/ft900xlsx_{yymm}.zip"
# Sample archive: ft900/exh<N>_<YYYY-MM>.xlsx (data month), every exhibit of a release.
SAMPLE_EXHIBITS_GLOB = "ft900/exh*_*.xlsx"

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
