"""Validation results as one readable HTML page that works offline (no CDN, no script): our
equivalent of Great Expectations' Data Docs, built from ops.validations after each refresh."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from tradewh.settings import Settings
from tradewh.store.rows import fetch_dicts
from tradewh.warehouse import now_utc, writer

LIMIT = 200


def report_path(settings: Settings) -> Path:
    return settings.data_dir / "validation" / "index.html"


def render(settings: Settings) -> str:
    with writer(settings) as con:
        validations = fetch_dicts(
            con,
            """
            SELECT v.*, r.status, r.url, f.landed_path
            FROM ops.validations AS v
            LEFT JOIN ops.releases AS r USING (release_id)
            LEFT JOIN (SELECT sha256, any_value(landed_path) AS landed_path FROM ops.fetches
                       GROUP BY sha256) AS f ON f.sha256 = r.sha256
            ORDER BY v.validated_at DESC LIMIT ?
            """,
            [LIMIT],
        )
    for validation in validations:
        validation["failures"] = json.loads(validation["failures"] or "[]")
    environment = Environment(
        loader=PackageLoader("tradewh", "templates"), autoescape=select_autoescape(["html"])
    )
    return environment.get_template("validation_report.html.j2").render(
        validations=validations,
        generated_at=now_utc().isoformat(timespec="seconds"),
        warehouse=settings.warehouse,
    )


def write(settings: Settings) -> Path:
    """Write the report atomically (a reader never opens half a page); return its path."""
    target = report_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(render(settings))
    os.replace(tmp, target)
    return target
