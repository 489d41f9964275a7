"""The report page: the warehouse's figures, charts and tables in one HTML file with everything
inline (styles and SVG), so it opens offline, from a mail attachment or a file share."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from tradewh import failpoints
from tradewh.report import charts
from tradewh.report.data import JAPAN_FIRST, JAPAN_LAST, load
from tradewh.settings import Settings
from tradewh.warehouse import now_utc


def default_path(settings: Settings) -> Path:
    return settings.report_path


def render(settings: Settings) -> str:
    data = load(settings)
    svg = {
        "balance": charts.balance_over_time(data.balance),
        "partners": charts.largest_partners(data.partners),
        "japan": charts.partner_monthly(data.japan),
        "shares": charts.deficit_shares(data.shares),
    }
    environment = Environment(
        loader=PackageLoader("tradewh", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["musd"] = _musd
    environment.filters["when"] = _when
    return environment.get_template("report.html.j2").render(
        data=data,
        # Our own SVG from matplotlib, with titles escaped when it was built: safe to inline.
        charts={name: Markup(markup) if markup else None for name, markup in svg.items()},
        japan_span=(JAPAN_FIRST, JAPAN_LAST),
        generated_at=now_utc(),
    )


def write_report(settings: Settings, path: Path | None = None) -> Path:
    """Write the report (default: report/index.html beside the warehouse) atomically: a reader
    never opens half a page. Returns the path written."""
    target = path or default_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    html = render(settings)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".report-", suffix=".html")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html[: len(html) // 2])
            failpoints.reach("report.mid")
            fh.write(html[len(html) // 2 :])
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the report is for people to read
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _musd(value: Decimal | float | None) -> str:
    """$ millions to one decimal with thousands separators; a dash where there is no value."""
    return "–" if value is None else f"{value:,.1f}"


def _when(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()
