"""Issue 14: a release line's share of a partner's deficit ("autos and parts made up 74% of the
deficit with Japan") and year-to-date partner figures, checked against what the FT-900 release
printed (Exhibit 18 over Exhibits 14 / 4s; the YTD rows), end to end on the loaded sample
archive (the August 2021 release is there whole)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewh import warehouse
from tradewh.cli import app
from tradewh.settings import Settings

# Written for this test in the words the news uses (Reuters, Kyodo, AP): a share of the
# deficit with Japan in August and January-August, year-to-date deficits, and two figures
# that are wrong (the share for January-August is 74.25%, the deficit -42,864 $M).
DRAFT = """\
The goods deficit with Japan was $6.3 billion in August. Motor vehicles and parts accounted for \
about two-thirds of the deficit with Japan in August.

In the first eight months of the year the deficit with Japan totaled $42.9 billion, and autos \
and parts accounted for 74.2% of that deficit.

So far this year, the deficit with China has reached $218.9 billion.

Vehicles and parts made up 85% of the deficit with Japan from January through August. The \
deficit with Japan for the year through August was $52.9 billion.
"""


def _check(tmp_path: Path) -> tuple[int, dict[str, dict]]:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT)
    result = CliRunner().invoke(
        app, ["claims", str(draft), "--check", "--published", "2021-10-06", "--format", "json"]
    )
    rows = json.loads(result.output)
    return result.exit_code, {row["quoted_text"]: row for row in rows}


def test_autos_shares_and_year_to_date_claims_against_the_release(
    sample: Settings, tmp_path: Path
) -> None:
    exit_code, rows = _check(tmp_path)
    assert exit_code == 1  # two figures differ
    verdicts = {quoted: (row["kind"], row["check"]["verdict"]) for quoted, row in rows.items()}
    assert verdicts == {
        "$6.3 billion": ("level", "revised_since"),  # -6,266 printed; -6,147.6 in the 2026 file
        "two-thirds": ("component_share", "matches_first_print"),
        "$42.9 billion": ("level", "matches_first_print"),
        "74.2%": ("component_share", "matches_first_print"),
        "$218.9 billion": ("level", "matches_first_print"),
        "85%": ("component_share", "differs"),
        "$52.9 billion": ("level", "differs"),
    }
    ytd = rows["$42.9 billion"]
    assert (ytd["period"], ytd["period_kind"], ytd["partner_code"]) == ("2021-08-01", "ytd", "5880")
    # The exhibit's year-to-date figure as first printed (Exhibit 14: -42,864), not a sum of
    # months: the country file of 2026 revised Japan's months to a January-August sum of
    # -42,831.9.
    assert ytd["check"]["first_print_value"] == -42864
    assert ytd["check"]["first_print_source"] == "ft900 Exhibit 14, year to date"
    share = rows["74.2%"]["check"]
    assert share["first_print_source"] == (
        "ft900 Exhibit 18, year to date / ft900 Exhibit 14, year to date"
    )


def test_a_share_is_the_one_marts_autos_by_partner_gives(sample: Settings, tmp_path: Path) -> None:
    _, rows = _check(tmp_path)
    con = warehouse.reader(sample)
    try:
        mart = {
            frequency: (first, latest)
            for frequency, first, latest in con.execute(
                "SELECT frequency, share_of_goods_balance_pct, share_of_goods_balance_latest_pct "
                "FROM marts.autos_by_partner WHERE partner_code = '5880' AND period = '2021-08-01'"
            ).fetchall()
        }
        months = con.execute(
            "SELECT ytd_balance_musd FROM marts.balance_cumulative WHERE partner_code = '5880' "
            "AND period = '2021-08-01' AND basis = 'census' AND adjustment = 'nsa' "
            "AND product = 'goods'"
        ).fetchone()
    finally:
        con.close()
    assert mart == {"M": (Decimal("66.60"), Decimal("67.88")), "YTD": (Decimal("74.25"),) * 2}
    checked = {
        quoted: tuple(
            round(Decimal(str(rows[quoted]["check"][key])), 2)
            for key in ("first_print_value", "latest_value")
        )
        for quoted in ("two-thirds", "74.2%")
    }
    assert checked == {"two-thirds": mart["M"], "74.2%": mart["YTD"]}
    # The month sum the year-to-date claim was not checked against.
    assert months is not None and round(months[0], 1) == Decimal("-42831.9")


# Phrasings the first rules missed or misread (session 8; tests/fixtures/claims_dev_autos holds
# their articles): the whole named by a pronoun or "that gap" with the partner of the sentence
# before, autos levels by partner (Exhibit 18), a partner named by its adjective, a foreign
# dateline over US figures, "over the first eight months of 2021", a flow told by a verb, and
# what must not be said to differ (an autos gap read as the partner's whole balance, a
# Census-basis total, "the bilateral deficit" read as all countries').
@pytest.mark.parametrize(
    "text, quoted, verdict",
    [
        (
            "The U.S. goods deficit with Japan was $6.3 billion in August. Motor vehicles and "
            "parts accounted for about two-thirds of that gap.",
            "two-thirds",
            "matches_first_print",
        ),
        (
            "Through the first eight months of the year, the shortfall with Japan totaled $42.9 "
            "billion, and autos and parts made up roughly 74% of it.",
            "74%",
            "matches_first_print",
        ),
        (
            "Imports of Japanese cars and auto parts fell to $4.39 billion in August.",
            "$4.39 billion",
            "matches_first_print",
        ),
        (
            "Imports of cars and parts from Japan reached $33.4 billion in the January-August "
            "period.",
            "$33.4 billion",
            "matches_first_print",
        ),
        (
            "SEOUL, Oct. 6 -- For the January-August period, the U.S. deficit with South Korea "
            "came to $17.2 billion, according to the data.",
            "$17.2 billion",
            "matches_first_print",
        ),
        (
            "The U.S. deficit with Japan widened to $42.9 billion over the first eight months "
            "of 2021.",
            "$42.9 billion",
            "matches_first_print",
        ),
        (
            "The U.S. shortfall with South Korea was $3.2 billion in August, and cars and parts "
            "were responsible for about 68% of it.",
            "68%",
            "revised_since",
        ),
        (
            "German cars and parts were a big piece of it: the U.S. imported $1.98 billion worth "
            "of them in August, leaving a $1.16 billion gap in the sector.",
            "$1.16 billion",
            "ambiguous",
        ),
        (
            "The overall goods deficit on a Census basis was $97.7 billion in August before "
            "seasonal adjustment.",
            "$97.7 billion",
            "ambiguous",
        ),
        (
            "The U.S. deficit with Japan was $42.9 billion through August. In August the "
            "bilateral deficit was $6.3 billion.",
            "$6.3 billion",
            "revised_since",
        ),
        (
            "In the first eight months of 2021 the United States bought $33.4 billion of motor "
            "vehicles and parts from Japan.",
            "$33.4 billion",
            "matches_first_print",
        ),
    ],
)
def test_phrasings_of_autos_and_year_to_date_claims(
    sample: Settings, tmp_path: Path, text: str, quoted: str, verdict: str
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(text)
    result = CliRunner().invoke(
        app, ["claims", str(draft), "--check", "--published", "2021-10-06", "--format", "json"]
    )
    rows = {row["quoted_text"]: row for row in json.loads(result.output)}
    assert rows[quoted]["check"]["verdict"] == verdict, rows[quoted]
