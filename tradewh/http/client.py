"""The project's only HTTP client.

Every fetch gets connect/read timeouts and a deadline for each attempt as a whole, retries with
jittered exponential backoff (honouring Retry-After), a cap on the decoded body size, conditional
GET, and redaction of secrets in every message and log line. ``file://`` URLs are served by
:class:`FileAdapter` through the same code path, so the offline "sample" profile exercises exactly
what the live profile runs.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit

import requests
import urllib3
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from tradewh.http.deadline import Deadline, WatchedAdapter, current
from tradewh.http.file_transport import FileAdapter
from tradewh.http.outcomes import Call, FetchError, FetchResult, Retryable
from tradewh.http.redaction import LOG_FILTER, redact_text, redact_url, secret_param_values
from tradewh.http.responses import (
    ERRORS,
    body_snippet,
    content_length,
    drop_redirect_body,
    parse_retry_after,
    plural,
    wire_bytes,
)

if TYPE_CHECKING:
    from tradewh.settings import Settings

logger = logging.getLogger("tradewh.http")

MAX_REDIRECTS = 5
_CHUNK_SIZE = 64 * 1024
_SCHEMES = frozenset({"http", "https", "file"})


_E = requests.exceptions
# What a failed attempt was, and whether another attempt may heal it: the first match wins, so
# subclasses come before their bases (SSLError is a ConnectionError, every one a RequestException).
_FAILURES: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str, bool], ...] = (
    (_E.TooManyRedirects, "redirects", False),
    ((_E.InvalidURL, _E.MissingSchema, _E.InvalidSchema), "bad_url", False),
    (_E.SSLError, "ssl", False),  # certificate problems do not heal within a backoff window
    (_E.Timeout, "timeout", True),
    (_E.ConnectionError, "connection", True),
    (_E.ChunkedEncodingError, "truncated", True),
    (_E.ContentDecodingError, "decode", True),
    (_E.RequestException, "request_error", False),
)


class HttpClient:
    """GETs with timeouts, retries, a size cap and conditional requests; see the module doc."""

    def __init__(
        self,
        *,
        user_agent: str,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        max_bytes: int = 200 * 1024 * 1024,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        max_retry_after: float = 300.0,
        total_timeout: float = 600.0,
        secrets: Sequence[str] = (),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not user_agent.strip():
            raise ValueError("user_agent must not be empty")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        self._timeout = (connect_timeout, read_timeout)
        # Deadlines of one attempt: its answer's headers (redirects included), and the whole of
        # it, body included (see Deadline).
        self._headers_deadline = connect_timeout + read_timeout
        self._total_timeout = total_timeout
        self._max_bytes = max_bytes
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._max_retry_after = max_retry_after
        self._secrets = tuple(s for s in secrets if s)
        self._sleep = sleep
        LOG_FILTER.secrets.update(self._secrets)

        self._session = requests.Session()
        self._session.headers["User-Agent"] = user_agent
        self._session.max_redirects = MAX_REDIRECTS
        self._session.hooks["response"].append(drop_redirect_body)
        self._session.mount("http://", WatchedAdapter())
        self._session.mount("https://", WatchedAdapter())
        self._session.mount("file://", FileAdapter(max_bytes=max_bytes))

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpClient:
        return cls(
            user_agent=settings.http_user_agent,
            connect_timeout=settings.http_connect_timeout,
            read_timeout=settings.http_read_timeout,
            max_bytes=settings.http_max_bytes,
            max_attempts=settings.http_max_attempts,
            backoff_base=settings.http_backoff_base,
            backoff_max=settings.http_backoff_max,
            max_retry_after=settings.http_max_retry_after,
            total_timeout=settings.http_total_timeout,
            secrets=settings.secrets(),
        )

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def request_url(self, url: str, params: Mapping[str, str] | None = None) -> str:
        """The redacted URL a GET of `url` with `params` requests: the form to store and to key
        conditional-GET validators on (the final URL after redirects may differ)."""
        secrets = self._secrets + tuple(secret_param_values(url, params))
        return self._prepare(url, params, None, None, secrets).url

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET `url` (plus `params`), conditionally when `etag` / `last_modified` are given.

        Raises FetchError when the fetch fails for good. A 304 answer comes back as a result
        with ``not_modified`` set and empty content; if the server leaves out the validators,
        the ones sent are returned so the caller can keep storing them. ``params`` are not
        applied to ``file://`` URLs (requests leaves non-HTTP URLs alone).
        """
        secrets = self._secrets + tuple(secret_param_values(url, params))
        call = self._prepare(url, params, etag, last_modified, secrets)
        retrying = Retrying(
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type(Retryable),
            sleep=self._sleep,
            before_sleep=lambda state: self._log_retry(call, state),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    result = self._attempt(call, attempt.retry_state.attempt_number)
        except Retryable as exc:
            error = self._error(call, exc.reason, self._max_attempts, exc.detail, exc.status)
            logger.warning("%s", error)
            raise error from None
        except FetchError as exc:
            logger.warning("%s", exc)
            raise
        if result.not_modified:
            result = dataclasses.replace(
                result,
                etag=result.etag or etag,
                last_modified=result.last_modified or last_modified,
            )
        logger.info(
            "GET %s -> %d (%s, %s)",
            result.url,
            result.status,
            plural(len(result.content), "byte"),
            plural(result.attempts, "attempt"),
        )
        return result

    # ----------------------------------------------------------------------------------------

    def _prepare(
        self,
        url: str,
        params: Mapping[str, str] | None,
        etag: str | None,
        last_modified: str | None,
        secrets: tuple[str, ...],
    ) -> Call:
        shown = redact_url(url, secrets)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = requests.Request("GET", url, params=dict(params or {}), headers=headers)
        try:
            prepared = self._session.prepare_request(request)
        except requests.exceptions.InvalidHeader as exc:
            raise self._bad(shown, secrets, "bad_request", exc) from None
        except (requests.exceptions.RequestException, ValueError) as exc:
            raise self._bad(shown, secrets, "bad_url", exc) from None
        full_url = prepared.url or url
        shown = redact_url(full_url, secrets)
        scheme = urlsplit(full_url).scheme.lower()
        if scheme not in _SCHEMES:
            message = f"GET {shown} failed before any attempt [bad_url]: unsupported scheme"
            raise FetchError(message, url=shown, reason="bad_url", attempts=0)
        send_kwargs = self._session.merge_environment_settings(full_url, {}, None, None, None)
        send_kwargs.pop("stream", None)
        return Call(request=prepared, url=shown, secrets=secrets, send_kwargs=send_kwargs)

    @staticmethod
    def _bad(shown: str, secrets: Sequence[str], reason: str, exc: Exception) -> FetchError:
        detail = redact_text(f"{type(exc).__name__}: {exc}", secrets)
        message = f"GET {shown} failed before any attempt [{reason}]: {detail}"
        return FetchError(message, url=shown, reason=reason, attempts=0)

    def _wait(self, state: RetryCallState) -> float:
        # Full jitter: spreads retries of many clients (and of our parallel tasks) apart.
        exponent = min(state.attempt_number - 1, 62)
        delay = random.uniform(0.0, min(self._backoff_max, self._backoff_base * 2.0**exponent))
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, Retryable) and exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        return delay

    def _log_retry(self, call: Call, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        action = state.next_action
        logger.warning(
            "GET %s: %s (attempt %d of %d); retrying in %.2fs",
            call.url,
            exc.detail if isinstance(exc, Retryable) else exc,
            state.attempt_number,
            self._max_attempts,
            action.sleep if action is not None else 0.0,
        )

    def _error(
        self, call: Call, reason: str, attempts: int, detail: str, status: int | None = None
    ) -> FetchError:
        message = f"GET {call.url} failed after {plural(attempts, 'attempt')} [{reason}]: {detail}"
        return FetchError(message, url=call.url, reason=reason, status=status, attempts=attempts)

    def _attempt(self, call: Call, attempt: int) -> FetchResult:
        # `from None` everywhere: requests' exceptions quote the raw URL, and a chained
        # traceback would print it with its secrets.
        deadline = current.deadline = Deadline()
        started = time.monotonic()
        headers = min(self._headers_deadline, self._total_timeout)
        deadline.arm(
            headers,
            f"the answer's headers were not complete within {headers:g}s (the connect and read "
            "timeouts)",
        )
        try:
            try:
                response = self._session.send(
                    call.request.copy(),
                    stream=True,
                    timeout=self._timeout,
                    allow_redirects=True,
                    **call.send_kwargs,
                )
            except ERRORS as exc:
                raise self._classify(call, attempt, exc, deadline) from None
            deadline.arm(
                self._total_timeout - (time.monotonic() - started),
                f"the answer was not complete within {self._total_timeout:g}s (the total timeout)",
            )
            try:
                result = self._read(call, attempt, response)
            except ERRORS as exc:
                raise self._classify(call, attempt, exc, deadline) from None
            finally:
                response.close()
            if deadline.expired:
                # A body without Content-Length ends where the connection does: cut short by
                # the deadline, it would look complete.
                raise Retryable("timeout", deadline.expired)
            return result
        finally:
            deadline.cancel()
            current.deadline = None

    def _classify(
        self, call: Call, attempt: int, exc: Exception, deadline: Deadline
    ) -> Retryable | FetchError:
        if deadline.expired:
            return Retryable("timeout", deadline.expired)
        detail = call.redact_text(f"{type(exc).__name__}: {exc}")
        reason, retried = next(
            ((reason, retried) for types, reason, retried in _FAILURES if isinstance(exc, types)),
            ("connection", True),  # a raw urllib3 or socket error
        )
        # A read timeout while streaming the body surfaces as ConnectionError.
        inner = exc.args[0] if exc.args else None
        if reason == "connection" and isinstance(inner, urllib3.exceptions.ReadTimeoutError):
            reason = "timeout"
        return Retryable(reason, detail) if retried else self._error(call, reason, attempt, detail)

    def _read(self, call: Call, attempt: int, response: requests.Response) -> FetchResult:
        status = response.status_code
        final_url = call.redact_url(response.url or call.request.url or "")
        if status == 429 or status == 408 or 500 <= status <= 599:
            detail = self._status_detail(call, response)
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self._max_retry_after:
                detail += (
                    f"; Retry-After {retry_after:.0f}s exceeds the "
                    f"{self._max_retry_after:.0f}s limit"
                )
                raise self._error(call, "retry_after_too_long", attempt, detail, status)
            raise Retryable("http_status", detail, status=status, retry_after=retry_after)
        if status != 304 and not 200 <= status <= 299:
            raise self._error(
                call, "http_status", attempt, self._status_detail(call, response), status
            )

        content = b"" if status in (204, 205, 304) else self._read_body(call, attempt, response)
        return FetchResult(
            url=final_url,
            status=status,
            content=content,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=response.headers.get("Content-Type"),
            attempts=attempt,
        )

    def _read_body(self, call: Call, attempt: int, response: requests.Response) -> bytes:
        length = content_length(response.headers)
        if length is not None and length > self._max_bytes:
            detail = f"Content-Length {length} exceeds the limit of {self._max_bytes} bytes"
            raise self._error(call, "too_large", attempt, detail, response.status_code)
        body = bytearray()
        # iter_content yields decoded bytes, so the cap also stops decompression bombs.
        for chunk in response.iter_content(chunk_size=_CHUNK_SIZE):
            body += chunk
            if len(body) > self._max_bytes:
                detail = f"body exceeds the limit of {self._max_bytes} bytes (decoded)"
                raise self._error(call, "too_large", attempt, detail, response.status_code)
        if length is not None:
            received = wire_bytes(response, len(body))
            if received is not None and received < length:
                detail = f"body ended after {received} of {length} bytes (Content-Length)"
                raise Retryable("truncated", detail, status=response.status_code)
        return bytes(body)

    def _status_detail(self, call: Call, response: requests.Response) -> str:
        detail = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
        snippet = body_snippet(call, response)
        return f"{detail}: {snippet}" if snippet else detail
