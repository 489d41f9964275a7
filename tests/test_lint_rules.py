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
