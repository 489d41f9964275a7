"""A release published as one zip of files (the FT-900 archive keeps one zip per release): each
wanted member becomes a payload of its own, recorded as `<zip URL>#<member>` and landed byte for
byte as the zip holds it, so that every file of the release is a vintage like a file fetched
alone (tradewh.ingest.fetch.fetch_bundle fetches and lands them)."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath

# A zip bomb guard: no published workbook comes near it (the FT-900 exhibits are 20-200 kB).
MAX_MEMBER_BYTES = 50 * 1024 * 1024


class BundleError(ValueError):
    """The body is not a zip that can be unpacked (corrupt, truncated, not a zip, a bomb)."""


def member_url(url: str, member: str) -> str:
    """Where a member is recorded: the zip's URL with the member's name as a fragment (never
    sent to a server, so it cannot collide with a URL that is)."""
    return f"{url}#{member}"


def unpack(body: bytes, wanted: tuple[str, ...]) -> dict[str, bytes]:
    """The wanted members of a zip by file name, wherever the zip keeps them (Census zips have
    held them at the top and in a folder), names compared without case; a member the zip lacks
    is absent from the answer."""
    by_name = {name.lower(): name for name in wanted}
    found: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as bundle:
            for info in bundle.infolist():
                name = by_name.get(PurePosixPath(info.filename).name.lower())
                if name is None or info.is_dir() or name in found:
                    continue
                if info.file_size > MAX_MEMBER_BYTES:
                    raise BundleError(f"{info.filename}: {info.file_size} bytes unpacked")
                found[name] = bundle.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as exc:
        raise BundleError(str(exc)) from exc
    return found
