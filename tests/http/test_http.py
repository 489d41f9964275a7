"""tradewh.http against a real local HTTP server (tests/httpserver.py) and real files."""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import logging
import pickle
import socket
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.httpserver import Reply, ScriptedServer, scripted_server
from tradewh.http import FetchError, FetchResult, HttpClient, redact_url

UA = "tradewh-test/1.0 (+https://example.invalid/tests)"
SECRET = "SECRET123"

MakeClient = Callable[..., HttpClient]


@pytest.fixture(scope="module")
def _server() -> Iterator[ScriptedServer]:
    with scripted_server() as server:
        yield server


@pytest.fixture
def server(_server: ScriptedServer) -> ScriptedServer:
    _server.reset()
    return _server


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def make_client(waits: list[float]) -> Iterator[MakeClient]:
    clients: list[HttpClient] = []

    def make(**overrides: object) -> HttpClient:
        options: dict[str, object] = {
            "user_agent": UA,
            "connect_timeout": 2.0,
            "read_timeout": 2.0,
            "max_attempts": 3,
            "backoff_base": 1.0,
            "backoff_max": 60.0,
            "sleep": waits.append,
        }
        options.update(overrides)
        client = HttpClient(**options)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def fetch_error(client: HttpClient, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        client.get(url, **kwargs)  # type: ignore[arg-type]
    return info.value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- retries and backoff ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [503, 500, 502, 504, 520, 429])
def test_retryable_status_then_success(
    server: ScriptedServer, make_client: MakeClient, waits: list[float], status: int
) -> None:
    server.plan("/data", Reply(status, b"busy"), Reply(200, b"payload"))
    result = make_client().get(server.url("/data"))
    assert result.status == 200
    assert result.content == b"payload"
    assert result.attempts == 2
    assert len(waits) == 1
    assert 0.0 <= waits[0] <= 1.0  # full jitter under backoff_base * 2**0
    assert len(server.seen("/data")) == 2


def test_retries_exhausted_raise_last_reason_with_capped_backoff(
    server: ScriptedServer, make_client: MakeClient, waits: list[float]
) -> None:
    server.plan("/down", Reply(503, b"maintenance", repeat=True))
    client = make_client(max_attempts=5, backoff_base=1.0, backoff_max=3.0)
    err = fetch_error(client, server.url("/down"))
    assert err.reason == "http_status"
    assert err.status == 503
    assert err.attempts == 5
    assert "5 attempts" in str(err)
    assert "maintenance" in str(err)
    assert len(server.seen("/down")) == 5
    assert len(waits) == 4
    for n, wait in enumerate(waits):
        assert 0.0 <= wait <= min(3.0, 1.0 * 2**n)


@pytest.mark.parametrize(
    ("retry_after", "minimum"),
    [
        ("7", 7.0),
        ("0", 0.0),
        (
            lambda: email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), True),
            25.0,
        ),
    ],
    ids=["seconds", "zero", "http-date"],
)
def test_retry_after_is_waited_for(
    server: ScriptedServer,
    make_client: MakeClient,
    waits: list[float],
    retry_after: str | Callable[[], str],
    minimum: float,
) -> None:
    value = retry_after() if callable(retry_after) else retry_after
    server.plan("/limited", Reply(429, headers={"Retry-After": value}), Reply(200, b"ok"))
    # backoff_base tiny, so only Retry-After can explain a long wait
    result = make_client(backoff_base=0.001).get(server.url("/limited"))
    assert result.content == b"ok"
    assert result.attempts == 2
    assert len(waits) == 1
    assert waits[0] >= minimum
    assert waits[0] <= max(minimum, 0.001) + 6.0


@pytest.mark.parametrize(
    "retry_after",
    ["3600", email.utils.format_datetime(datetime.now(UTC) + timedelta(days=1), True)],
    ids=["seconds", "http-date"],
)
def test_retry_after_too_long_fails_at_once(
    server: ScriptedServer, make_client: MakeClient, waits: list[float], retry_after: str
) -> None:
    server.plan("/slow-down", Reply(503, headers={"Retry-After": retry_after}, repeat=True))
    err = fetch_error(make_client(max_retry_after=300.0), server.url("/slow-down"))
    assert err.reason == "retry_after_too_long"
    assert err.status == 503
    assert err.attempts == 1
    assert waits == []
    assert len(server.seen("/slow-down")) == 1


# --- conditional GET --------------------------------------------------------------------------


def test_conditional_get_sends_validators_and_handles_304(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    etag = '"v1-abc"'
    modified = "Wed, 21 Oct 2015 07:28:00 GMT"
    server.plan(
        "/release.csv",
        Reply(200, b"a,b\n1,2\n", headers={"ETag": etag, "Last-Modified": modified}),
        Reply(304, headers={"ETag": etag}),
    )
    client = make_client()
    first = client.get(server.url("/release.csv"))
    assert not first.not_modified
    assert (first.etag, first.last_modified) == (etag, modified)
    assert first.content == b"a,b\n1,2\n"

    second = client.get(
        server.url("/release.csv"), etag=first.etag, last_modified=first.last_modified
    )
    assert second.not_modified
    assert second.status == 304
    assert second.content == b""
    assert second.etag == etag
    assert second.last_modified == modified  # kept from the request when the 304 omits it

    plain, conditional = server.seen("/release.csv")
    assert plain.header("If-None-Match") is None
    assert plain.header("If-Modified-Since") is None
    assert conditional.header("If-None-Match") == etag
    assert conditional.header("If-Modified-Since") == modified


# --- failures that are retried ----------------------------------------------------------------


def test_timeout_on_every_attempt(
    server: ScriptedServer, make_client: MakeClient, waits: list[float]
) -> None:
    server.plan("/hang", Reply(200, b"late", delay=0.5, repeat=True))
    client = make_client(read_timeout=0.2, max_attempts=2)
    err = fetch_error(client, server.url("/hang"))
    assert err.reason == "timeout"
    assert err.attempts == 2
    assert err.status is None
    assert server.url("/hang") in str(err)
    assert "2 attempts" in str(err)
    assert "timeout" in str(err)
    assert len(waits) == 1


@pytest.mark.parametrize("where", ["before", "mid_body"])
def test_connection_reset_is_retried(
    server: ScriptedServer, make_client: MakeClient, waits: list[float], where: str
) -> None:
    body = b"x" * 200_000
    server.plan("/flaky", Reply(200, body, reset=where), Reply(200, body))  # type: ignore[arg-type]
    result = make_client().get(server.url("/flaky"))
    assert result.content == body
    assert result.attempts == 2
    assert len(waits) == 1


def test_connection_refused_fails_after_retries(
    make_client: MakeClient, waits: list[float]
) -> None:
    url = f"http://127.0.0.1:{free_port()}/nothing"
    err = fetch_error(make_client(max_attempts=2), url)
    assert err.reason == "connection"
    assert err.attempts == 2
    assert len(waits) == 1


def test_truncated_body_is_retried(
    server: ScriptedServer, make_client: MakeClient, waits: list[float]
) -> None:
    server.plan("/cut", Reply(200, b"partial", content_length=1000), Reply(200, b"complete"))
    result = make_client().get(server.url("/cut"))
    assert result.content == b"complete"
    assert result.attempts == 2
    assert len(waits) == 1


def test_persistently_truncated_body_fails(
    server: ScriptedServer, make_client: MakeClient, waits: list[float]
) -> None:
    server.plan("/cut", Reply(200, b"partial", content_length=1000, repeat=True))
    err = fetch_error(make_client(max_attempts=3), server.url("/cut"))
    assert err.reason == "truncated"
    assert err.attempts == 3
    assert len(waits) == 2


# --- failures that are not retried ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (404, b"error: unknown variable 'FOO'", "error: unknown variable 'FOO'"),
        (400, b"error: unknown variable 'FOO'", "error: unknown variable 'FOO'"),
        (
            400,
            b'{"error_code":400,"error_message":"Bad Request.  Series does not exist."}',
            '"error_message":"Bad Request. Series does not exist."',
        ),
        (401, b"", "HTTP 401 Unauthorized"),
        (403, b"forbidden\n\n  here", "forbidden here"),
    ],
    ids=["404-census", "400-census", "400-fred-json", "401-empty", "403-whitespace"],
)
def test_client_errors_fail_at_once_with_body_text(
    server: ScriptedServer,
    make_client: MakeClient,
    waits: list[float],
    status: int,
    body: bytes,
    expected: str,
) -> None:
    server.plan("/api", Reply(status, body, headers={"Content-Type": "text/plain"}, repeat=True))
    err = fetch_error(make_client(), server.url("/api"))
    assert err.reason == "http_status"
    assert err.status == status
    assert err.attempts == 1
    assert expected in str(err)
    assert f"HTTP {status}" in str(err)
    assert waits == []
    assert len(server.seen("/api")) == 1


def test_error_body_snippet_is_bounded(server: ScriptedServer, make_client: MakeClient) -> None:
    server.plan("/api", Reply(400, b"error: " + b"y" * 100_000))
    err = fetch_error(make_client(), server.url("/api"))
    assert "error: yyy" in str(err)
    assert len(str(err)) < 600


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b"z" * 5000),
        Reply(200, b"z" * 5000, chunked=True),
        Reply(200, b"z" * 5000, omit_length=True),
    ],
    ids=["content-length", "chunked", "until-close"],
)
def test_body_over_max_bytes_is_too_large(
    server: ScriptedServer, make_client: MakeClient, waits: list[float], reply: Reply
) -> None:
    server.plan("/big", reply)
    err = fetch_error(make_client(max_bytes=4096), server.url("/big"))
    assert err.reason == "too_large"
    assert err.attempts == 1
    assert waits == []


def test_body_of_exactly_max_bytes_passes(server: ScriptedServer, make_client: MakeClient) -> None:
    server.plan("/edge", Reply(200, b"z" * 4096, chunked=True))
    assert make_client(max_bytes=4096).get(server.url("/edge")).content == b"z" * 4096


def test_gzip_bomb_is_too_large(
    server: ScriptedServer, make_client: MakeClient, waits: list[float]
) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    server.plan("/bomb", Reply(200, bomb, headers={"Content-Encoding": "gzip"}))
    err = fetch_error(make_client(max_bytes=1_000_000), server.url("/bomb"))
    assert err.reason == "too_large"
    assert waits == []


def test_gzip_body_is_decoded(server: ScriptedServer, make_client: MakeClient) -> None:
    text = b"period,value\n" * 1000
    server.plan("/gz", Reply(200, gzip.compress(text), headers={"Content-Encoding": "gzip"}))
    assert make_client().get(server.url("/gz")).content == text


def test_redirect_loop_fails(
    server: ScriptedServer, make_client: MakeClient, waits: list[float]
) -> None:
    server.plan("/loop", Reply(302, headers={"Location": "/loop"}, repeat=True))
    err = fetch_error(make_client(), server.url("/loop"))
    assert err.reason == "redirects"
    assert err.attempts == 1
    assert waits == []
    assert len(server.seen("/loop")) == 6  # the first request and 5 followed redirects


def test_redirect_is_followed_without_reading_its_body(
    server: ScriptedServer, make_client: MakeClient, waits: list[float]
) -> None:
    # A redirect whose body never completes: reading it would block until the read timeout.
    server.plan(
        "/old", Reply(301, b"x" * 10, headers={"Location": "/new"}, content_length=10_000, hold=1.0)
    )
    server.plan("/new", Reply(200, b"moved here"))
    result = make_client(read_timeout=0.3, max_attempts=1).get(server.url("/old"))
    assert result.content == b"moved here"
    assert result.url == server.url("/new")
    assert result.attempts == 1


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/file", "not a url", "http://", "http://[::1/x"],
)
def test_bad_urls_fail_before_any_attempt(make_client: MakeClient, url: str) -> None:
    err = fetch_error(make_client(), url)
    assert err.reason == "bad_url"
    assert err.attempts == 0


# --- redaction --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "secrets", "expected"),
    [
        (
            "https://api.example/x?api_key=SECRET123&time=2024-01",
            (),
            "https://api.example/x?api_key=***&time=2024-01",
        ),
        (
            "https://api.example/x?KEY=abc&get=CTY_CODE",
            (),
            "https://api.example/x?KEY=***&get=CTY_CODE",
        ),
        (
            "https://a.example/x?Token=t&apikey=k&access_token=a&password=p&secret=s&sig=g"
            "&Signature=z&x-amz-signature=q&client_secret=c",
            (),
            "https://a.example/x?Token=***&apikey=***&access_token=***&password=***&secret=***"
            "&sig=***&Signature=***&x-amz-signature=***&client_secret=***",
        ),
        ("https://user:pw@host.example:8443/p?q=1", (), "https://host.example:8443/p?q=1"),
        (
            "https://host.example/keys/SECRET123/data",
            ("SECRET123",),
            "https://host.example/keys/***/data",
        ),
        (
            "https://host.example/x?monkey=1&key_id=2&turkey=3",
            (),
            "https://host.example/x?monkey=1&key_id=2&turkey=3",
        ),
        (
            "https://host.example/x?a%20b=1&c=d+e#frag",
            (),
            "https://host.example/x?a%20b=1&c=d+e#frag",
        ),
        ("https://host.example/x?key=&q=1", (), "https://host.example/x?key=&q=1"),
        ("https://host.example/x?p=a%2Fb%3D", ("a/b=",), "https://host.example/x?p=***"),
        ("file:///tmp/sample/x.csv", (), "file:///tmp/sample/x.csv"),
        ("http://[::1/x?api_key=SECRET123", (), "http://[::1/x?api_key=***"),
    ],
)
def test_redact_url(url: str, secrets: tuple[str, ...], expected: str) -> None:
    assert redact_url(url, secrets) == expected


def _assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text, text


def test_redaction_on_success(
    server: ScriptedServer, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # urllib3's debug lines print the request path too
    server.plan("/series", Reply(503), Reply(200, b"data"))
    client = make_client()
    result = client.get(server.url("/series") + f"?api_key={SECRET}&time=2024-01")
    assert result.content == b"data"
    assert result.url == server.url("/series") + "?api_key=***&time=2024-01"
    # The server did get the real key: redaction is for our output only.
    assert all(seen.query == f"api_key={SECRET}&time=2024-01" for seen in server.seen("/series"))
    _assert_no_secret(repr(result), caplog.text, *(r.getMessage() for r in caplog.records))
    assert any("api_key=***" in r.getMessage() for r in caplog.records if r.name == "tradewh.http")
    assert any(r.name.startswith("urllib3") for r in caplog.records)


def test_redaction_on_failures(
    server: ScriptedServer, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.plan("/series", Reply(500, repeat=True))
    # The API echoes the key back in its error text.
    server.plan("/echo", Reply(400, f"error: invalid key {SECRET}".encode()))
    client = make_client(max_attempts=2, secrets=[SECRET])
    errors = [
        fetch_error(client, server.url("/series"), params={"api_key": SECRET, "time": "2024-01"}),
        fetch_error(client, server.url("/echo"), params={"key": SECRET}),
        fetch_error(client, f"http://127.0.0.1:{free_port()}/x?api_key={SECRET}"),
        fetch_error(client, f"http://127.0.0.1:{free_port()}/keys/{SECRET}/x"),
        fetch_error(client, f"http://me:{SECRET}@127.0.0.1:{free_port()}/x"),
        fetch_error(client, f"ftp://127.0.0.1/x?token={SECRET}"),
    ]
    assert [e.reason for e in errors] == [
        "http_status",
        "http_status",
        "connection",
        "connection",
        "connection",
        "bad_url",
    ]
    assert "invalid key ***" in str(errors[1])
    assert errors[0].url == server.url("/series") + "?api_key=***&time=2024-01"
    for err in errors:
        formatted = "".join(traceback.format_exception(err))
        _assert_no_secret(str(err), repr(err), err.url, formatted)
    _assert_no_secret(caplog.text, *(r.getMessage() for r in caplog.records))


def test_fetch_error_pickles() -> None:
    err = FetchError("GET x failed", url="x", reason="timeout", status=None, attempts=3)
    copy = pickle.loads(pickle.dumps(err))
    assert (str(copy), copy.url, copy.reason, copy.status, copy.attempts) == (
        "GET x failed",
        "x",
        "timeout",
        None,
        3,
    )


def test_from_settings(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradewh.settings import Settings

    monkeypatch.setenv("CENSUS_API_KEY", SECRET)
    settings = Settings(http_user_agent="tradewh-settings/9", http_max_attempts=1)
    server.plan(f"/s/{SECRET}", Reply(500, b"down"))
    with HttpClient.from_settings(settings) as client:
        err = fetch_error(client, server.url(f"/s/{SECRET}"))
    assert (err.reason, err.status, err.attempts) == ("http_status", 500, 1)
    _assert_no_secret(str(err))
    assert server.seen(f"/s/{SECRET}")[0].header("User-Agent") == "tradewh-settings/9"


# --- user agent -------------------------------------------------------------------------------


def test_user_agent_is_sent(server: ScriptedServer, make_client: MakeClient) -> None:
    server.plan("/ua", Reply(200, b"hi"))
    make_client().get(server.url("/ua"))
    assert server.seen("/ua")[0].header("User-Agent") == UA


def test_other_2xx_is_a_result(server: ScriptedServer, make_client: MakeClient) -> None:
    server.plan("/empty", Reply(204))
    result = make_client().get(server.url("/empty"))
    assert (result.status, result.content, result.not_modified) == (204, b"", False)


# --- file:// ---------------------------------------------------------------------------------


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "exports 2024.csv"
    path.write_bytes(b"period,value\n2024-01,42\n")
    return path


def test_file_url_serves_bytes_with_etag(make_client: MakeClient, sample_file: Path) -> None:
    result = make_client().get(sample_file.as_uri())
    content = sample_file.read_bytes()
    assert isinstance(result, FetchResult)
    assert result.status == 200
    assert result.content == content
    assert result.etag == f'"{hashlib.sha256(content).hexdigest()}"'
    assert result.content_type == "text/csv"
    assert result.url == sample_file.as_uri()
    modified = email.utils.parsedate_to_datetime(result.last_modified or "")
    assert abs(modified.timestamp() - sample_file.stat().st_mtime) < 1.0


def test_file_url_304_on_matching_etag(make_client: MakeClient, sample_file: Path) -> None:
    client = make_client()
    first = client.get(sample_file.as_uri())
    again = client.get(sample_file.as_uri(), etag=first.etag)
    assert again.not_modified
    assert again.content == b""
    assert again.etag == first.etag

    sample_file.write_bytes(b"period,value\n2024-01,43\n")
    changed = client.get(sample_file.as_uri(), etag=first.etag)
    assert changed.status == 200
    assert changed.etag != first.etag
    assert changed.content.endswith(b"43\n")


def test_file_url_if_modified_since(make_client: MakeClient, sample_file: Path) -> None:
    client = make_client()
    first = client.get(sample_file.as_uri())
    assert client.get(sample_file.as_uri(), last_modified=first.last_modified).not_modified
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(sample_file.as_uri(), last_modified=old).status == 200
    # ETag takes precedence: a stale ETag means a full answer whatever the date says.
    stale = client.get(sample_file.as_uri(), etag='"stale"', last_modified=first.last_modified)
    assert stale.status == 200


def test_file_url_sidecar_headers(make_client: MakeClient, sample_file: Path) -> None:
    recorded = {
        "Last-Modified": "Tue, 05 Mar 2024 13:30:00 GMT",
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Length": "999999",
        "ETag": '"recorded"',
    }
    sidecar = sample_file.with_name(sample_file.name + ".headers.json")
    sidecar.write_text(json.dumps(recorded))
    result = make_client().get(sample_file.as_uri())
    assert result.last_modified == "Tue, 05 Mar 2024 13:30:00 GMT"
    assert result.content_type == "text/csv; charset=utf-8"
    assert result.content == sample_file.read_bytes()  # recorded framing headers are ignored
    assert result.etag == f'"{hashlib.sha256(sample_file.read_bytes()).hexdigest()}"'


def test_file_url_bad_sidecar_fails(make_client: MakeClient, sample_file: Path) -> None:
    sample_file.with_name(sample_file.name + ".headers.json").write_text("[1, 2]")
    err = fetch_error(make_client(), sample_file.as_uri())
    assert err.reason == "request_error"
    assert "headers sidecar" in str(err)


def test_file_url_missing_is_404(
    make_client: MakeClient, tmp_path: Path, waits: list[float]
) -> None:
    err = fetch_error(make_client(), (tmp_path / "missing.csv").as_uri())
    assert err.reason == "http_status"
    assert err.status == 404
    assert err.attempts == 1
    assert waits == []


def test_file_url_respects_max_bytes(make_client: MakeClient, tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"\1" * 5000)
    err = fetch_error(make_client(max_bytes=4096), path.as_uri())
    assert err.reason == "too_large"
    assert make_client(max_bytes=5000).get(path.as_uri()).content == b"\1" * 5000
