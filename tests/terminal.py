"""The real `tradewh` command in a real terminal (a pseudo-terminal of a given width), for what
only happens at a terminal: Ctrl-C, the prompt, completion, tables fitted to the width."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

TRADEWH = Path(sys.executable).parent / "tradewh"
CTRL_C = b"\x03"


class Terminal:
    """`tradewh ARGS` running in a pseudo-terminal `columns` wide; the screen as bytes."""

    def __init__(self, *args: str, columns: int = 80, env: dict[str, str] | None = None) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes tradewh, its stdin/stdout/stderr the terminal
            os.execve(str(TRADEWH), [str(TRADEWH), *args], {**os.environ, **(env or {})})
        # The size is set on the parent's side; the child reads it when it asks.
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        self.screen = b""

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait_for(self, text: bytes, seconds: float) -> bool:
        """Read until `text` appears in what was written since the last wait_for, or the time
        is up (False)."""
        start = len(self.screen)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.02)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the child has gone: nothing more will come
                break
            if not chunk:
                break
            self.screen += chunk
            if text in self.screen[start:]:
                return True
        return text in self.screen[start:]

    def exit_code(self, seconds: float = 10) -> int:
        """The command's exit code, waiting for it to end (reading its last output meanwhile)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.wait_for(b"\x00never", 0.1)
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            self.wait_for(b"\x00never", 0.05)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)
        raise AssertionError(f"still running after {seconds} s; screen: {self.text()!r}")

    def text(self) -> str:
        return self.screen.decode("utf-8", "replace").replace("\r\n", "\n")
