"""A scripted HTTP server on 127.0.0.1 for tests of real HTTP behaviour (no mocking).

Each path has a queue of planned replies, answered in order; a reply marked ``repeat`` keeps
answering once reached. Every request is recorded with its headers. Replies can be delayed,
truncated, sent chunked, cut off by a TCP reset, or trickled a byte at a time (headers or body).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before answering: longer than the client's read timeout makes it time out.
    delay: float = 0.0
    # Announce this Content-Length instead of len(body): larger than the body truncates it.
    content_length: int | None = None
    # Send the body with Transfer-Encoding: chunked and no Content-Length.
    chunked: bool = False
    # Send no Content-Length at all: the body ends when the connection closes.
    omit_length: bool = False
    # "before": reset the connection instead of answering; "mid_body": after half the body.
    reset: Literal["before", "mid_body"] | None = None
    # Seconds to keep the connection open after the (possibly short) body, before closing it.
    hold: float = 0.0
    # Keep answering with this reply once the queue reaches it.
    repeat: bool = False
    # Send the status line and headers, or the body, one byte every `trickle_interval` seconds
    # (each byte well within any read timeout) for `trickle_for` seconds, then the rest at once.
    # Trickled headers are padded so that there are enough bytes to last.
    trickle: Literal["headers", "body"] | None = None
    trickle_for: float = 5.0
    trickle_interval: float = 0.05


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-cased names
    at: float = 0.0  # time.monotonic() when it arrived

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self.server.script.answer(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    script: ScriptedServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that time out or are reset leave broken pipes behind; that is the point.
        pass


def _trickle(handler: BaseHTTPRequestHandler, data: bytes, reply: Reply) -> None:
    """Write data a byte at a time for reply.trickle_for seconds, then the rest; stops quietly
    when the client has gone."""
    stop = time.monotonic() + reply.trickle_for
    sent = 0
    try:
        while sent < len(data) and time.monotonic() < stop:
            handler.wfile.write(data[sent : sent + 1])
            handler.wfile.flush()
            sent += 1
            time.sleep(reply.trickle_interval)
        handler.wfile.write(data[sent:])
        handler.wfile.flush()
    except OSError:
        handler.close_connection = True


def _head(reply: Reply, length: int | None) -> bytes:
    """Status line and headers as _Handler would send them, for a reply written by hand."""
    lines = [f"HTTP/1.1 {reply.status} {HTTPStatus(reply.status).phrase}"]
    lines += [f"{name}: {value}" for name, value in reply.headers.items()]
    if reply.trickle == "headers":
        # Enough bytes to trickle for the whole time, and then some.
        pad = int(reply.trickle_for / max(reply.trickle_interval, 0.001)) + 1
        lines.append("X-Padding: " + "." * pad)
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _reset(handler: BaseHTTPRequestHandler) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0), not a clean FIN."""
    conn = handler.connection
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    # rfile holds a reference on the socket; the real close (and the RST) needs it gone.
    handler.rfile.close()
    conn.close()
    handler.close_connection = True


class ScriptedServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plans: dict[str, deque[Reply]] = {}
        # Paths answered by a function of the query string (a server of many resources).
        self._routes: dict[str, Callable[[str], Reply]] = {}
        self.requests: list[Seen] = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.script = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        with self._lock:
            self._plans.clear()
            self.requests.clear()

    def plan(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._plans.setdefault(path, deque()).extend(replies)

    def route(self, path: str, reply: Callable[[str], Reply]) -> None:
        """Answer every request for `path` with reply(query string), before any plan."""
        with self._lock:
            self._routes[path] = reply

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _next(self, path: str, query: str = "") -> Reply | None:
        with self._lock:
            if path in self._routes:
                return self._routes[path](query)
            queue = self._plans.get(path)
            if not queue:
                return None
            if len(queue) == 1 and queue[0].repeat:
                return queue[0]
            return queue.popleft()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        seen = Seen(
            method=handler.command,
            path=split.path,
            query=split.query,
            headers={k.lower(): v for k, v in handler.headers.items()},
            at=time.monotonic(),
        )
        with self._lock:
            self.requests.append(seen)
        planned = self._next(split.path, split.query)
        reply = planned or Reply(418, f"no reply planned for {split.path}".encode())
        if reply.delay:
            time.sleep(reply.delay)
        if reply.reset == "before":
            _reset(handler)
            return
        if reply.trickle:
            _send_trickled(handler, reply)
            return
        _send(handler, reply)


@contextmanager
def scripted_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _send_trickled(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    handler.close_connection = True
    length = None if reply.omit_length else len(reply.body)
    if length is not None and reply.content_length is not None:
        length = reply.content_length
    head = _head(reply, length)
    if reply.trickle == "headers":
        _trickle(handler, head + reply.body, reply)
    else:
        handler.wfile.write(head)
        _trickle(handler, reply.body, reply)


def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    handler.send_response(reply.status)
    for name, value in reply.headers.items():
        handler.send_header(name, value)
    handler.send_header("Connection", "close")
    handler.close_connection = True
    if reply.status in (204, 304):
        handler.end_headers()
        return
    if reply.chunked:
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for start in range(0, len(reply.body), 16 * 1024):
            piece = reply.body[start : start + 16 * 1024]
            handler.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")
        return
    if not reply.omit_length:
        length = len(reply.body) if reply.content_length is None else reply.content_length
        handler.send_header("Content-Length", str(length))
    handler.end_headers()
    if reply.reset == "mid_body":
        handler.wfile.write(reply.body[: len(reply.body) // 2])
        handler.wfile.flush()
        time.sleep(0.05)  # let the client get the headers before the reset
        _reset(handler)
        return
    handler.wfile.write(reply.body)
    if reply.hold:
        handler.wfile.flush()
        time.sleep(reply.hold)
