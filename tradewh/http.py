"""The project's only HTTP client.

Every fetch gets connect/read timeouts and a deadline for each attempt as a whole, retries with
jittered exponential backoff (honouring Retry-After), a cap on the decoded body size, conditional
GET, and redaction of secrets in every message and log line. ``file://`` URLs are served by
:class:`FileAdapter` through the same code path, so the offline "sample" profile exercises exactly
what the live profile runs.
"""

from __future__ import annotations

import dataclasses
import email.utils
import hashlib
import io
import json
import logging
import mimetypes
import random
import re
import socket
import stat
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit, urlunsplit
from urllib.request import url2pathname

import requests
import urllib3
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

if TYPE_CHECKING:
    from tradewh.settings import Settings

__all__ = [
    "FetchError",
    "FetchResult",
    "FileAdapter",
    "HttpClient",
    "redact_url",
]

logger = logging.getLogger("tradewh.http")

MAX_REDIRECTS = 5
_CHUNK_SIZE = 64 * 1024
# Enough of an error body to show the API's own explanation (Census: "error: ...", FRED: JSON).
_SNIPPET_CHARS = 300
_SNIPPET_READ_BYTES = 4096
_REDACTED = "***"
_SCHEMES = frozenset({"http", "https", "file"})

_SECRET_PARAM_NAMES = (
    "access_token",
    "signature",
    "password",
    "api_key",
    "apikey",
    "secret",
    "token",
    "key",
    "sig",
)
# The same names in free text ("... url: /x?api_key=abc HTTP/1.1"): urllib3's debug lines and
# exception messages carry raw URLs, and a redirect may bring a secret we were never told about.
# A prefix ending in _ . or - also counts (x-amz-signature, client_secret, x_api_key).
_SECRET_PARAM_RE = re.compile(
    r"(?i)((?<![\w.-])(?:[\w.-]*[_.-])?(?:" + "|".join(_SECRET_PARAM_NAMES) + r")=)[^&\s'\"#;,)]+"
)


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


def _is_secret_param(name: str) -> bool:
    norm = unquote_plus(name).strip().lower().replace("-", "_").replace(".", "_")
    return any(norm == s or norm.endswith("_" + s) for s in _SECRET_PARAM_NAMES)


def _literal_forms(secrets: Sequence[str]) -> list[str]:
    # A secret can show up raw, percent-encoded in a path, or form-encoded in a query.
    forms = {f for s in secrets if s for f in (s, quote(s, safe=""), quote_plus(s))}
    return sorted(forms, key=len, reverse=True)


def _replace_literals(text: str, secrets: Sequence[str]) -> str:
    for form in _literal_forms(secrets):
        text = text.replace(form, _REDACTED)
    return text


def _redact_text(text: str, secrets: Sequence[str] = ()) -> str:
    """Redact secrets from free text (exception messages, response bodies, log lines)."""
    text = _replace_literals(text, secrets)
    return _SECRET_PARAM_RE.sub(lambda m: m.group(1) + _REDACTED, text)


def _redact_query_pair(pair: str) -> str:
    name, sep, value = pair.partition("=")
    if sep and value and _is_secret_param(name):
        return f"{name}={_REDACTED}"
    return pair


def redact_url(url: str, secrets: Sequence[str] = ()) -> str:
    """Remove secrets from a URL.

    Values of query params whose name looks secret (api_key, key, token, apikey, access_token,
    password, secret, sig, signature — case-insensitive, also with a prefix such as
    ``x-amz-signature`` or ``client_secret``) become '***', any literal secret string in
    `secrets` becomes '***', and user:password@ in the netloc is removed.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        # Unparseable (e.g. a broken IPv6 literal): still never echo a secret.
        return _redact_text(url, secrets)
    netloc = parts.netloc.rpartition("@")[2]
    query = "&".join(_redact_query_pair(p) for p in parts.query.split("&")) if parts.query else ""
    if netloc != parts.netloc or query != parts.query:
        # Rebuild only when something changed, so clean URLs come back exactly as given.
        url = urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    return _replace_literals(url, secrets)


def _secret_param_values(url: str, params: Mapping[str, str] | None) -> list[str]:
    """Values of secret-looking params, so they are also redacted from bodies and exceptions."""
    values: list[str] = []
    try:
        query = urlsplit(url).query
    except ValueError:
        query = ""
    for pair in query.split("&") if query else ():
        name, sep, value = pair.partition("=")
        if sep and value and _is_secret_param(name):
            values += [value, unquote_plus(value)]
    for name, value in (params or {}).items():
        if value is not None and str(value) and _is_secret_param(str(name)):
            values.append(str(value))
    return values


class _RedactingLogFilter(logging.Filter):
    """Redacts urllib3's own log records, whose debug lines print request paths verbatim."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed third-party record is not ours to break
            return True
        redacted = _redact_text(message, tuple(self.secrets))
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_LOG_FILTER = _RedactingLogFilter()
for _name in ("urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry"):
    logging.getLogger(_name).addFilter(_LOG_FILTER)


# --------------------------------------------------------------------------------------------
# file:// transport


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

        if_none_match = request.headers.get("If-None-Match")
        if_modified_since = request.headers.get("If-Modified-Since")
        if if_none_match is not None:
            not_modified = etag is not None and _etag_matches(if_none_match, etag)
        elif if_modified_since is not None:
            not_modified = _not_modified_since(headers.get("Last-Modified"), if_modified_since)
        else:
            not_modified = False
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


# --------------------------------------------------------------------------------------------
# The client


class _Retryable(Exception):
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


# --------------------------------------------------------------------------------------------
# Deadlines: the read timeout bounds each wait for the next bytes, not a whole answer, so a server
# that trickles a byte at a time (headers or body) never trips it and would hold a fetch (and the
# night's run) for as long as it likes. Each attempt therefore has deadlines of its own, enforced
# by shutting its sockets down from a timer thread, which ends the blocked read at once.

_current = threading.local()


def _shutdown(sock: socket.socket) -> None:
    try:
        # The plain socket's shutdown, also for an SSL socket: it only closes the descriptor's
        # directions and leaves the SSL object alone for the thread that is reading.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


class _Deadline:
    """Ends one attempt that is taking too long: see the note above."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer: threading.Timer | None = None
        self.expired: str | None = None  # what did not come in time, once it has passed

    def arm(self, seconds: float, what: str) -> None:
        """Cut the attempt short in `seconds`; `expired` then says `what`."""
        self.cancel()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire, args=(what,))
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def _expire(self, what: str) -> None:
        with self._lock:
            self.expired = what
            for sock in self._sockets:
                _shutdown(sock)


class _WatchedConnection:
    """Hands the socket of every request (new or kept-alive connection) to the attempt's
    deadline before the answer is read."""

    sock: socket.socket | None

    def getresponse(self) -> Any:
        deadline: _Deadline | None = getattr(_current, "deadline", None)
        if deadline is not None and self.sock is not None:
            deadline.watch(self.sock)
        return super().getresponse()  # type: ignore[misc]


class _HTTPConnection(_WatchedConnection, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, urllib3.connection.HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter, with connections that report to the attempt's deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = _POOLS
        return manager


@dataclass(frozen=True)
class _Call:
    request: requests.PreparedRequest
    url: str  # redacted
    secrets: tuple[str, ...]
    send_kwargs: dict[str, Any]

    def redact_url(self, url: str) -> str:
        return redact_url(url, self.secrets)

    def redact_text(self, text: str) -> str:
        return _redact_text(text, self.secrets)


def _parse_retry_after(value: str | None) -> float | None:
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


def _content_length(headers: Mapping[str, str]) -> int | None:
    value = headers.get("Content-Length")
    try:
        length = int(value) if value is not None else None
    except ValueError:
        return None
    return length if length is not None and length >= 0 else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


_ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError)


def _drop_redirect_body(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    # requests reads a redirect's whole body (decoded) before following it, outside our size
    # cap; closing it first turns that read into a no-op (a 3xx body is never needed).
    if response.is_redirect:
        logger.debug("redirect %d from %s", response.status_code, redact_url(response.url))
        raw_close = getattr(response.raw, "close", None)
        if raw_close is not None:
            raw_close()


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
        # it, body included (see _Deadline).
        self._headers_deadline = connect_timeout + read_timeout
        self._total_timeout = total_timeout
        self._max_bytes = max_bytes
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._max_retry_after = max_retry_after
        self._secrets = tuple(s for s in secrets if s)
        self._sleep = sleep
        _LOG_FILTER.secrets.update(self._secrets)

        self._session = requests.Session()
        self._session.headers["User-Agent"] = user_agent
        self._session.max_redirects = MAX_REDIRECTS
        self._session.hooks["response"].append(_drop_redirect_body)
        self._session.mount("http://", _WatchedAdapter())
        self._session.mount("https://", _WatchedAdapter())
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
        secrets = self._secrets + tuple(_secret_param_values(url, params))
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
        secrets = self._secrets + tuple(_secret_param_values(url, params))
        call = self._prepare(url, params, etag, last_modified, secrets)
        retrying = Retrying(
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self._sleep,
            before_sleep=lambda state: self._log_retry(call, state),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    result = self._attempt(call, attempt.retry_state.attempt_number)
        except _Retryable as exc:
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
            _plural(len(result.content), "byte"),
            _plural(result.attempts, "attempt"),
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
    ) -> _Call:
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
        return _Call(request=prepared, url=shown, secrets=secrets, send_kwargs=send_kwargs)

    @staticmethod
    def _bad(shown: str, secrets: Sequence[str], reason: str, exc: Exception) -> FetchError:
        detail = _redact_text(f"{type(exc).__name__}: {exc}", secrets)
        message = f"GET {shown} failed before any attempt [{reason}]: {detail}"
        return FetchError(message, url=shown, reason=reason, attempts=0)

    def _wait(self, state: RetryCallState) -> float:
        # Full jitter: spreads retries of many clients (and of our parallel tasks) apart.
        exponent = min(state.attempt_number - 1, 62)
        delay = random.uniform(0.0, min(self._backoff_max, self._backoff_base * 2.0**exponent))
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        return delay

    def _log_retry(self, call: _Call, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        action = state.next_action
        logger.warning(
            "GET %s: %s (attempt %d of %d); retrying in %.2fs",
            call.url,
            exc.detail if isinstance(exc, _Retryable) else exc,
            state.attempt_number,
            self._max_attempts,
            action.sleep if action is not None else 0.0,
        )

    def _error(
        self, call: _Call, reason: str, attempts: int, detail: str, status: int | None = None
    ) -> FetchError:
        message = f"GET {call.url} failed after {_plural(attempts, 'attempt')} [{reason}]: {detail}"
        return FetchError(message, url=call.url, reason=reason, status=status, attempts=attempts)

    def _attempt(self, call: _Call, attempt: int) -> FetchResult:
        # `from None` everywhere: requests' exceptions quote the raw URL, and a chained
        # traceback would print it with its secrets.
        deadline = _current.deadline = _Deadline()
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
            except _ERRORS as exc:
                raise self._classify(call, attempt, exc, deadline) from None
            deadline.arm(
                self._total_timeout - (time.monotonic() - started),
                f"the answer was not complete within {self._total_timeout:g}s (the total timeout)",
            )
            try:
                result = self._read(call, attempt, response)
            except _ERRORS as exc:
                raise self._classify(call, attempt, exc, deadline) from None
            finally:
                response.close()
            if deadline.expired:
                # A body without Content-Length ends where the connection does: cut short by
                # the deadline, it would look complete.
                raise _Retryable("timeout", deadline.expired)
            return result
        finally:
            deadline.cancel()
            _current.deadline = None

    def _classify(
        self, call: _Call, attempt: int, exc: Exception, deadline: _Deadline
    ) -> _Retryable | FetchError:
        if deadline.expired:
            return _Retryable("timeout", deadline.expired)
        detail = call.redact_text(f"{type(exc).__name__}: {exc}")
        E = requests.exceptions
        if isinstance(exc, E.TooManyRedirects):
            return self._error(call, "redirects", attempt, detail)
        if isinstance(exc, E.InvalidURL | E.MissingSchema | E.InvalidSchema):
            return self._error(call, "bad_url", attempt, detail)
        if isinstance(exc, E.SSLError):
            # Certificate problems do not heal within a backoff window.
            return self._error(call, "ssl", attempt, detail)
        if isinstance(exc, E.Timeout):
            return _Retryable("timeout", detail)
        if isinstance(exc, E.ConnectionError):
            # A read timeout while streaming the body surfaces as ConnectionError.
            inner = exc.args[0] if exc.args else None
            if isinstance(inner, urllib3.exceptions.ReadTimeoutError):
                return _Retryable("timeout", detail)
            return _Retryable("connection", detail)
        if isinstance(exc, E.ChunkedEncodingError):
            return _Retryable("truncated", detail)
        if isinstance(exc, E.ContentDecodingError):
            return _Retryable("decode", detail)
        if isinstance(exc, E.RequestException):  # before OSError: it is one
            return self._error(call, "request_error", attempt, detail)
        return _Retryable("connection", detail)  # a raw urllib3 or socket error

    def _read(self, call: _Call, attempt: int, response: requests.Response) -> FetchResult:
        status = response.status_code
        final_url = call.redact_url(response.url or call.request.url or "")
        if status == 429 or status == 408 or 500 <= status <= 599:
            detail = self._status_detail(call, response)
            retry_after = _parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self._max_retry_after:
                detail += (
                    f"; Retry-After {retry_after:.0f}s exceeds the "
                    f"{self._max_retry_after:.0f}s limit"
                )
                raise self._error(call, "retry_after_too_long", attempt, detail, status)
            raise _Retryable("http_status", detail, status=status, retry_after=retry_after)
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

    def _read_body(self, call: _Call, attempt: int, response: requests.Response) -> bytes:
        length = _content_length(response.headers)
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
            received = self._wire_bytes(response, len(body))
            if received is not None and received < length:
                detail = f"body ended after {received} of {length} bytes (Content-Length)"
                raise _Retryable("truncated", detail, status=response.status_code)
        return bytes(body)

    @staticmethod
    def _wire_bytes(response: requests.Response, decoded: int) -> int | None:
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

    def _status_detail(self, call: _Call, response: requests.Response) -> str:
        detail = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
        snippet = self._body_snippet(call, response)
        return f"{detail}: {snippet}" if snippet else detail

    @staticmethod
    def _body_snippet(call: _Call, response: requests.Response) -> str:
        """The start of an error body, as one line: APIs explain a 400 there."""
        raw = bytearray()
        try:
            for chunk in response.iter_content(chunk_size=1024):
                raw += chunk
                if len(raw) >= _SNIPPET_READ_BYTES:
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
        if len(text) > _SNIPPET_CHARS:
            text = text[:_SNIPPET_CHARS] + "…"
        return text
