"""Option types in `--help` as people read them: `FILE`, `N`, `table|csv`, nothing for a flag.

Typer 0.29 prints Python annotations (`<bool>`, `<str>`, `<list[str]>`, `<float range>`), which
say nothing to someone who does not read Python. An option's own metavar wins; otherwise the
type is named plainly here, for every command at once.
"""

from __future__ import annotations

from typing import Any

import typer.core

_PLAIN = {"int": "INTEGER", "float": "NUMBER", "str": "TEXT", "Path": "PATH"}


def plain_type(param: Any) -> str | None:
    """The type shown for a typer option or argument in --help (None: nothing, for a flag)."""
    # An argument's metavar is already its name in the first column; show its type beside it.
    if param.metavar is not None and not isinstance(param, typer.core.TyperArgument):
        return param.metavar
    if getattr(param, "is_flag", False):
        return None
    desc = param.type_descriptor
    if desc.is_choice:
        label = "|".join(str(getattr(c, "value", c)) for c in desc.choices)
    elif desc.is_path:
        label = "PATH"
    else:
        bare = param.bare_type()
        label = _PLAIN.get(bare.removeprefix("list[").removesuffix("]"), bare.upper())
    return label + ("..." if getattr(param, "multiple", False) else "")


def _display_type_rich(self: Any, ctx: Any) -> str | None:
    return plain_type(self)


def install() -> None:
    """Use plain_type for every option and argument of every typer command."""
    typer.core.TyperOption.display_type_rich = _display_type_rich  # type: ignore[method-assign]
    typer.core.TyperArgument.display_type_rich = _display_type_rich  # type: ignore[method-assign]
