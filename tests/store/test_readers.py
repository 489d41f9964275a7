"""Readers beside the writer, in separate processes as analysts have them: one holds an open
transaction with a long query running for the whole refresh, another asks 100 questions while
the refresh publishes. The refresh finishes while the first still holds its transaction (it
never waited for a reader), and every answer is a state between publishes, never a mix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.crash.harness import PROJECT, run_refresh
from tradewh.settings import Settings
from tradewh.store import lake

pytestmark = pytest.mark.usefixtures("prefect_harness")

# Published rows and the ledger that counts them are one transaction: a reader that sees the
# rows of a vintage sees its ledger row too.
CONSISTENT = (
    "SELECT (SELECT count(*) FROM core.observations), "
    "(SELECT coalesce(sum(rows_published), 0) FROM ops.loads WHERE dataset <> 'news_articles')"
)
LONG_QUERY = "SELECT count(*) FROM range(400000000) AS a(x) WHERE x % 7 = 3"

HOLDER = """
import json, sys, time, tradewh
from pathlib import Path
con = tradewh.connect()
con.execute("BEGIN TRANSACTION")
first = con.execute({consistent!r}).fetchone()
Path(sys.argv[1]).write_text("open")
while not Path(sys.argv[2]).exists():
    con.execute({long!r}).fetchone()
same = con.execute({consistent!r}).fetchone()
con.execute("COMMIT")
after = con.execute({consistent!r}).fetchone()
print(json.dumps([first, same, after]))
"""

ASKER = """
import json, sys, time, tradewh
answers, errors = [], []
con = tradewh.connect()  # each query is a transaction of its own: the newest snapshot
for _ in range(100):
    try:
        answers.append(list(con.execute({consistent!r}).fetchone()))
    except Exception as exc:
        errors.append(repr(exc))
    time.sleep(0.25)
print(json.dumps({{"answers": answers, "errors": errors}}))
"""


def _env(root: Path) -> dict[str, str]:
    from prefect.settings import get_current_settings

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWH_")}
    env.update(
        {
            "TRADEWH_DATA_DIR": str(root),
            "TRADEWH_LANDING_DIR": str(root / "landing"),
            "TRADEWH_PROFILE": "sample",
            "TRADEWH_FETCH_TASK_RETRIES": "0",
            "PREFECT_API_URL": str(get_current_settings().api.url),
        }
    )
    return env


def _python(code: str, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.1)


@pytest.fixture
def empty_warehouse(tmp_path: Path) -> dict[str, str]:
    """A migrated warehouse with nothing published: the refresh publishes everything."""
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "tradewh.cli", "migrate"], env=env, cwd=PROJECT, check=True
    )
    return env


def _check(answers: list[list[int]], final: list[int]) -> None:
    assert answers, "no reader answered"
    for rows, ledger in answers:
        assert rows == ledger, f"a reader saw {rows} rows against a ledger of {ledger}"
    assert [a[0] for a in answers] == sorted(a[0] for a in answers)  # never back in time
    assert answers[-1][0] <= final[0]


# A whole nightly refresh beside readers (~40 s): make test-slow, to keep CI under 15 minutes;
# tests/test_operations.py keeps a reader beside publishes in the quick suite.
@pytest.mark.slow
def test_python_readers_beside_the_nightly_refresh(
    empty_warehouse: dict[str, str], tmp_path: Path
) -> None:
    env = empty_warehouse
    opened, stop = tmp_path / "opened", tmp_path / "stop"
    code = HOLDER.format(consistent=CONSISTENT, long=LONG_QUERY)
    holder = _python(code, env, str(opened), str(stop))
    _wait_for(opened, holder)
    asker = _python(ASKER.format(consistent=CONSISTENT), env)
    refresh = run_refresh(env)
    assert holder.poll() is None, "the holder's transaction ended before the refresh did"
    stop.touch()
    held, held_err = holder.communicate(timeout=300)
    asked, asked_err = asker.communicate(timeout=300)
    assert refresh.returncode == 0, refresh.output[-3000:]
    assert "waiting" not in refresh.output.lower()
    assert holder.returncode == 0, held_err
    first, same, after = json.loads(held.strip().splitlines()[-1])
    assert first == same == [0, 0]  # its snapshot, all along
    assert after[0] > 0 and after[0] == after[1]
    result = json.loads(asked.strip().splitlines()[-1])
    assert result["errors"] == [], result["errors"][:3]
    assert len(result["answers"]) == 100
    _check(result["answers"], after)
    # Some of the 100 answers fell during the refresh: more than one state was seen.
    assert len({tuple(a) for a in result["answers"]}) > 1


@pytest.mark.slow  # the same as the Python readers' test, with another client: test-slow
def test_the_duckdb_cli_as_a_reader_beside_the_refresh(
    empty_warehouse: dict[str, str], tmp_path: Path
) -> None:
    env = empty_warehouse
    settings = Settings(data_dir=tmp_path, landing_dir=tmp_path / "landing")
    setup = (
        f"SET extension_directory = '{lake.extension_dir(settings)}'; "
        f"{lake.attach_sql(settings, read_only=True)}; USE {lake.CATALOG_NAME};"
    )
    cli = Path(sys.executable).parent / "duckdb"
    reader = subprocess.Popen(
        [str(cli), "-csv", "-noheader"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert reader.stdin is not None
    reader.stdin.write(f"{setup}\nBEGIN TRANSACTION;\n{CONSISTENT};\n{LONG_QUERY};\n")
    reader.stdin.flush()
    refresh = run_refresh(env)
    assert reader.poll() is None, reader.communicate()
    reader.stdin.write(f"{CONSISTENT};\nCOMMIT;\n{CONSISTENT};\n.quit\n")
    out, errors = reader.communicate(timeout=300)
    assert refresh.returncode == 0, refresh.output[-3000:]
    assert reader.returncode == 0 and not errors.strip(), errors
    lines = [line for line in out.splitlines() if "," in line]
    first, same, after = ([int(x) for x in line.split(",")] for line in lines[-3:])
    assert first == same == [0, 0]
    assert after[0] > 0 and after[0] == after[1]
