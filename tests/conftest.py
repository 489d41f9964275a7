"""Shared fixtures. Prefect's environment is set before anything imports prefect."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="tradewh-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.pop("PREFECT_API_URL", None)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")

from tradewh.settings import Settings  # noqa: E402

REFERENCE = Path(
    os.environ.get("TRADEWH_REFERENCE_DIR")
    or Path(__file__).resolve().parents[1].parent / "shared" / "reference"
)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """../shared/reference: skipped where absent, a failure where CI requires it."""
    if not REFERENCE.is_dir():
        if os.environ.get("TRADEWH_REQUIRE_REFERENCE") == "1":
            pytest.fail(f"TRADEWH_REQUIRE_REFERENCE=1 but {REFERENCE} is missing")
        pytest.skip(f"reference files not present at {REFERENCE}")
    return REFERENCE


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings on a fresh warehouse in a temporary directory, also exported to the environment
    so code that reads get_settings() (the flow's tasks) sees the same."""
    values = {
        "TRADEWH_DATA_DIR": str(tmp_path / "data"),
        "TRADEWH_LANDING_DIR": str(tmp_path / "landing"),
        "TRADEWH_PROFILE": "sample",
        "TRADEWH_HTTP_MAX_ATTEMPTS": "2",
        "TRADEWH_HTTP_BACKOFF_BASE": "0.01",
        "TRADEWH_FETCH_TASK_RETRIES": "1",
        "TRADEWH_FETCH_TASK_RETRY_DELAY": "0",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    for key in ("TRADEWH_SAMPLE_DIR", "CENSUS_API_KEY", "FRED_API_KEY", "TRADEWH_ALERT_URLS"):
        monkeypatch.delenv(key, raising=False)
    return Settings()


def build_fixture_warehouse(settings: Settings) -> Settings:
    """A small warehouse built from SQL text (tests/fixtures/warehouse.sql says what it holds)."""
    from tradewh import warehouse

    with warehouse.writer(settings) as con:
        warehouse.migrate(con, settings.sql_dir)
        con.execute((Path(__file__).parent / "fixtures" / "warehouse.sql").read_text())
        warehouse.rebuild_views(con, settings.sql_dir)
    return settings


@pytest.fixture
def fixture_warehouse(settings: Settings) -> Settings:
    """A small warehouse built from SQL text (tests/fixtures/warehouse.sql says what it holds),
    a copy of one built once per session."""
    from tests.warehouses import from_template

    return from_template("fixture", build_fixture_warehouse, settings)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for the whole session (starting one costs seconds)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield


def _sample_env(root: Path) -> dict[str, str]:
    return {
        "TRADEWH_DATA_DIR": str(root),
        "TRADEWH_LANDING_DIR": str(root / "landing"),
        "TRADEWH_PROFILE": "sample",
    }


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive loaded once as the nightly flow loads it, without Prefect (its
    temporary server costs more than the load). Shared by the analyst CLI tests, the README's
    examples, the lake's and the rebuild's tests: they read it and write nothing of their own
    into it."""
    from tests.warehouses import load_sample

    root = tmp_path_factory.mktemp("sample")
    with pytest.MonkeyPatch.context() as env:
        for key, value in _sample_env(root).items():
            env.setenv(key, value)
        for key in ("TRADEWH_SAMPLE_DIR", "TRADEWH_SOURCES", "TRADEWH_CATALOG"):
            env.delenv(key, raising=False)
        load_sample(Settings())
    return root


@pytest.fixture
def sample(sample_root: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings (and the environment) on the loaded sample warehouse, for this test only."""
    for key, value in _sample_env(sample_root).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("TRADEWH_SAMPLE_DIR", raising=False)
    monkeypatch.delenv("TRADEWH_SOURCES", raising=False)
    return Settings()


@pytest.fixture(autouse=True)
def _no_run_left_over() -> Iterator[None]:
    """The run a flow records is process state (commit labels name it): no test inherits the
    last one's."""
    from tradewh.store import connections

    connections.current_run["run_id"] = None
    yield
    connections.current_run["run_id"] = None
