"""Checks of what a user typed, made before any work starts: each failure is one line saying
what is wrong and what to write instead (the CLI prints it and exits 2, like a usage error).

Why before: a mistake found after ten minutes of fetching, or as a traceback from deep inside
a parser, costs the user the time and tells them nothing.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

# The one way a month (a period) is written everywhere: YYYY-MM, or a day of it as YYYY-MM-DD.
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
MONTH_FORMAT = "YYYY-MM (or YYYY-MM-DD)"


class BadArgument(Exception):
    """A user's argument that cannot be used; the message is the one line they see."""


def month(text: str, what: str) -> date:
    """The first day of the month `text` names (YYYY-MM or YYYY-MM-DD)."""
    return day(text, what).replace(day=1)


def day(text: str, what: str) -> date:
    """The date `text` names: YYYY-MM-DD, or YYYY-MM for its first day."""
    match = _MONTH.match(text.strip())
    if match:
        year, mon, dd = match.groups()
        try:
            return date(int(year), int(mon), int(dd or 1))
        except ValueError:
            pass
    raise BadArgument(f"{what} {text!r} is not a date: write {MONTH_FORMAT}, e.g. 2019-03")


def month_range(
    start: str, end: str, first: str = "--from", last: str = "--to"
) -> tuple[date, date]:
    """Both ends of a range of months, the first not after the last."""
    low, high = month(start, first), month(end, last)
    if low > high:
        raise BadArgument(f"{first} {start} is after {last} {end}: the range is empty")
    return low, high


def known(names: Iterable[str], allowed: Iterable[str], what: str) -> list[str]:
    """The names, each one of `allowed` (e.g. sources in the registry)."""
    allowed = sorted(allowed)
    names = list(names)
    unknown = [n for n in names if n not in allowed]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise BadArgument(
            f"unknown {what}{plural} {', '.join(map(repr, unknown))} (known: {', '.join(allowed)})"
        )
    return names


def text_input(name: str, what: str = "file") -> str:
    """The text of a file, or of stdin for `-`: refused when missing, a directory, unreadable or
    not UTF-8 (a tool reading Latin-1 as UTF-8 would silently misread it)."""
    if name == "-":
        data = sys.stdin.buffer.read()
        label = "stdin"
    else:
        path = Path(name)
        if not path.exists():
            raise BadArgument(f"no {what} {name} (looked in {path.absolute().parent})")
        if path.is_dir():
            raise BadArgument(f"{name} is a directory; give a {what}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise BadArgument(f"cannot read {name}: {exc.strerror}") from None
        label = name
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadArgument(
            f"{label} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None


def output_file(path: Path, option: str = "--output") -> Path:
    """A file that can be written: its directory exists and it is not a directory itself."""
    parent = path.absolute().parent
    if path.is_dir():
        raise BadArgument(f"{option} {path} is a directory; give a file name")
    if not parent.is_dir():
        raise BadArgument(f"{option} {path}: no directory {parent} (create it first)")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadArgument(f"{option} {path}: not allowed to write there")
    return path


def output_dir(path: Path, option: str = "--dir") -> Path:
    """A directory that exists or can be created, and can be written."""
    if path.exists() and not path.is_dir():
        raise BadArgument(f"{option} {path} is a file, not a directory")
    existing = path.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        raise BadArgument(f"{option} {path}: not allowed to write in {existing}")
    return path
