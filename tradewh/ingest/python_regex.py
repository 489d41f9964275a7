"""A Python regular expression rewritten for RE2 (DuckDB's regexp_matches), when the two
engines agree on it.

Great Expectations on pandas matches with `str.contains`: pandas hands the pattern as written
to pyarrow's RE2, or to Python's `re` where it knows the two differ. So only a pattern both
engines read alike is translated: Python's parser reads it, and it is written back node by node
in an RE2 spelling whose meaning depends on neither engine's flags (literals as `\\x{..}`, `.`
as "not a newline", `^` as `\\A`). Refused, for GX to judge: text RE2 reads otherwise
(`a{,3}` is a repeat in Python, literal text in RE2; `[[:alpha:]]` a class in RE2 only; inline
flags), classes whose meaning differs (\\d \\w \\s \\b: Unicode in Python, ASCII in RE2),
what RE2 lacks (look-arounds, back references).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

try:  # Python's own regex parser (what re.compile uses); private, so guarded
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - another Python: nothing is translated
    _parser = None  # type: ignore[assignment]


# Python-valid text RE2 reads differently: `{,n}`, POSIX classes, inline flags and named groups.
_READ_DIFFERENTLY = re.compile(r"\{,|\[[:=.]|\(\?(?!:)")


class _Untranslatable(Exception):
    pass


@dataclass(frozen=True)
class Re2Pattern:
    pattern: str
    # Python's `$` also matches before a final newline, RE2's `\z` only at the very end: the
    # two agree on every value that does not end with a newline (the caller checks).
    ends_at_newline_differs: bool


def to_re2(pattern: str) -> Re2Pattern | None:
    """The RE2 pattern matching exactly where `re.search(pattern, ...)` does, or None."""
    if _parser is None or not isinstance(pattern, str) or _READ_DIFFERENTLY.search(pattern):
        return None
    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags & ~re.UNICODE:  # (?i), (?s), (?m), (?x)...
            return None
        writer = _Writer()
        return Re2Pattern(writer.sequence(parsed.data), writer.dollar)
    except (re.error, _Untranslatable, RecursionError):
        return None


def _char(code: int) -> str:
    return f"\\x{{{code:x}}}"


class _Writer:
    def __init__(self) -> None:
        self.dollar = False

    def sequence(self, nodes: Any) -> str:
        return "".join(self.node(op, arg) for op, arg in nodes)

    def node(self, op: Any, arg: Any) -> str:  # noqa: C901 - one case per node kind
        if op is _c.LITERAL:
            return _char(arg)
        if op is _c.NOT_LITERAL:
            return "[^" + _char(arg) + "]"
        if op is _c.ANY:  # no DOTALL flag: anything but a newline
            return "[^\\x{a}]"
        if op is _c.IN:
            return self.charset(arg)
        if op is _c.BRANCH:
            return "(?:" + "|".join(self.sequence(a) for a in arg[1]) + ")"
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, nodes = arg
            if add_flags or del_flags:
                raise _Untranslatable
            return "(?:" + self.sequence(nodes) + ")"
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, nodes = arg
            bound = f"{{{low},}}" if high is _c.MAXREPEAT else f"{{{low},{high}}}"
            lazy = "?" if op is _c.MIN_REPEAT else ""
            return "(?:" + self.sequence(nodes) + ")" + bound + lazy
        if op is _c.AT:
            if arg in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING):
                return "\\A"
            if arg is _c.AT_END_STRING:  # Python's \Z: the very end
                return "\\z"
            if arg is _c.AT_END:
                self.dollar = True
                return "\\z"
        raise _Untranslatable  # categories, look-arounds, back references, boundaries...

    def charset(self, items: Any) -> str:
        out = "["
        for op, arg in items:
            if op is _c.NEGATE and out == "[":
                out += "^"
            elif op is _c.LITERAL:
                out += _char(arg)
            elif op is _c.RANGE:
                out += _char(arg[0]) + "-" + _char(arg[1])
            else:
                raise _Untranslatable
        return out + "]"
