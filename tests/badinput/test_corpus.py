"""Every malformed payload of the corpus (cases.py) through the real pipeline, on a fresh
warehouse each: the outcome and its reason, the raw payload kept, core untouched, the ledgers
consistent, and no exception but the pipeline's own (SourceFetchError)."""

from __future__ import annotations

import hashlib
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.badinput.cases import CASES, Case
from tests.httpserver import Reply, scripted_server
from tests.ingest.test_pipeline import migrated, query
from tradewh import pipeline
from tradewh.ingest.landing import LandedPayload
from tradewh.settings import Settings
from tradewh.sources import census_api

API_ROOT = "/data/timeseries/intltrade"


@dataclass
class Result:
    outcome: str
    message: str
    release: pipeline.ReleaseOutcome | None
    landed: list[LandedPayload]


def _params() -> list:
    # `make test` runs the first case of each source and outcome, and every case that guards
    # against reading what it must not (XXE and the like); `make test-slow` runs the whole corpus.
    # On the lake each case costs seconds (a warehouse per case), and CI has minutes.
    params, seen = [], set()
    for case in CASES:
        marks = []
        first = (case.source, case.outcome) not in seen
        seen.add((case.source, case.outcome))
        if case.xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=case.xfail))
        if case.slow or not (first or case.forbidden):
            marks.append(pytest.mark.slow)
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def _prepare(case: Case, tmp_path: Path, stack: ExitStack, monkeypatch) -> Settings:
    files = case.make(tmp_path)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    if case.source == "census_api":
        server = stack.enter_context(scripted_server())
        for endpoint in ("exports/enduse", "imports/enduse"):
            reply = files.get(endpoint, Reply(status=204, repeat=True))
            if isinstance(reply, bytes):
                reply = Reply(body=reply, repeat=True)
            server.plan(f"{API_ROOT}/{endpoint}", reply)
        monkeypatch.setenv("TRADEWH_PROFILE", "live")
        monkeypatch.setattr(census_api.asking, "BASE_URL", server.url(API_ROOT))
    else:
        sample = tmp_path / "sample"
        for relative, content in files.items():
            assert isinstance(content, bytes)
            target = sample / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        monkeypatch.setenv("TRADEWH_SAMPLE_DIR", str(sample))
    return migrated(Settings())


def _run(settings: Settings, case: Case) -> Result:
    try:
        items = pipeline.fetch(settings, case.source)
    except pipeline.SourceFetchError as exc:
        return Result("fetch_error", str(exc), None, [])
    landed = [item for item in items if isinstance(item, LandedPayload)]
    releases: dict[str, pipeline.ReleaseOutcome] = {}
    for payload in landed:
        releases[payload.url] = pipeline.ingest(settings, case.source, payload)
    chosen = [p for p in landed if p.url.endswith(case.target)] if case.target else landed[:1]
    if not chosen:
        return Result("no_data", "", None, landed)
    release = releases[chosen[0].url]
    outcome = release.status
    if outcome == "published" and release.warnings:
        outcome = "published_with_warning"
    message = "\n".join([release.message, *release.warnings])
    return Result(outcome, message, release, landed)


def _count(settings: Settings, sql: str, params: list | None = None) -> int:
    return int(query(settings, sql, params)[0][0])


def _core_rows(settings: Settings, source: str) -> int:
    table = "core.news_articles" if source == "news" else "core.observations"
    return _count(settings, f"SELECT count(*) FROM {table}")


def _mentions(settings: Settings, text: str) -> list[str]:
    """Tables of core, staging and ops with a row whose text holds `text`."""
    tables = query(
        settings,
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE schema_name IN ('core', 'staging', 'ops')",
    )
    return [
        name
        for (name,) in tables
        if _count(
            settings,
            f"SELECT count(*) FROM {name} AS t WHERE CAST(t AS VARCHAR) LIKE ?",
            [f"%{text}%"],
        )
    ]


@pytest.mark.parametrize("case", _params())
def test_bad_payload(
    case: Case, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ExitStack() as stack:
        settings = _prepare(case, tmp_path, stack, monkeypatch)
        result = _run(settings, case)

    assert (result.outcome, case.reason in result.message) == (case.outcome, True), (
        f"{case.id}: {result.outcome}: {result.message[:2000]}"
    )
    # Every payload that arrived is in the landing store under its sha256, byte for byte.
    for payload in result.landed:
        assert hashlib.sha256(payload.path.read_bytes()).hexdigest() == payload.sha256
        assert payload.sha256 in payload.relative_path
    fetched = _count(settings, "SELECT count(*) FROM ops.fetches WHERE source = ?", [case.source])
    assert fetched >= 1

    if case.outcome in ("quarantined", "fetch_error", "no_data"):
        assert _core_rows(settings, case.source) == 0
    if case.outcome == "quarantined":
        release = result.release
        assert release is not None and release.release_id is not None
        assert query(
            settings, "SELECT status FROM ops.releases WHERE release_id = ?", [release.release_id]
        ) == [("quarantined",)]
        [(reason, landed_path)] = query(
            settings,
            "SELECT reason, landed_path FROM ops.quarantine WHERE release_id = ?",
            [release.release_id],
        )
        assert reason == release.message
        # A named reason: a parser that crashed is quarantined too, but as "parser failed".
        assert "parser failed" not in reason
        assert (settings.landing_dir / landed_path).is_file()
        assert release.sha256 in landed_path
        assert (
            _count(
                settings,
                "SELECT count(*) FROM ops.loads WHERE release_id = ?",
                [release.release_id],
            )
            == 0
        )
    elif case.outcome == "fetch_error":
        assert _count(settings, "SELECT count(*) FROM ops.releases") == 0
        assert _count(settings, "SELECT count(*) FROM ops.fetches WHERE error IS NOT NULL") >= 1
    elif case.outcome == "no_data":
        assert result.landed == [] or case.target
        assert _count(settings, "SELECT count(*) FROM ops.releases") == len(result.landed)
        assert (
            _count(
                settings, "SELECT count(*) FROM ops.fetches WHERE sha256 IS NULL AND error IS NULL"
            )
            >= 1
        )
    else:  # published, with or without warnings
        release = result.release
        assert release is not None
        assert query(
            settings, "SELECT status FROM ops.releases WHERE release_id = ?", [release.release_id]
        ) == [("published",)]
        assert query(
            settings,
            "SELECT rows_published FROM ops.loads WHERE release_id = ?",
            [release.release_id],
        ) == [(release.rows_published,)]
        assert _count(settings, "SELECT count(*) FROM ops.quarantine") == 0
        assert (case.outcome == "published_with_warning") == bool(release.warnings)

    if case.forbidden:
        assert _mentions(settings, case.forbidden) == []
