"""Tests that keep the README honest."""

from __future__ import annotations

import re
from pathlib import Path

from tradewh.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def readme_queries() -> list[str]:
    """The SQL of every `tradewh sql "..."` example in the README's shell blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)
    return [query for block in blocks for query in re.findall(r'tradewh sql "([^"]+)"', block)]


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["make run", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    assert "TRADEWH_REQUIRE_REFERENCE=1" in ci


def test_every_setting_is_documented() -> None:
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names = alias.choices if alias is not None else [f"TRADEWH_{name.upper()}"]
        assert any(f"`{n}`" in README for n in names), f"setting {name} is not in the README"


def test_readme_has_queries_to_run() -> None:
    assert len(readme_queries()) >= 2
