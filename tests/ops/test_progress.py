"""Long commands say what they are doing: plain lines when not on a terminal."""

from __future__ import annotations

import io

from rich.console import Console

from tradewh.ops import progress


def test_plain_lines_off_a_terminal_and_nothing_after() -> None:
    out = io.StringIO()
    with progress.shown(Console(file=out, force_terminal=False)):
        progress.step("census_country: fetching")
        progress.step("rebuilding the views")
    progress.step("after: only logged")
    assert out.getvalue().splitlines() == ["census_country: fetching", "rebuilding the views"]


def test_a_live_status_on_a_terminal() -> None:
    out = io.StringIO()
    with progress.shown(Console(file=out, force_terminal=True, width=80)):
        progress.step("ft900: fetching")
    assert "ft900: fetching" in out.getvalue()
