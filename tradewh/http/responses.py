"""Reading an answer's headers: Retry-After, Content-Length, redirects."""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import requests
import urllib3
from requests.utils import get_encoding_from_headers

from tradewh.http.redaction import redact_url

if TYPE_CHECKING:
    from tradewh.http.outcomes import Call

logger = logging.getLogger("tradewh.http")

# Enough of an error body to show the API's own explanation (Census: "error: ...", FRED: JSON).
SNIPPET_CHARS = 300
SNIPPET_READ_BYTES = 4096


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait, from delta-seconds or an HTTP-date; None when absent or unparseable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def content_length(headers: Mapping[str, str]) -> int | None:
    value = headers.get("Content-Length")
    try:
        length = int(value) if value is not None else None
    except ValueError:
        return None
    return length if length is not None and length >= 0 else None


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError)


def drop_redirect_body(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    # requests reads a redirect's whole body (decoded) before following it, outside our size
    # cap; closing it first turns that read into a no-op (a 3xx body is never needed).
    if response.is_redirect:
        logger.debug("redirect %d from %s", response.status_code, redact_url(response.url))
        raw_close = getattr(response.raw, "close", None)
        if raw_close is not None:
            raw_close()


def wire_bytes(response: requests.Response, decoded: int) -> int | None:
    """Bytes received on the wire, to compare with Content-Length; None if unknown.

    urllib3 normally raises on a short body itself; this is the backstop for transports
    (or settings) that do not.
    """
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return decoded
    if isinstance(response.raw, urllib3.response.BaseHTTPResponse):
        return response.raw.tell()
    return None


def body_snippet(call: Call, response: requests.Response) -> str:
    """The start of an error body, as one line: APIs explain a 400 there."""
    raw = bytearray()
    try:
        for chunk in response.iter_content(chunk_size=1024):
            raw += chunk
            if len(raw) >= SNIPPET_READ_BYTES:
                break
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError):
        pass  # the status already tells the story; a broken error body adds nothing
    charset = (
        get_encoding_from_headers(response.headers)
        if "charset=" in (response.headers.get("Content-Type", "").lower())
        else "utf-8"
    )
    try:
        text = bytes(raw).decode(charset or "utf-8", errors="replace")
    except LookupError:
        text = bytes(raw).decode("utf-8", errors="replace")
    # Redact before cutting, so a secret at the cut cannot leak its first characters.
    text = call.redact_text(" ".join(text.split()))
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS] + "…"
    return text
