"""tradewh rebuild: a new warehouse from the landing store alone.

Every payload the store's journal lists is replayed in the order it was first fetched, through
the same write-audit-publish path as a refresh (so the same vintages get the same ids, the same
checks and the same decisions), then what a refresh does after publishing: claims, search index,
release calendar, views, cross-source checks. It is how a warehouse moves to another catalog or
a new version, and the proof that the landing store is the source of truth.

Not replayed, because the store does not hold them: people's quarantine decisions (release,
discard), and the operational history of the old warehouse (runs, alerts, fetch attempts that
landed nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tradewh import pipeline, warehouse
from tradewh.ingest.landing import LandedPayload, journal_entries, record_fetch
from tradewh.ops import freshness
from tradewh.settings import Settings
from tradewh.store import lake
from tradewh.store.lock import writer_lock


class RebuildError(RuntimeError):
    """The rebuild cannot start; the message says why."""


@dataclass
class Rebuilt:
    target: str
    payloads: int = 0
    published: int = 0
    quarantined: int = 0
    unchanged: int = 0
    rows: int = 0
    missing: int = 0

    def describe(self) -> str:
        return (
            f"rebuilt {self.target} from {self.payloads} landed payloads: {self.published} "
            f"vintages published ({self.rows:,} rows), {self.quarantined} quarantined, "
            f"{self.unchanged} already decided"
            + (
                f"; {self.missing} journalled payloads missing from the store"
                if self.missing
                else ""
            )
        )


def payloads(settings: Settings) -> list[tuple[LandedPayload, datetime, dict]]:
    """Every payload the journal lists, once each (its first fetch), oldest first."""
    seen: set[tuple[str, str]] = set()
    found = []
    for entry in journal_entries(settings.landing_dir):
        key = (str(entry["source"]), str(entry["sha256"]))
        if key in seen:
            continue
        seen.add(key)
        fetched_at = datetime.fromisoformat(str(entry["fetched_at"]))
        payload = LandedPayload(
            source=key[0],
            url=str(entry["url"]),
            sha256=key[1],
            path=settings.landing_dir / str(entry["path"]),
            relative_path=str(entry["path"]),
            bytes=int(entry.get("bytes") or 0),  # type: ignore[call-overload]
            last_modified=entry.get("last_modified"),  # type: ignore[arg-type]
            fetch_id=0,
        )
        found.append((payload, fetched_at, entry))
    found.sort(key=lambda item: item[1])  # stable: a journal's own order breaks ties
    return found


def rebuild(source: Settings, target: Settings) -> Rebuilt:
    """Replay source's landing store into target, a warehouse that must not exist yet."""
    if lake.catalog_exists(target) and target.catalog_kind == "sqlite":
        raise RebuildError(f"{target.warehouse} exists: rebuild makes a new warehouse")
    target = target.model_copy(update={"landing_dir": source.landing_dir})
    done = Rebuilt(target.warehouse)
    with writer_lock(target, "rebuild"):
        with warehouse.writer(target) as con:
            warehouse.migrate(con, target.sql_dir)
        for payload, fetched_at, entry in payloads(source):
            if not Path(payload.path).is_file():
                done.missing += 1
                continue
            done.payloads += 1
            with warehouse.writer(target) as con:
                fetch_id = record_fetch(
                    con,
                    payload.source,
                    payload.url,
                    status=entry.get("status"),  # type: ignore[arg-type]
                    etag=entry.get("etag"),  # type: ignore[arg-type]
                    last_modified=payload.last_modified,
                    sha256=payload.sha256,
                    size=payload.bytes,
                    landed_path=payload.relative_path,
                    fetched_at=fetched_at,
                )
            replayed = LandedPayload(**{**payload.__dict__, "fetch_id": fetch_id})
            outcome = pipeline.ingest(target, payload.source, replayed, first_seen=fetched_at)
            if outcome.status == "quarantined":
                done.quarantined += 1
            elif outcome.status == "published":
                done.published += 1
                done.rows += outcome.rows_published
            else:
                done.unchanged += 1
        after_publishing(target)
    return done


def after_publishing(settings: Settings) -> None:
    """What a refresh does once its vintages are in: claims and search index of new articles,
    the release calendar, the views and marts, the cross-source checks."""
    from tradewh.claims.store import extract_new
    from tradewh.sources.news import build_search_index

    with warehouse.writer(settings) as con:
        extract_new(con)
        build_search_index(con)
        freshness.load_calendar(con, settings.release_calendar)
        warehouse.rebuild_views(con, settings.sql_dir)
    pipeline.cross_check(settings)
