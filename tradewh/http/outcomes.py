"""What a fetch ends in: a result, a final error, or (inside the client) a retryable failure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from tradewh.http.redaction import redact_text, redact_url


class FetchError(Exception):
    """A fetch that failed for good (after retries or at once).

    The message is human-readable and names the (redacted) URL, the reason, and the attempts made.
    """

    url: str
    reason: str
    status: int | None
    attempts: int

    # Defaults keep the exception picklable (Prefect ships task exceptions between processes):
    # unpickling calls cls(*args) with the message only, then restores __dict__.
    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        reason: str = "error",
        status: int | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.reason = reason
        self.status = status
        self.attempts = attempts


@dataclass(frozen=True)
class FetchResult:
    url: str
    """Redacted URL of the response (after redirects)."""
    status: int
    content: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None
    attempts: int

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Retryable(Exception):
    """One attempt failed in a way worth retrying; never leaves this module."""

    def __init__(
        self,
        reason: str,
        detail: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Call:
    request: requests.PreparedRequest
    url: str  # redacted
    secrets: tuple[str, ...]
    send_kwargs: dict[str, Any]

    def redact_url(self, url: str) -> str:
        return redact_url(url, self.secrets)

    def redact_text(self, text: str) -> str:
        return redact_text(text, self.secrets)
