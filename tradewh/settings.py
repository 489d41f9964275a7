"""One Settings object from the environment (prefix ``TRADEWH_``; API keys by their usual names).

Secrets are ``SecretStr``: they never print in a repr, a log line or a summary.
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
# sql/, expectations/ and flows/ sit beside the package in the checkout the project runs from
# (installed editable by `make`); TRADEWH_PROJECT_ROOT points elsewhere if needed.
DEFAULT_PROJECT_ROOT = PACKAGE_DIR.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRADEWH_", extra="ignore", frozen=True)

    # Local state of this deployment: the writer lock (SQLite catalog), the report, the
    # validation page, exports, DuckDB's spill directory; and the defaults of the two below.
    data_dir: Path = Path("data")
    # The DuckLake catalog: "sqlite:PATH" (embedded, the default: data/catalog.sqlite) or
    # "postgres:host=... dbname=... user=..." (a PostgreSQL catalog shared by many machines).
    catalog: str | None = None
    # Where the Parquet files live: a directory, or object storage (s3://bucket/prefix/).
    data_path: str | None = None
    # Where tradewh installs the DuckDB extensions it ships (from their registry wheels), so
    # that autoload finds them in every connection; default: beside the installed packages.
    extension_dir: Path | None = None
    # Snapshots older than this many days are expired by maintenance (time travel reaches back
    # this far); their files are deleted only a grace period later, longer than any query.
    snapshot_retention_days: float = 90.0
    snapshot_grace_hours: float = 24.0
    landing_dir: Path = Path("data/landing")
    profile: Literal["sample", "live"] = "sample"
    sample_dir: Path = PACKAGE_DIR / "sample"
    project_root: Path = DEFAULT_PROJECT_ROOT
    sources: list[str] = Field(
        default_factory=lambda: [
            "census_country",
            "census_api",
            "ft900",
            "alfred",
            "news",
            "census_enduse",
        ]
    )
    # FRED/ALFRED series, every vintage of each: goods and services balance, exports, imports.
    fred_series: list[str] = Field(default_factory=lambda: ["BOPGSTB", "BOPTEXP", "BOPTIMP"])
    # RSS 2.0 or Atom feeds of trade news (live profile).
    news_feeds: list[str] = Field(
        default_factory=lambda: [
            "https://www.theguardian.com/business/economics/rss",
            "https://feeds.npr.org/1017/rss.xml",
        ]
    )

    census_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("CENSUS_API_KEY", "TRADEWH_CENSUS_API_KEY")
    )
    # Where the Census International Trade API is asked (a mirror, or a local test server);
    # None = the API itself (census_api.BASE_URL).
    census_api_url: str | None = None
    fred_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("FRED_API_KEY", "TRADEWH_FRED_API_KEY")
    )
    # Apprise URLs carry tokens, so the whole list is secret (comma or space separated).
    alert_urls: SecretStr | None = None
    # A Prefect notification block (e.g. a SlackWebhook saved under this name).
    alert_block: str | None = None
    alert_attempts: int = 3
    alert_timeout: float = 5.0
    # Late releases alert in the live profile; the sample archive is old by design.
    freshness_alerts: bool | None = None
    # None: each source's own calendar (SOURCE.calendar); a TOML file overrides them all.
    release_calendar: Path | None = None
    # How long a second writer waits for the warehouse (a reader's query may hold it).
    writer_wait_seconds: float = 120.0

    http_user_agent: str = "tradewh/0.1 (trade-statistics warehouse; +https://github.com/tradewh)"
    http_connect_timeout: float = 10.0
    http_read_timeout: float = 60.0
    http_max_bytes: int = 200 * 1024 * 1024
    http_max_attempts: int = 5
    http_backoff_base: float = 1.0
    http_backoff_max: float = 60.0
    # A Retry-After longer than this is not waited for: the fetch fails and the next night retries.
    http_max_retry_after: float = 300.0
    # The longest one attempt may take, body included: the read timeout only bounds each wait
    # for more bytes, so a server trickling them would otherwise hold a fetch indefinitely.
    http_total_timeout: float = 600.0

    # Prefect retries of a source's whole fetch step, on top of the HTTP helper's retries of
    # each request: they cover an outage of minutes, not seconds.
    fetch_task_retries: int = 2
    fetch_task_retry_delay: float = 300.0

    # The writer's buffer pool; beyond it DuckDB spills to data_dir/duckdb_tmp. With Python,
    # Great Expectations and a 200k-row validation chunk beside it, 300MB keeps a 5M-row load
    # under 1 GB of resident memory (issue 12; bench/results/ingest.md).
    duckdb_memory_limit: str = "300MB"
    # Ad-hoc queries (tradewh sql, query, shell) are stopped after this many seconds.
    query_timeout: float = 60.0

    @cached_property
    def sql_dir(self) -> Path:
        return self.project_root / "sql"

    @cached_property
    def expectations_dir(self) -> Path:
        return self.project_root / "expectations"

    @property
    def catalog_url(self) -> str:
        """The DuckLake catalog, as "sqlite:PATH" or "postgres:CONNINFO"."""
        return self.catalog or f"sqlite:{self.data_dir / 'catalog.sqlite'}"

    @property
    def lake_data_path(self) -> str:
        """Where the lake's Parquet files are, ending in a slash."""
        path = self.data_path or str(self.data_dir / "lake")
        return path if path.endswith("/") else path + "/"

    @property
    def catalog_kind(self) -> Literal["sqlite", "postgres"]:
        kind = self.catalog_url.split(":", 1)[0]
        if kind not in ("sqlite", "postgres"):
            raise ValueError(
                f"TRADEWH_CATALOG must start with sqlite: or postgres:, not {self.catalog_url!r}"
            )
        return kind  # type: ignore[return-value]

    @property
    def warehouse(self) -> str:
        """The warehouse as people name it in messages: its catalog (no password)."""
        return redact_conninfo(self.catalog_url)

    @property
    def report_path(self) -> Path:
        """Where the nightly report is written: in the data directory."""
        return self.data_dir / "report" / "index.html"

    @property
    def alerts_on_freshness(self) -> bool:
        if self.freshness_alerts is not None:
            return self.freshness_alerts
        return self.profile == "live"

    def secrets(self) -> list[str]:
        """Every secret value, for redaction of URLs and messages."""
        values = [self.census_api_key, self.fred_api_key, self.alert_urls]
        found = [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]
        password = re.search(r"password\s*=\s*('([^']*)'|(\S+))", self.catalog or "", re.I)
        if password:
            found.append(password.group(2) or password.group(3))
        return found


def redact_conninfo(url: str) -> str:
    """A catalog URL fit for a log line: any password=... replaced."""
    return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", url, flags=re.IGNORECASE)


def get_settings() -> Settings:
    return Settings()


def use_warehouse(path: Path) -> None:
    """Name the warehouse (its data directory) for this process and those it starts, exactly as
    TRADEWH_DATA_DIR does (the CLI's global --warehouse). Absolute, so that advice quoting it is
    right from any directory."""
    os.environ["TRADEWH_DATA_DIR"] = str(path.expanduser().absolute())
