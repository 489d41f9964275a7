"""``file://`` URLs served through requests like HTTP, so the offline sample profile runs the same
client code as the live one: conditional GET, a size cap, and headers from a sidecar file."""

from __future__ import annotations

import email.utils
import hashlib
import io
import json
import mimetypes
import stat
from collections.abc import Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers


class _FileBody:
    """File-like raw body whose release_conn closes the file.

    requests' Response.close() only closes ``raw`` when the body was not consumed, but always
    calls ``raw.release_conn()``; without this a fully read file would stay open.
    """

    def __init__(self, fh: io.BufferedIOBase | io.BytesIO) -> None:
        self._fh = fh

    def read(self, amt: int | None = None, **_: Any) -> bytes:
        if self._fh.closed:
            return b""
        data = self._fh.read(-1 if amt is None else amt)
        if not data:
            self._fh.close()
        return data

    def close(self) -> None:
        self._fh.close()

    release_conn = close

    @property
    def closed(self) -> bool:
        return self._fh.closed


class SidecarError(requests.exceptions.RequestException):
    """A ``<file>.headers.json`` sidecar that is not a JSON object of header -> value."""


# Describe the original transfer, not the stored bytes; ETag must stay the content hash so that
# the adapter's own 304 logic agrees with what it hands out.
_SIDECAR_SKIP = frozenset(
    {"content-length", "transfer-encoding", "content-encoding", "connection", "etag"}
)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_sidecar(path: Path) -> dict[str, str]:
    sidecar = path.with_name(path.name + ".headers.json")
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SidecarError(f"unreadable headers sidecar {sidecar}: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int | float) for k, v in data.items()
    ):
        raise SidecarError(f"headers sidecar {sidecar} is not a JSON object of name -> value")
    return {k: str(v) for k, v in data.items() if k.lower() not in _SIDECAR_SKIP}


def _etag_matches(if_none_match: str, etag: str) -> bool:
    # Weak comparison, as RFC 9110 prescribes for If-None-Match.
    def strip(tag: str) -> str:
        tag = tag.strip()
        return tag[2:] if tag[:2] in ("W/", "w/") else tag

    if if_none_match.strip() == "*":
        return True
    return any(strip(tag) == strip(etag) for tag in if_none_match.split(","))


def _not_modified_since(last_modified: str | None, if_modified_since: str) -> bool:
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since)
        modified = email.utils.parsedate_to_datetime(last_modified or "")
    except (TypeError, ValueError, IndexError):
        return False
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    modified = modified if modified.tzinfo else modified.replace(tzinfo=UTC)
    return modified <= since


def _not_modified(
    request: requests.PreparedRequest, last_modified: str | None, etag: str | None
) -> bool:
    """The conditional GET's answer: If-None-Match decides when sent, as in RFC 9110."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag is not None and _etag_matches(if_none_match, etag)
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since is not None:
        return _not_modified_since(last_modified, if_modified_since)
    return False


class FileAdapter(BaseAdapter):
    """Serves ``file://`` URLs like a small HTTP server.

    200 with the bytes (ETag: quoted sha256 of the content; Last-Modified from the file's mtime;
    Content-Type from :mod:`mimetypes`); headers recorded in a ``<file>.headers.json`` sidecar
    are added on top (except framing headers and ETag); 304 when If-None-Match matches the ETag
    or, when no If-None-Match is sent, when If-Modified-Since is not older than Last-Modified;
    404 for a missing file. The query string is ignored. A file larger than ``max_bytes`` is
    not hashed: it is announced by Content-Length, which the client rejects before reading.
    """

    def __init__(self, max_bytes: int | None = None) -> None:
        super().__init__()
        self._max_bytes = max_bytes

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        method = (request.method or "GET").upper()
        if method not in ("GET", "HEAD"):
            return self._respond(request, 405, {"Allow": "GET, HEAD"})
        parts = urlsplit(request.url or "")
        if parts.netloc not in ("", "localhost"):
            return self._respond(request, 400, {}, b"file:// URLs must not name a remote host")
        path = Path(url2pathname(parts.path))
        try:
            info = path.stat()
        except PermissionError:
            return self._respond(request, 403, {}, b"permission denied")
        except OSError:
            return self._respond(request, 404, {}, b"file not found")
        if not stat.S_ISREG(info.st_mode):
            return self._respond(request, 404, {}, b"not a regular file")

        headers: dict[str, str] = {
            "Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            "Content-Length": str(info.st_size),
            "Last-Modified": email.utils.format_datetime(
                datetime.fromtimestamp(info.st_mtime, UTC), usegmt=True
            ),
        }
        headers.update(_read_sidecar(path))
        etag: str | None = None
        if self._max_bytes is None or info.st_size <= self._max_bytes:
            etag = f'"{_sha256_file(path)}"'
            headers["ETag"] = etag

        not_modified = _not_modified(request, headers.get("Last-Modified"), etag)
        if not_modified:
            del headers["Content-Length"]
            return self._respond(request, 304, headers)
        if method == "HEAD":
            return self._respond(request, 200, headers)
        try:
            body = _FileBody(path.open("rb"))
        except OSError:
            return self._respond(request, 404, {}, b"file not found")
        return self._respond(request, 200, headers, body)

    def close(self) -> None:
        pass

    @staticmethod
    def _respond(
        request: requests.PreparedRequest,
        status: int,
        headers: Mapping[str, str],
        body: bytes | _FileBody = b"",
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        response.reason = HTTPStatus(status).phrase
        response.headers = CaseInsensitiveDict(headers)
        if isinstance(body, bytes):
            if body and "Content-Length" not in response.headers:
                response.headers["Content-Length"] = str(len(body))
                response.headers.setdefault("Content-Type", "text/plain; charset=utf-8")
            body = _FileBody(io.BytesIO(body))
        response.raw = body
        response.encoding = get_encoding_from_headers(response.headers)
        response.url = request.url or ""
        response.request = request
        response.connection = None
        return response
