"""A boxed text table that fits a width, the way the duckdb CLI fits one to the terminal: text
columns are shortened (cut with an ellipsis) first, and when that is not enough, columns from
the middle are left out and a `…` column stands for them. Numbers are never cut: a number
with its last digits missing would be read as another number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

ELLIPSIS = "…"
# A text column is not shortened below this: "partner_na…" still says what it holds.
MIN_TEXT_WIDTH = 10
BOLD, RESET = "\x1b[1m", "\x1b[0m"


@dataclass(frozen=True)
class Layout:
    shown: list[int]  # indexes of the columns shown, in order
    widths: dict[int, int]  # width of each column shown
    gap_after: int | None  # a `…` column after this index stands for the columns left out


def _cut(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) + 1 > width:
        text = text[:-1]
    return text + ELLIPSIS


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - cell_len(text))
    return space + text if right else text + space


def _total(widths: Sequence[int], gap: bool) -> int:
    # "│ a │ b │": three characters per column plus the last border; the gap column is "│ … ".
    return sum(widths) + 3 * len(widths) + 1 + (4 if gap else 0)


def layout(natural: Sequence[int], numeric: Sequence[bool], width: int | None) -> Layout:
    """Which columns to show and how wide, to fit `width` (None: as wide as the data)."""
    widths = dict(enumerate(natural))
    shown = list(range(len(natural)))
    if width is None or _total(natural, False) <= width:
        return Layout(shown, widths, None)
    # 1. Shorten the widest text column, one character at a time, down to MIN_TEXT_WIDTH.
    while _total(list(widths.values()), False) > width:
        text = [i for i in shown if not numeric[i] and widths[i] > MIN_TEXT_WIDTH]
        if not text:
            break
        widest = max(text, key=lambda i: widths[i])
        widths[widest] -= 1
    if _total(list(widths.values()), False) <= width:
        return Layout(shown, widths, None)
    # 2. Leave out columns from the middle until the rest fits (at least one is shown).
    while len(shown) > 1 and _total([widths[i] for i in shown], True) > width:
        shown.pop(len(shown) // 2)
    first_left_out = min(set(range(len(natural))) - set(shown))
    gap_after = max(i for i in shown if i < first_left_out)  # column 0 is never left out
    return Layout(shown, {i: widths[i] for i in shown}, gap_after)


def box(
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    width: int | None = None,
    colour: bool = False,
) -> tuple[str, int]:
    """The table's lines (ending in a newline) and how many columns were left out."""
    natural = [
        max([cell_len(name), *(cell_len(row[i]) for row in cells)])
        for i, name in enumerate(columns)
    ]
    plan = layout(natural, numeric, width)

    def line(values: Sequence[str], header: bool = False) -> str:
        parts = []
        for i in plan.shown:
            text = _pad(_cut(values[i], plan.widths[i]), plan.widths[i], numeric[i])
            parts.append(f"{BOLD}{text}{RESET}" if header and colour else text)
            if i == plan.gap_after:
                parts.append(ELLIPSIS)
        return "│ " + " │ ".join(parts) + " │"

    def rule(left: str, middle: str, right: str) -> str:
        spans = []
        for i in plan.shown:
            spans.append("─" * (plan.widths[i] + 2))
            if i == plan.gap_after:
                spans.append("─" * 3)
        return left + middle.join(spans) + right

    lines = [rule("┌", "┬", "┐"), line(columns, header=True), rule("├", "┼", "┤")]
    lines += [line(row) for row in cells]
    lines.append(rule("└", "┴", "┘"))
    return "\n".join(lines) + "\n", len(columns) - len(plan.shown)
