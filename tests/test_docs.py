"""Tests that keep the README honest."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewh.cli import app
from tradewh.settings import Settings
from tradewh.sources import get_source, registry

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def readme_queries() -> list[str]:
    """The SQL of every `tradewh sql "..."` example in the README's shell blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)
    return [query for block in blocks for query in re.findall(r'tradewh sql "([^"]+)"', block)]


def readme_examples() -> list[tuple[list[str], str]]:
    """Each README command shown with its output: a ```sh block of one `tradewh` command
    followed at once by a plain ``` block, as (the command's arguments, the output)."""
    block = r"((?:(?!```).)*)"  # a fenced block's text
    pairs = re.findall(rf"```sh\n{block}```\n```\n{block}```", README, flags=re.DOTALL)
    examples = []
    for command, output in pairs:
        argv = shlex.split(command.replace(".venv/bin/", ""))
        if argv[:1] == ["tradewh"]:
            examples.append((argv[1:], output))
    return examples


def abridged(shown: str) -> re.Pattern[str]:
    """A README output with parts left out as a pattern: `...` stands for what was left out
    (a line of its own: any lines; within a line: any text), and durations vary."""
    parts = []
    for line in shown.splitlines():
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        pattern = ".*?".join(re.escape(piece) for piece in line.split("..."))
        parts.append(re.sub(r"\d+\\.\d\\ s\b", r"[\\d.]+\\ s", pattern) + r"\n")
    return re.compile("".join(parts))


def readme_output_after(text: str) -> str:
    """The README's output block following the paragraph ending in `text`."""
    return README.split(text, 1)[1].split("```\n", 2)[1]


def test_readme_examples_print_what_the_readme_shows(sample: Settings) -> None:
    examples = readme_examples()
    assert len(examples) >= 8
    for argv, shown in examples:
        result = CliRunner().invoke(app, argv)
        assert result.exit_code == 0, result.output
        assert result.stdout == shown, f"tradewh {shlex.join(argv)}\n{result.stdout}"


def test_abridged_outputs_leave_out_only_what_the_dots_stand_for() -> None:
    shown = "run: OK in 22.3 s\n  a: 3 fetched, ...; 5 rows\n    ...\n  views: 15\n"
    assert abridged(shown).fullmatch(
        "run: OK in 4.1 s\n  a: 3 fetched, 0 x; 5 rows\n    v1\n    v2\n  views: 15\n"
    )
    assert not abridged(shown).fullmatch(
        "run: OK in 4.1 s\n  a: 3 fetched, 0 x; 5 rows\n  views: 13\n"
    )
    assert not abridged(shown).fullmatch(
        "run: OK in 4.1 s\n  a: 4 fetched, 0 x; 5 rows\n  views: 15\n"
    )


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


@pytest.mark.parametrize(
    ("source", "dataset"),
    [(s.name, d) for s in registry().values() for d in s.all_datasets()],
)
def test_each_suite_names_the_frame_it_validates(source: str, dataset: str) -> None:
    """A suite's description says which audit SQL builds the frame it checks: the one the
    pipeline runs for its dataset (Source.audit)."""
    spec = get_source(source)
    suite = json.loads((Settings().expectations_dir / f"{dataset}.json").read_text())
    frame = f"sql/pipeline/{spec.staging}/{spec.audit(dataset)}.sql"
    assert (Settings().sql_dir.parent / frame).is_file()
    assert f"Validated frame: {frame}." in suite["meta"]["description"]
