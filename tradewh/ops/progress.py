"""What a long command is doing now: a live status line on a terminal, plain lines otherwise
(cron, CI, a log file), and always a log record."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console

log = logging.getLogger("tradewh.ops.progress")
_listener: Callable[[str], None] | None = None


def step(message: str) -> None:
    log.info(message)
    if _listener is not None:
        _listener(message)


@contextmanager
def shown(console: Console) -> Iterator[None]:
    """Show the steps of what runs inside on this console."""
    global _listener
    try:
        if console.is_terminal:
            with console.status("starting") as status:
                _listener = status.update
                yield
        else:
            _listener = lambda message: console.print(message, highlight=False)  # noqa: E731
            yield
    finally:
        _listener = None
