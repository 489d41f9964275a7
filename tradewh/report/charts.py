"""One function per chart: rows in, inline SVG markup out (None when there is nothing to draw).

matplotlib draws to SVG at build time, so the page carries no script and fetches nothing: it
opens offline and cannot log a script error. Colours are Okabe-Ito (distinguishable with the
common colour-vision deficiencies); every axis names its unit, basis and adjustment; every SVG
has a <title> and <desc> for screen readers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from tradewh.report.data import Rows

BLUE, VERMILLION, ORANGE, SKY, GREEN, PURPLE, YELLOW, BLACK = (
    "#0072B2",
    "#D55E00",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#CC79A7",
    "#F0E442",
    "#000000",
)
# Yellow last: it is the hardest to see on white.
SERIES_COLOURS = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, BLACK, YELLOW)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

# Thousands separators, and no rounding of ticks such as 2.5 to a misleading "2".
THOUSANDS = FuncFormatter(lambda value, _: f"{value:,g}")
STYLE = {
    # Text as text, not glyph outlines: smaller, selectable, read by screen readers.
    "svg.fonttype": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
}


def balance_over_time(rows: Rows) -> str | None:
    """The goods and services balance, latest against the first value held, $ billions."""
    if not rows:
        return None
    periods = [r["period"] for r in rows]
    fig, ax = _figure(9, 3.8)
    ax.plot(periods, _billions(rows, "latest_musd"), color=BLUE, lw=1.4, label="Latest")
    ax.plot(
        periods,
        _billions(rows, "first_musd"),
        color=VERMILLION,
        lw=1.0,
        ls="--",
        label="First print (oldest vintage held)",
    )
    ax.axhline(0, color=BLACK, lw=0.6)
    ax.set_ylabel("Balance, $ billions\n(BOP basis, seasonally adjusted)")
    ax.set_xlabel("Month")
    ax.legend(loc="lower left", frameon=False)
    first, last = rows[0]["period"], rows[-1]["period"]
    return _svg(
        fig,
        "chart-balance",
        "US goods and services balance, monthly, first print and latest",
        f"Monthly balance of goods and services, {first:%B %Y} to {last:%B %Y}, in billions of"
        " dollars, BOP basis, seasonally adjusted; latest value as a solid line and the first"
        " value held as a dashed line. The figures are in the table below the chart.",
    )


def largest_partners(rows: Rows) -> str | None:
    """Annual goods balance with the largest deficit partners, one line per partner."""
    if not rows:
        return None
    years = sorted({r["year"] for r in rows})
    slots = _year_slots(years)
    fig, ax = _figure(9, 4.2)
    names = list(dict.fromkeys(r["partner_name"] for r in rows))
    for i, name in enumerate(names):
        by_year = {r["year"]: r["balance_musd"] for r in rows if r["partner_name"] == name}
        ax.plot(
            range(len(slots)),
            [_billion(by_year.get(y)) for y in slots],
            color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
            marker=MARKERS[i % len(MARKERS)],
            ms=4,
            lw=1.3,
            label=name,
        )
    ax.set_xticks(range(len(slots)), ["…" if y is None else str(y) for y in slots])
    ax.axhline(0, color=BLACK, lw=0.6)
    ax.set_ylabel("Goods balance, $ billions\n(Census basis, not seasonally adjusted)")
    ax.set_xlabel("Year (complete years held; … marks years not in the archive)")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return _svg(
        fig,
        "chart-partners",
        "Annual goods balance with the largest deficit partners",
        f"Annual goods balance, in billions of dollars, Census basis, not seasonally adjusted,"
        f" of {', '.join(names)} (the largest deficit partners of {years[-1]}), for each"
        " complete year held. The figures are in the table below the chart.",
    )


def partner_monthly(rows: Rows) -> str | None:
    """One partner's monthly exports and imports (lines) and balance (bars), $ billions."""
    if not rows:
        return None
    periods = [r["period"] for r in rows]
    name = rows[0]["partner_name"]
    fig, ax = _figure(9, 4.4)
    ax.bar(periods, _billions(rows, "balance_musd"), width=20, color=SKY, label="Balance")
    ax.plot(periods, _billions(rows, "exports_musd"), color=GREEN, lw=1.4, label="Exports")
    ax.plot(periods, _billions(rows, "imports_musd"), color=VERMILLION, lw=1.4, label="Imports")
    ax.axhline(0, color=BLACK, lw=0.6)
    ax.set_ylabel("Goods, $ billions\n(Census basis, not seasonally adjusted)")
    ax.set_xlabel("Month")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    first, last = periods[0], periods[-1]
    return _svg(
        fig,
        "chart-japan",
        f"US goods trade with {name}, monthly, {first:%b %Y} to {last:%b %Y}",
        f"US exports to and imports from {name} as lines and the balance as bars, monthly from"
        f" {first:%B %Y} to {last:%B %Y} ({len(rows)} months), in billions of dollars, Census"
        " basis, not seasonally adjusted. The figures are in the table below the chart.",
    )


def deficit_shares(rows: Rows) -> str | None:
    """Each country's share of the total of countries' balances, largest deficits on top."""
    if not rows:
        return None
    year = rows[0]["year"]
    names = [r["partner_name"] for r in rows]
    shares = [float(r["share_of_total_pct"]) for r in rows]
    fig, ax = _figure(9, 0.3 * len(rows) + 1.2)
    bars = ax.barh(range(len(rows)), shares, color=BLUE)
    ax.bar_label(bars, labels=[f"{s:.1f}%" for s in shares], padding=3, fontsize=9)
    ax.set_yticks(range(len(rows)), names)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(
        f"Share of the total of countries' goods balances in {year}, %"
        " (Census basis, not seasonally adjusted)"
    )
    return _svg(
        fig,
        "chart-shares",
        f"Partner shares of the US goods deficit, {year}",
        f"Horizontal bars: the {len(rows)} countries with the largest goods deficits in {year} and"
        " each one's share of the total of all countries' balances, in percent, Census basis,"
        " not seasonally adjusted. The figures are in the table below the chart.",
    )


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    with rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
    ax.yaxis.set_major_formatter(THOUSANDS)
    return fig, ax


def _svg(fig: Figure, chart_id: str, title: str, desc: str) -> str:
    buffer = io.StringIO()
    # A salt per chart keeps the ids matplotlib gives clip paths and markers unique in the page;
    # no date, so the same figures give the same bytes.
    with rc_context({**STYLE, "svg.hashsalt": chart_id}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # the XML prolog and DOCTYPE are not valid inside HTML
    # matplotlib's RDF block (creator, format) says nothing to a reader of the page.
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    tag_end = svg.index(">")
    return (
        f'{svg[:tag_end]} id="{chart_id}" role="img" aria-labelledby="{chart_id}-title"'
        f' aria-describedby="{chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f"{svg[tag_end + 1 :]}"
    )


def _billion(value: Decimal | None) -> float:
    """$ millions to $ billions; a gap (NaN, not drawn) where there is no value."""
    return float("nan") if value is None else float(value) / 1000


def _billions(rows: Rows, column: str) -> list[float]:
    return [_billion(r[column]) for r in rows]


def _year_slots(years: Sequence[int]) -> list[int | None]:
    """The years in order with one None between runs that are not consecutive (a visible gap)."""
    slots: list[int | None] = []
    for year in years:
        if slots and slots[-1] is not None and year != slots[-1] + 1:
            slots.append(None)
        slots.append(year)
    return slots
