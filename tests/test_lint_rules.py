"""The lint rule that keeps every fetch in tradewh.http really bites."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("path", "code", "banned"),
    [
        ("tradewh/sources/new_source.py", "import requests\nrequests.get('https://x')\n", True),
        ("flows/other.py", "from requests import get\n", True),
        ("tradewh/sources/new_source.py", "import urllib.request\n", True),
        ("tradewh/http/client.py", "import requests\n", False),
        ("tradewh/sources/new_source.py", "from tradewh.http import HttpClient\n", False),
    ],
)
def test_raw_http_is_banned_outside_the_helper(path: str, code: str, banned: bool) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--select",
            "TID251",
            "--stdin-filename",
            path,
            "-",
        ],
        input=code,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert ("TID251" in result.stdout) is banned, result.stdout


MISSING_PARSE = """
from tradewh.sources.spec import Source


def requests(settings, newest_period=None):
    return []


SOURCE = Source(
    name="new_source", dataset="new_source", staging="observations", suffix=".json",
    precedence=4, requests=requests,
)
"""

WRONG_PARSE = MISSING_PARSE.replace(
    "precedence=4, requests=requests,", "precedence=4, requests=requests, parse=lambda: None,"
)


@pytest.mark.parametrize(
    ("code", "complaint"),
    [
        (MISSING_PARSE, 'Missing named argument "parse"'),
        (WRONG_PARSE, 'Argument "parse" to "Source" has incompatible type'),
    ],
)
def test_a_source_without_its_hooks_fails_the_type_check(
    tmp_path: Path, code: str, complaint: str
) -> None:
    """make lint runs mypy on the source specs: a new source missing `parse`, or with a parse of
    the wrong shape, is refused before it ever runs."""
    module = tmp_path / "new_source.py"
    module.write_text(code)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", str(module)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1, result.stdout
    assert complaint in result.stdout, result.stdout


def test_the_sources_pass_the_type_check() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout
