"""Word lists the rules read: what a trade figure is about and what qualifies it. Data, not logic,
so a new phrasing is a new word here rather than a new rule."""

from __future__ import annotations

BALANCE_DEFICIT = frozenset(
    {"deficit", "deficits", "gap", "gaps", "imbalance", "shortfall", "shortfalls"}
)
BALANCE_SURPLUS = frozenset({"surplus", "surpluses"})
EXPORT_WORDS = frozenset({"exports"})
IMPORT_WORDS = frozenset({"imports", "import"})
# Nouns that mean exports or imports only with a word that says abroad: "shipments abroad",
# "sales to Japan", "purchases of foreign goods", "purchases from abroad".
EXPORT_NOUNS_WITH_ABROAD = frozenset({"shipments", "sales"})
IMPORT_NOUNS_WITH_ABROAD = frozenset({"purchases"})
ABROAD_WORDS = frozenset({"abroad", "overseas", "foreign"})
# Verbs that state a flow when the United States is their subject ("the U.S. imported $1.98
# billion of German cars", "the United States bought $33.4 billion ... and sold it $1.5
# billion"); with a partner as subject they are the partner's side, and are not read.
IMPORT_VERBS = frozenset({"imported", "bought", "purchased"})
EXPORT_VERBS = frozenset({"exported", "sold", "shipped"})

SCALES = {
    "thousand": 0.001,
    "million": 1,
    "mln": 1,
    "billion": 1_000,
    "bln": 1_000,
    "bn": 1_000,
    "b": 1_000,
    "m": 1,
    "mn": 1,
    "trillion": 1_000_000,
    "tn": 1_000_000,
    "trn": 1_000_000,
}

UP_WORDS = frozenset(
    {
        "rose",
        "rise",
        "rises",
        "risen",
        "rising",
        "climbed",
        "climb",
        "increased",
        "increase",
        "increases",
        "grew",
        "grown",
        "grow",
        "widened",
        "widen",
        "widening",
        "jumped",
        "jump",
        "surged",
        "surge",
        "swelled",
        "soared",
        "vaulted",
        "expanded",
        "ballooned",
        "rebounded",
        "up",
        "larger",
        "higher",
        "bigger",
        "wider",
        "more",
        "gained",
        "advanced",
        "increasing",
        "climbing",
        "spiked",
        "leapt",
        "leaped",
        "mounted",
        "hiked",
        "surging",
        "soaring",
        "jumping",
        "expanding",
        "widens",
        "jumps",
        "surges",
        "climbs",
    }
)
DOWN_WORDS = frozenset(
    {
        "fell",
        "fall",
        "falls",
        "fallen",
        "falling",
        "declined",
        "decline",
        "declines",
        "dropped",
        "drop",
        "drops",
        "narrowed",
        "narrow",
        "narrowing",
        "shrank",
        "shrunk",
        "shrink",
        "slipped",
        "decreased",
        "decrease",
        "tumbled",
        "plunged",
        "plummeted",
        "dipped",
        "eased",
        "down",
        "smaller",
        "lower",
        "less",
        "contracted",
        "slid",
        "sank",
        "retreated",
        "declining",
        "slumped",
        "shrinking",
        "sliding",
        "slipping",
        "tumbling",
        "plunging",
        "contracting",
        "narrows",
        "shrinks",
        "slides",
    }
)
FROM_WORDS = frozenset({"from", "than", "over", "compared", "versus", "vs.", "against"})

PRODUCT_WORDS = {"goods": "goods", "merchandise": "goods", "services": "services"}

# A figure whose nearby noun is one of these is about something else: a rescue package, storm
# damage, tariffs on a sum of imports, a company's revenue, ...
OTHER_THINGS = frozenset(
    {
        "package",
        "bill",
        "aid",
        "loan",
        "loans",
        "damage",
        "damages",
        "tariff",
        "tariffs",
        "duties",
        "duty",
        "revenue",
        "revenues",
        "profit",
        "profits",
        "budget",
        "spending",
        "investment",
        "investments",
        "fine",
        "fines",
        "deal",
        "contract",
        "plant",
        "factory",
        "bailout",
        "rescue",
        "stimulus",
        "relief",
        "yield",
        "production",
        "value",
        "sales",
        "price",
        "prices",
        "reserves",
        "debt",
        "economy",
        "gdp",
        "jobs",
        "wages",
        "income",
        "subsidies",
        "subsidy",
        "fund",
        "funds",
        "bonds",
        "stake",
        "acquisition",
        "merger",
        "settlement",
        "penalty",
        "penalties",
        "cost",
        "costs",
        "worth",
        "market",
        "output",
    }
)
# Commodity words: "soybean exports", "imports of German cars" are not the total trade figure.
COMMODITIES = frozenset(
    {
        "soybean",
        "soybeans",
        "car",
        "cars",
        "vehicle",
        "vehicles",
        "aircraft",
        "airplane",
        "airplanes",
        "computer",
        "computers",
        "gold",
        "steel",
        "aluminum",
        "grain",
        "corn",
        "wheat",
        "textile",
        "textiles",
        "apparel",
        "clothing",
        "electronics",
        "chips",
        "semiconductors",
        "energy",
        "parts",
        "pork",
        "beef",
        "lumber",
        "chemicals",
        "pharmaceuticals",
        "drugs",
        "phones",
        "smartphones",
        "furniture",
        "toys",
        "shoes",
        "footwear",
        "machinery",
        "fuel",
        "gas",
        "coal",
        "farm",
        "agricultural",
    }
)
# Words that make a figure an expectation, aim or hypothesis rather than a reported figure.
NOT_REPORTED = frozenset(
    {
        "expected",
        "expect",
        "expects",
        "expecting",
        "forecast",
        "forecasts",
        "forecasted",
        "predicted",
        "predict",
        "projected",
        "projection",
        "estimate",
        "estimates",
        "consensus",
        "wanted",
        "want",
        "wants",
        "goal",
        "target",
        "targets",
        "aim",
        "aims",
        "hope",
        "hopes",
        "would",
        "could",
        "might",
        "polled",
        "surveyed",
        "anticipated",
        "seen",
        "forecasters",
        "pencilled",
        "penciled",
        "looked",
        "looking",
        "median",
        "course",
        "track",
        "projections",
        "survey",
        "predicting",
        "forecasting",
    }
)
# "misstated the deficit as $11.2 billion": the figure a correction withdraws.
WITHDRAWN = frozenset({"misstated", "misreported", "incorrectly", "erroneously", "wrongly"})
# "$100 million a day": a rate, not the level of a period.
RATE_UNITS = frozenset(
    {"day", "week", "month", "quarter", "year", "hour", "minute", "barrel", "ton", "tonne"}
)
RATE_WORDS = frozenset({"a", "per", "each", "every"})

APPROXIMATELY = frozenset(
    {"about", "roughly", "around", "approximately", "some", "estimated", "approx.", "circa"}
)
ALMOST = frozenset({"almost", "nearly", "close to", "just under", "just shy of", "just below"})
MORE_THAN = frozenset(
    {
        "more than",
        "over",
        "above",
        "upwards of",
        "in excess of",
        "topped",
        "exceeding",
        "exceeded",
        "just over",
        "just above",
    }
)
SUPERLATIVES = frozenset(
    {"largest", "highest", "biggest", "widest", "worst", "deepest", "steepest", "high"}
)
ORDINALS = frozenset(
    {"second", "third", "fourth", "fifth", "sixth", "2nd", "3rd", "4th", "5th", "6th"}
)
CLAUSE_BREAKS = frozenset({";", "while", "whereas", "although", "though", "meanwhile"})
# Words opening a subordinate clause that ends at its comma ("While imports rose, ...").
SUBORDINATORS = frozenset({"while", "although", "though", "whereas", "as", "despite", "if"})
