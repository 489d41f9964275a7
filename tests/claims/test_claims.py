"""Claim extraction (tradewh.claims) and the claim check (marts.claim_check).

Unit cases per feature, on sentences written for these tests (not taken from the labelled set);
the precision/recall test on the labelled articles in tests/fixtures/claims; extract_new on a
temporary warehouse; and one claim per verdict on a fixture warehouse built from SQL text.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.claims_scoring import report, score
from tests.paths import FIXTURES
from tradewh import warehouse
from tradewh.claims import EXTRACTOR_VERSION, Claim, extract_claims
from tradewh.claims.render import claims_command, render_claims
from tradewh.claims.store import extract_new
from tradewh.settings import Settings

LABELLED = FIXTURES / "claims"
D = Decimal
MAY_1994 = date(1994, 5, 19)


def one(text: str, published: date | None = MAY_1994) -> Claim:
    claims = extract_claims(text, published)
    assert len(claims) == 1, claims
    return claims[0]


@pytest.mark.parametrize(
    ("text", "quoted", "value", "rounding"),
    [
        ("The trade deficit was $12.3 billion in March.", "$12.3 billion", D("-12300"), D("50")),
        (
            "The trade deficit was 4.2 billion dollars in March.",
            "4.2 billion dollars",
            D("-4200"),
            D("50"),
        ),
        ("Exports to Canada were $310 million in March.", "$310 million", D("310"), D("0.5")),
        (
            "The country ran a $1.1 trillion gap last year.",
            "$1.1 trillion",
            D("-1100000"),
            D("50000"),
        ),
        (
            "The deficit with Japan came to $5.75 billion in March.",
            "$5.75 billion",
            D("-5750"),
            D("5"),
        ),
        ("Imports reached $1,234.5 million in March.", "$1,234.5 million", D("1234.5"), D("0.05")),
    ],
)
def test_amounts_scale_and_rounding(text: str, quoted: str, value: Decimal, rounding: Decimal):
    claim = one(text)
    assert (claim.quoted_text, claim.value_musd, claim.rounding_musd) == (quoted, value, rounding)
    assert text[claim.start_char : claim.end_char] == quoted
    assert claim.sentence == text


@pytest.mark.parametrize(
    ("text", "metric", "sign", "product"),
    [
        ("The trade imbalance grew to $9 billion in March.", "balance", -1, None),
        ("The nation's shortfall was $9 billion in March.", "balance", -1, None),
        ("The services surplus rose to $6 billion in March.", "balance", 1, "services"),
        ("Shipments abroad climbed to $40 billion in March.", "exports", 1, None),
        ("Purchases of foreign goods rose to $50 billion in March.", "imports", 1, "goods"),
        (
            "The goods and services deficit was $9 billion in March.",
            "balance",
            -1,
            "goods_and_services",
        ),
        ("The merchandise trade gap stood at $9 billion in March.", "balance", -1, "goods"),
    ],
)
def test_metric_words(text: str, metric: str, sign: int, product: str | None):
    claim = one(text)
    assert (claim.metric, claim.value_musd * sign > 0, claim.product) == (metric, True, product)


@pytest.mark.parametrize(
    ("text", "code", "metric", "negative"),
    [
        ("The deficit with Canada was $1 billion in March.", "1220", "balance", True),
        ("Mexican imports rose to $4 billion in March.", "2010", "imports", False),
        ("The Chinese deficit narrowed to $2 billion in March.", "5700", "balance", True),
        ("The gap with the European Union was $8 billion in March.", "0003", "balance", True),
        ("Sales to South Korea rose to $2 billion in March.", "5800", "exports", False),
        ("America's overall deficit was $9 billion in March.", "-", "balance", True),
        # The partner's side: China's surplus with the US is a US deficit, Japan's exports to
        # the US are US imports.
        (
            "China's surplus with the United States hit $3 billion in March.",
            "5700",
            "balance",
            True,
        ),
        ("Japan's exports to the U.S. reached $10 billion in March.", "5880", "imports", False),
        (
            "Taiwan posted a surplus of $900 million with the United States in March.",
            "5830",
            "balance",
            True,
        ),
    ],
)
def test_partners(text: str, code: str, metric: str, negative: bool):
    claim = one(text)
    assert (claim.partner_code, claim.metric, claim.value_musd < 0) == (code, metric, negative)


def test_a_countrys_own_trade_figure_is_not_a_us_claim():
    assert (
        extract_claims("Germany's global trade surplus reached $20 billion in March.", MAY_1994)
        == []
    )


def test_two_partners_at_once_stay_unresolved():
    claim = one("Japan and China together accounted for 60 percent of the deficit in March.")
    assert (claim.kind, claim.partner_code) == ("share", None)


@pytest.mark.parametrize(
    ("text", "published", "period", "frequency"),
    [
        ("The deficit was $9 billion in March.", date(1994, 5, 19), date(1994, 3, 1), "M"),
        # A month at or after the publication month is last year's.
        ("The deficit was $9 billion in November.", date(1995, 1, 20), date(1994, 11, 1), "M"),
        ("The deficit was $9 billion in March 1992.", date(1994, 5, 19), date(1992, 3, 1), "M"),
        ("The deficit reached $160 billion last year.", date(1995, 2, 17), date(1994, 1, 1), "A"),
        ("The 1993 deficit was $115 billion.", date(1995, 2, 17), date(1993, 1, 1), "A"),
        (
            "The deficit was $30 billion in the first quarter.",
            date(1995, 5, 19),
            date(1995, 1, 1),
            "Q",
        ),
        (
            "The deficit was $30 billion in the fourth quarter.",
            date(1995, 2, 17),
            date(1994, 10, 1),
            "Q",
        ),
        (
            "The deficit was $30 billion in the first quarter of 1993.",
            date(1995, 5, 19),
            date(1993, 1, 1),
            "Q",
        ),
        # Unresolved: no period, a span the figure cannot be checked against, no date to
        # resolve a month against.
        ("The deficit was $9 billion.", date(1994, 5, 19), None, None),
        (
            "Over the past five years the deficit with Mexico grew to $9 billion.",
            date(1994, 5, 19),
            None,
            None,
        ),
        ("The deficit was $9 billion in March.", None, None, None),
    ],
)
def test_periods(text: str, published: date | None, period: date | None, frequency: str | None):
    claim = one(text, published)
    assert (claim.period, claim.frequency) == (period, frequency)


def test_period_carries_over_to_the_next_sentence_and_a_year_earlier():
    claims = extract_claims(
        "The deficit narrowed in April. Imports from Canada were $9 billion, down from "
        "$9.5 billion a year earlier.",
        date(1995, 6, 20),
    )
    assert [(c.quoted_text, c.period) for c in claims] == [
        ("$9 billion", date(1995, 4, 1)),
        ("$9.5 billion", date(1994, 4, 1)),
    ]


@pytest.mark.parametrize(
    ("text", "quoted", "direction", "percent", "musd", "compared"),
    [
        ("The deficit widened 9.7% in March.", "9.7%", "up", D("9.7"), None, date(1994, 2, 1)),
        (
            "The deficit shrank by 3.2 percent to $7 billion in March.",
            "3.2 percent",
            "down",
            D("3.2"),
            None,
            date(1994, 2, 1),
        ),
        (
            "Exports jumped $1.2 billion to $45 billion in March.",
            "$1.2 billion",
            "up",
            None,
            D("1200"),
            date(1994, 2, 1),
        ),
        (
            "Imports fell 4 per cent from a year earlier to $50 billion in March.",
            "4 per cent",
            "down",
            D("4"),
            None,
            date(1993, 3, 1),
        ),
        (
            "The deficit in March was 12 percent smaller than in February.",
            "12 percent",
            "down",
            D("12"),
            None,
            date(1994, 2, 1),
        ),
    ],
)
def test_changes(text, quoted, direction, percent, musd, compared):
    change = next(c for c in extract_claims(text, MAY_1994) if c.kind == "change")
    assert (
        change.quoted_text,
        change.change_direction,
        change.change_percent,
        change.change_musd,
        change.compared_period,
        change.period,
    ) == (quoted, direction, percent, musd, compared, date(1994, 3, 1))


def test_up_from_gives_two_levels():
    claims = extract_claims(
        "The deficit rose to $9 billion in March, up from $8.1 billion in February.", MAY_1994
    )
    assert [(c.kind, c.value_musd, c.period) for c in claims] == [
        ("level", D("-9000"), date(1994, 3, 1)),
        ("level", D("-8100"), date(1994, 2, 1)),
    ]


@pytest.mark.parametrize(
    ("text", "qualifiers"),
    [
        ("The deficit hit a record $12 billion in March.", ("record",)),
        ("The deficit was $12 billion in March, the largest since 1987.", ("largest_since",)),
        ("The deficit was the third-largest on record at $12 billion in March.", ("nth_highest",)),
        ("The deficit was roughly $12 billion in March.", ("approximately",)),
        ("The deficit was almost $12 billion in March.", ("almost",)),
        ("The deficit was more than $12 billion in March.", ("more_than",)),
        ("The deficit for February was revised to $11 billion.", ("revised",)),
        ("The deficit was $12 billion in March, a five-year high.", ("largest_since",)),
    ],
)
def test_qualifiers(text: str, qualifiers: tuple[str, ...]):
    assert one(text).qualifiers == qualifiers


@pytest.mark.parametrize(
    ("text", "percent", "share_of", "code"),
    [
        ("Japan made up about a third of the deficit in March.", D("33.3333"), "balance", "5880"),
        ("China accounted for 40 percent of the gap in March.", D("40"), "balance", "5700"),
        ("Canadian goods were half of US imports in March.", D("50"), "imports", "1220"),
    ],
)
def test_shares(text: str, percent: Decimal, share_of: str, code: str):
    claim = one(text)
    assert (claim.kind, claim.percent, claim.share_of, claim.value_musd) == (
        "share",
        percent,
        share_of,
        None,
    )
    assert claim.partner_code == code


@pytest.mark.parametrize(
    "text",
    [
        "Congress approved a $20 billion aid package in March.",
        "Tariffs on $50 billion of Chinese imports took effect in March.",
        "Economists had expected a deficit of $9 billion in March.",
        "Analysts forecast the gap at between $8 billion and $9 billion.",
        "Soybean exports fell $1 billion in March.",
        "Imports of Japanese cars rose 12 percent in March.",
        "The storm caused $5 billion in damage and disrupted exports in March.",
        '"We buy $100 million a day more from Japan than we sell there," he said.',
        "Correction: an earlier version misstated the deficit as $9 billion.",
        "The dollar fell 2% against the yen in March.",
        "The peso lost 40 percent of its value.",
    ],
)
def test_traps_give_no_claim(text: str):
    assert extract_claims(text, MAY_1994) == []


def test_two_figures_in_one_sentence_get_their_own_partners():
    claims = extract_claims(
        "The U.S. posted a surplus of $1.8 billion with the Netherlands and a deficit of "
        "$6.4 billion with Switzerland in March.",
        MAY_1994,
    )
    assert [(c.partner_code, c.value_musd) for c in claims] == [
        ("4210", D("1800")),
        ("4419", D("-6400")),
    ]


def test_official_quote_with_a_figure_is_a_claim():
    claim = one('"Our deficit with Japan hit $6 billion in March," the trade representative said.')
    assert (claim.partner_code, claim.value_musd, claim.period) == (
        "5880",
        D("-6000"),
        date(1994, 3, 1),
    )


# -- precision and recall on the labelled sets -------------------------------------------------


# The project's first 26 articles (tests/fixtures/claims) and the development set written for
# issue 15 before its rules (tests/fixtures/claims_dev: 40 articles in 8 house styles). How a
# claim is matched with its label: tests/claims_scoring.py.
@pytest.mark.parametrize("name", ["claims", "claims_dev"])
def test_precision_and_recall_on_the_labelled_articles(name: str) -> None:
    result = score(FIXTURES / name)
    print("\n" + report(FIXTURES / name))
    assert result.total.precision >= 0.95 and result.total.recall >= 0.90


def test_held_out_articles_are_scored_separately() -> None:
    """The held-out set (tests/fixtures/claims_heldout, 12 articles) was written with the
    development set and not looked at while the rules were tuned. Measured once at the end:
    precision 0.939, recall 0.939 (the honest estimate); its six faults then led to three
    general fixes (a comparison base does not move the story's year, a measure in a relative
    clause does not govern, a partner after another measure is that measure's), so it is no
    longer unseen: here it guards the issue's goal (precision 0.95, recall 0.85)."""
    result = score(FIXTURES / "claims_heldout")
    print("\n" + report(FIXTURES / "claims_heldout"))
    assert result.total.precision >= 0.95 and result.total.recall >= 0.85


def test_autos_and_year_to_date_phrasings() -> None:
    """Session 8, issue 14's claims as the news writes them (autos levels and shares by
    partner, years to date), in rounds: each round's articles were written before its rules and
    measured once, then tuned on. First measurements: 0.750 / 0.500 (3 articles), 0.571 / 0.500
    (3), 0.556 / 0.385 (2); together they are tests/fixtures/claims_dev_autos (9 articles, 47
    labels): 0.841 / 0.787 now, an upper bound. The last round, tests/fixtures/
    claims_heldout_autos (2 articles, 9 labels), was measured once: 0.429 / 0.333, with one
    false 'differs' ("the bilateral deficit was $6.3 billion" read as all countries'); the
    general fix it prompted (a bilateral measure is the story's partner, unsure) makes it
    0.571 / 0.444, so it is no longer unseen. Here: none of the figures read with certainty is
    read wrong, and nothing falls below those figures."""
    dev = score(FIXTURES / "claims_dev_autos")
    held = score(FIXTURES / "claims_heldout_autos")
    print("\n" + report(FIXTURES / "claims_dev_autos"))
    print(report(FIXTURES / "claims_heldout_autos"))
    assert dev.total.precision >= 0.84 and dev.total.recall >= 0.78
    assert held.total.precision >= 0.57 and held.total.recall >= 0.44
    assert dev.checkable_wrong == 0 and held.checkable_wrong == 0


def test_total_trade_is_recorded_as_its_own_series() -> None:
    claim = one("Exports and imports combined reached $80 billion in March.")
    assert (claim.metric, claim.series, claim.value_musd) == ("trade", "total_trade", D("80000"))


# -- rendering ---------------------------------------------------------------------------------


def test_render_table_and_json(tmp_path: Path):
    path = tmp_path / "draft.txt"
    path.write_text("The deficit with Japan rose 5% to $6.1 billion in March.")
    table = claims_command(path, MAY_1994, "table")
    assert "$6.1 billion" in table and "5880 (Japan)" in table and "1994-03-01 month" in table
    assert "evidence: The deficit with Japan" in table
    assert "read from: period <- 'March'; partner <- 'Japan'; metric <- 'The deficit'" in table
    rows = json.loads(claims_command(path, MAY_1994, "json"))
    assert [(r["quoted_text"], r["kind"], r["value_musd"]) for r in rows] == [
        ("5%", "change", None),
        ("$6.1 billion", "level", -6100),  # a number, as sql --format json gives it
    ]
    assert render_claims([], "table") == "no trade figures found"
    with pytest.raises(ValueError):
        render_claims([], "csv")


# -- the warehouse -----------------------------------------------------------------------------


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    settings = Settings(data_dir=path)
    con = warehouse.writer_connection(settings)
    warehouse.migrate(con, settings.sql_dir)
    return con


def test_extract_new_reads_each_article_once(tmp_path: Path):
    con = _warehouse(tmp_path)
    text = (LABELLED / "01_march_1994_headline.txt").read_text().replace("'", "''")
    con.execute(
        f"""
        INSERT INTO core.news_articles (article_id, release_id, source, url, canonical_url,
            published_at, fetched_at, text, sha256) VALUES
        (1, 1, 'news', 'u1', 'u1', TIMESTAMPTZ '1994-05-19 16:00:00+00', now(), '{text}', 'a'),
        (2, 1, 'news', 'u2', 'u2', TIMESTAMPTZ '1994-05-19 16:00:00+00', now(),
         'Stocks rose 1% on Thursday.', 'b')
        """
    )
    expected = extract_claims(text.replace("''", "'"), MAY_1994)
    assert extract_new(con) == len(expected) == 10
    assert extract_new(con) == 0
    rows = con.execute(
        "SELECT quoted_text, value_musd, period, qualifiers, extractor_version "
        "FROM core.news_claims ORDER BY start_char"
    ).fetchall()
    assert rows[0] == ("$7.46 billion", D("-7460"), date(1994, 3, 1), [], EXTRACTOR_VERSION)
    assert con.execute(
        "SELECT claims FROM core.news_extractions ORDER BY article_id"
    ).fetchall() == [(10,), (0,)]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple]:
    con = _warehouse(tmp_path_factory.mktemp("claims"))
    con.execute((FIXTURES / "warehouse.sql").read_text())
    con.execute((FIXTURES / "claims_warehouse.sql").read_text())
    warehouse.rebuild_views(con, Settings().sql_dir)
    rows = con.execute(
        "SELECT claim_id, verdict, first_print_value, as_of_value, latest_value "
        "FROM marts.claim_check"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


@pytest.mark.parametrize(
    ("claim_id", "verdict", "first", "as_of", "latest"),
    [
        (1, "revised_since", D("-7460"), D("-7460"), D("-6466")),  # headline, release day
        (2, "matches_first_print", D("-12040"), D("-12040"), D("-12040")),  # headline goods
        (3, "ambiguous", None, None, None),  # no partner
        (4, "matches_latest", D("-7460"), D("-6466"), D("-6466")),
        (5, "matches_first_print", D("-10"), D("-10"), D("-10")),  # Census exports - imports
        (6, "differs", D("-10"), D("-10"), D("-10")),
        (7, "revised_since", D("45"), D("45"), D("60")),  # % change, recomputed
        (8, "no_official_figure", None, None, None),
        (9, "matches_latest", D("45"), D("60"), D("60")),
        # year to date (January-February): the sum of the months, never the full year
        (10, "matches_latest", D("-24.5"), D("-24.5"), D("-26")),
        (11, "differs", D("-24.5"), D("-24.5"), D("-26")),
        (12, "ambiguous", D("-24.5"), D("-24.5"), D("-26")),  # period carried over
        (13, "no_official_figure", None, None, None),  # current account: not the headline
        (14, "ambiguous", None, None, None),  # an annual rate
        # Issue 14 (August 2021 release): autos and parts' share of the deficit with Japan,
        # Exhibit 18 over the goods balance Exhibit 14 printed (-4,173 of -6,266), the country
        # file's revision since (-6,147.6); January-August (-31,826 of -42,864).
        (15, "revised_since", D("66.597510"), D("66.597510"), D("67.880593")),
        (16, "matches_first_print", D("74.248787"), D("74.248787"), D("74.248787")),
        (17, "differs", D("74.248787"), D("74.248787"), D("74.248787")),
        # year to date: the YTD row the release printed, not the revised months' -42,831.9
        (18, "matches_first_print", D("-42864"), D("-42864"), D("-42864")),
        (19, "differs", D("-42864"), D("-42864"), D("-42864")),
        (20, "matches_first_print", D("-218935"), D("-218935"), D("-218935")),
        (21, "no_official_figure", None, None, None),  # petroleum: no partner figures held
        (22, "no_official_figure", None, None, None),  # 2021: no YTD December, no 12 months
    ],
)
def test_claim_check_verdicts(checked, claim_id, verdict, first, as_of, latest):
    assert checked[claim_id] == (verdict, first, as_of, latest)


def test_year_to_date_is_the_cumulative_balance(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    con.execute((FIXTURES / "warehouse.sql").read_text())
    con.execute((FIXTURES / "claims_warehouse.sql").read_text())
    warehouse.rebuild_views(con, Settings().sql_dir)
    checked_ytd, cumulative, why = con.execute(
        """
        SELECT c.latest_value, b.ytd_balance_musd,
            (SELECT why_ambiguous FROM marts.claim_check WHERE claim_id = 12)
        FROM marts.claim_check AS c
        JOIN marts.balance_cumulative AS b ON b.partner_code = c.partner_code
            AND b.period = c.period AND b.basis = c.basis AND b.product = c.product
        WHERE c.claim_id = 10
        """
    ).fetchone()
    assert checked_ytd == cumulative == D("-26")
    assert why == "period carried over from an earlier sentence"


def test_claim_check_names_the_source_of_each_figure(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    con.execute((FIXTURES / "warehouse.sql").read_text())
    con.execute((FIXTURES / "claims_warehouse.sql").read_text())
    warehouse.rebuild_views(con, Settings().sql_dir)
    sources = dict(
        con.execute(
            "SELECT claim_id, [first_print_source, latest_source] FROM marts.claim_check "
            "WHERE claim_id IN (10, 15, 18, 21)"
        ).fetchall()
    )
    assert sources == {
        10: ["census_country, sum of 2 months"] * 2,
        15: [
            "ft900 Exhibit 18, month / ft900 Exhibit 14, month",
            "ft900 Exhibit 18, month / census_country, month",
        ],
        18: ["ft900 Exhibit 14, year to date"] * 2,
        21: [None, None],
    }


def test_claim_check_reads_only_the_newest_extractor_version(checked):
    assert 100 not in checked


def test_a_headline_line_does_not_lend_its_partner_and_a_clause_topic_gives_the_product() -> None:
    # The first figure's product is not in its own phrase: None, which the check reads as the
    # headline goods-and-services figure.
    text = (
        "Trade gap with Japan widened in March\n"
        "WASHINGTON - The United States ran a deficit of $7.46 billion in its trade in goods "
        "and services in March, the Commerce Department said.\n"
        "Trade in services, which includes travel and royalties, showed a surplus of "
        "$4.58 billion."
    )
    first, second = extract_claims(text, date(1994, 5, 19))
    assert (first.partner_code, first.product, first.value_musd) == (
        "-",
        None,
        Decimal("-7460"),
    )
    assert (second.partner_code, second.product, second.value_musd) == (
        "-",
        "services",
        Decimal("4580"),
    )


# -- how the news writes figures (issue 15): sentences written for these tests -----------------

JUNE_2019 = date(2019, 8, 5)


@pytest.mark.parametrize(
    ("text", "quoted", "value"),
    [
        ("The deficit widened to $48.2bn (£37bn) in June.", "$48.2bn", D("-48200")),
        ("Imports from Mexico were $650m higher in June.", "$650m", None),
        ("The deficit was USD 71.3 billion in June.", "USD 71.3 billion", D("-71300")),
        (
            "The deficit was 53.9 billion U.S. dollars in June.",
            "53.9 billion U.S. dollars",
            D("-53900"),
        ),
        ("The deficit rose to $61.7-billion (U.S.) in June.", "$61.7-billion", D("-61700")),
        ("The deficit hit $3.1tn in 2018.", "$3.1tn", D("-3100000")),
        (
            "The U.S. trade deficit widened to $55.2\nbillion in June.",
            "$55.2\nbillion",
            D("-55200"),
        ),
    ],
)
def test_units_as_written(text: str, quoted: str, value: Decimal | None) -> None:
    claim = extract_claims(text, JUNE_2019)[0]
    assert claim.quoted_text == quoted and text[claim.start_char : claim.end_char] == quoted
    if value is not None:
        assert claim.value_musd == value


def test_a_converted_currency_and_words_for_a_percentage() -> None:
    claims = extract_claims(
        "Exports slipped seven-tenths of 1 percent in June. The gap was $48.2bn (£37bn).",
        JUNE_2019,
    )
    assert [(c.quoted_text, c.change_percent) for c in claims] == [
        ("seven-tenths of 1 percent", D("0.7")),
        ("$48.2bn", None),
    ]


@pytest.mark.parametrize(
    ("text", "period", "kind"),
    [
        (
            "The deficit rose to $70.4 billion in May, the widest since March 2008.",
            "2019-05-01",
            "month",
        ),
        ("The deficit was $70.4 billion in May, the record set in March.", "2019-05-01", "month"),
        (
            "Through the first nine months of 2018, the deficit totaled $480 billion.",
            "2018-09-01",
            "ytd",
        ),
        ("From January through May, the deficit was $250 billion.", "2019-05-01", "ytd"),
        ("The deficit reached $300 billion in the first half of 2019.", "2019-06-01", "ytd"),
        (
            "The deficit is running at an annual rate of $620 billion in June.",
            "2019-06-01",
            "annualized",
        ),
        ("The deficit for the full year was $621 billion in 2018.", "2018-01-01", "year"),
    ],
)
def test_the_period_of_a_figure(text: str, period: str, kind: str) -> None:
    claim = extract_claims(text, JUNE_2019)[0]
    assert (claim.period.isoformat(), claim.period_kind) == (period, kind)


def test_a_paragraphs_month_carries_over_not_an_unrelated_date() -> None:
    claims = extract_claims(
        "In February, the administration announced tariffs on $200 billion of goods.\n\n"
        "The trade deficit narrowed to $55.5 billion in June. The deficit with China was "
        "$30.2 billion.",
        JUNE_2019,
    )
    assert [(c.quoted_text, c.period, c.uncertain) for c in claims] == [
        ("$55.5 billion", date(2019, 6, 1), ()),
        ("$30.2 billion", date(2019, 6, 1), ("period carried over from an earlier sentence",)),
    ]


@pytest.mark.parametrize(
    ("text", "partners"),
    [
        (
            "Deficits were recorded with Canada ($3.1 billion), Mexico ($2.6 billion) and "
            "Korea ($1.9 billion) in June.",
            ["1220", "2010", "5800"],
        ),
        (
            "The deficits with Germany and Italy were $5.9 billion and $2.9 billion, "
            "respectively, in June.",
            ["4280", "4759"],
        ),
        (
            "Even as the gap with China widened, the overall deficit shrank to $8.9 billion "
            "in June.",
            ["-"],
        ),
        ("The deficit with South and Central America was $1.2 billion in June.", ["0009"]),
    ],
)
def test_partners_by_the_shape_of_the_sentence(text: str, partners: list[str]) -> None:
    assert [c.partner_code for c in extract_claims(text, JUNE_2019)] == partners


@pytest.mark.parametrize(
    ("text", "quoted", "direction"),
    [
        ("Exports were up a steep 11.2 percent in June.", "11.2 percent", "up"),
        ("Imports were 9.4 percent less than in May.", "9.4 percent", "down"),
        ("Exports rose even faster, by 12%, in June.", "12%", "up"),
        ("Imports posted a rise of 7.7% in June.", "7.7%", "up"),
        ("The deficit narrowed 0.4%, or $3.2 billion, in June.", "$3.2 billion", "down"),
    ],
)
def test_change_phrasing(text: str, quoted: str, direction: str) -> None:
    claim = next(c for c in extract_claims(text, JUNE_2019) if c.quoted_text == quoted)
    assert (claim.kind, claim.change_direction) == ("change", direction)


def test_series_that_are_not_the_headline() -> None:
    claims = extract_claims(
        "The petroleum deficit fell to $8.1 billion in June. Adjusted for inflation, the goods "
        "deficit was $90.2 billion. The current account deficit was $124 billion in the first "
        "quarter, or 2.4 percent of GDP.",
        JUNE_2019,
    )
    assert [(c.quoted_text, c.series, c.kind, c.share_of) for c in claims] == [
        ("$8.1 billion", "petroleum", "level", None),
        ("$90.2 billion", "real", "level", None),
        ("$124 billion", "current_account", "level", None),
        ("2.4 percent", "current_account", "share", "gdp"),
    ]


def test_metric_from_the_clause_and_expectations() -> None:
    claims = extract_claims(
        "Imports exceeded exports by $6.3 billion in June, a smaller-than-expected deficit. "
        "Economists had forecast $7 billion.",
        JUNE_2019,
    )
    assert [(c.quoted_text, c.metric, c.value_musd) for c in claims] == [
        ("$6.3 billion", "balance", D("-6300"))
    ]


def test_another_countrys_own_statistics_are_left_out() -> None:
    text = (
        "BEIJING, July 13 (Xinhua) -- China's trade surplus with the United States rose "
        "10 percent to 140 billion dollars in the first half, customs data showed.\n\n"
        "U.S. data showed the American deficit with China at 30.2 billion dollars in May."
    )
    assert [c.quoted_text for c in extract_claims(text, JUNE_2019)] == ["30.2 billion dollars"]


def test_a_relative_clause_naming_the_us_does_not_turn_the_partner_around() -> None:
    claim = one(
        "Japan remained the country with which the United States had its largest deficit, "
        "$65.67 billion for the year.",
        date(1995, 2, 18),
    )
    assert (claim.partner_code, claim.value_musd) == ("5880", D("-65670"))


def test_mexicos_northern_neighbor_is_the_us() -> None:
    claim = one("Mexico ran a surplus of $500 million with its northern neighbor in March.")
    assert (claim.partner_code, claim.value_musd) == ("2010", D("-500"))


# -- issue 14: a release line's share of a partner's balance; years to date ----------------------

OCTOBER_2021 = date(2021, 10, 6)


@pytest.mark.parametrize(
    ("text", "quoted", "percent", "kind"),
    [
        (
            "Autos and parts made up 66.6% of the deficit with Japan in August.",
            "66.6%",
            D("66.6"),
            "month",
        ),
        (
            "Vehicles and parts accounted for about three-quarters of the U.S. trade deficit "
            "with Japan in the first eight months of the year.",
            "three-quarters",
            D("75"),
            "ytd",
        ),
        (
            "The deficit with Japan was $42.9 billion in the first eight months of the year, and "
            "autos and parts accounted for 74.2% of that deficit.",
            "74.2%",
            D("74.2"),
            "ytd",
        ),
    ],
)
def test_a_release_lines_share_of_a_partners_deficit(
    text: str, quoted: str, percent: Decimal, kind: str
) -> None:
    claim = next(c for c in extract_claims(text, OCTOBER_2021) if c.quoted_text == quoted)
    assert (
        claim.kind,
        claim.series,
        claim.percent,
        claim.share_of,
        claim.partner_code,
        claim.period,
        claim.period_kind,
    ) == ("component_share", "autos", percent, "balance", "5880", date(2021, 8, 1), kind)


def test_a_partners_share_of_the_deficit_stays_a_share() -> None:
    claim = one(
        "China alone accounted for 32 percent of the goods deficit in August.", OCTOBER_2021
    )
    assert (claim.kind, claim.series, claim.partner_code) == ("share", "headline", "5700")


def test_a_share_in_words_is_as_precise_as_five_percent() -> None:
    claim = one("Autos made up two-thirds of the deficit with Japan in August.", OCTOBER_2021)
    assert (claim.percent, claim.rounding_percent) == (D("66.6667"), D("2.5"))


@pytest.mark.parametrize(
    "text",
    [
        "The deficit with Japan for the year through August was $42.9 billion.",
        "So far this year, the deficit with Japan has totaled $42.9 billion.",
        "The deficit with Japan was $42.9 billion from January through August.",
        "In the January-August period the gap with Japan reached $42.9 billion.",
    ],
)
def test_year_to_date_as_the_news_writes_it(text: str) -> None:
    # "so far this year" ends with the story's month: here none is named before, so August is
    # given by the lead sentence of a story that names it.
    claims = extract_claims("The trade deficit grew in August.\n\n" + text, OCTOBER_2021)
    claim = next(c for c in claims if c.quoted_text == "$42.9 billion")
    assert (claim.partner_code, claim.period, claim.period_kind) == (
        "5880",
        date(2021, 8, 1),
        "ytd",
    )


def test_in_the_period_is_the_span_just_quoted() -> None:
    claims = extract_claims(
        "The deficit with Japan in the January-August period stood at $42.9 billion.\n\n"
        "Autos represented 74 percent of the deficit with Japan in the period.",
        OCTOBER_2021,
    )
    assert [(c.quoted_text, c.period, c.period_kind) for c in claims] == [
        ("$42.9 billion", date(2021, 8, 1), "ytd"),
        ("74 percent", date(2021, 8, 1), "ytd"),
    ]


@pytest.mark.parametrize(
    ("text", "kind", "series"),
    [
        (
            "About two-thirds of the August deficit with Japan came from motor vehicles and parts.",
            "component_share",
            "autos",
        ),
        (
            "Roughly 82% of the gap with Japan was due to cars and auto parts.",
            "component_share",
            "autos",
        ),
        # a cause is not the part: still Japan's share of all countries' deficit
        (
            "Japan accounted for 6.4 percent of the goods deficit in August, driven by autos.",
            "share",
            "headline",
        ),
    ],
)
def test_a_line_named_after_the_whole(text: str, kind: str, series: str) -> None:
    claim = one(text, OCTOBER_2021)
    assert (claim.kind, claim.series, claim.partner_code) == (kind, series, "5880")


@pytest.mark.parametrize(
    ("text", "period_kind"),
    [
        ("The deficit with Japan through August was $42.9 billion.", "ytd"),
        ("Over the 12 months through August, the deficit with Japan was $70 billion.", None),
    ],
)
def test_through_a_month(text: str, period_kind: str | None) -> None:
    assert one(text, OCTOBER_2021).period_kind == period_kind


def test_a_component_share_does_not_lend_its_line_to_the_next_figure() -> None:
    claims = extract_claims(
        "About two-thirds of the August deficit with Japan came from motor vehicles and parts. "
        "The deficit with Japan through August was $42.9 billion.",
        OCTOBER_2021,
    )
    assert [c.series for c in claims] == ["autos", "headline"]
