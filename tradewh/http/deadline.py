"""A deadline for each attempt as a whole, enforced on its sockets."""

from __future__ import annotations

import socket
import threading
from typing import Any

import urllib3
from requests.adapters import HTTPAdapter

# that trickles a byte at a time (headers or body) never trips it and would hold a fetch (and the
# night's run) for as long as it likes. Each attempt therefore has deadlines of its own, enforced
# by shutting its sockets down from a timer thread, which ends the blocked read at once.

current = threading.local()


def _shutdown(sock: socket.socket) -> None:
    try:
        # The plain socket's shutdown, also for an SSL socket: it only closes the descriptor's
        # directions and leaves the SSL object alone for the thread that is reading.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


class Deadline:
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
        deadline: Deadline | None = getattr(current, "deadline", None)
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


class WatchedAdapter(HTTPAdapter):
    """requests' adapter, with connections that report to the attempt's deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = _POOLS
        return manager
