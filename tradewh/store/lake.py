"""DuckLake: the extensions it needs, offline, and the ATTACH that opens the warehouse.

No machine here reaches DuckDB's extension server, so the extensions come from registry wheels
(DuckDB-signed binaries, loaded with signature checking on) and are INSTALLed from those files
into a directory tradewh controls; autoload then finds them in every connection, ours and an
analyst's duckdb CLI or Python alike, once it points extension_directory there.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb

from tradewh.settings import Settings

# The extensions a warehouse needs: the lake, its two catalog kinds, object storage, search.
EXTENSIONS = ("ducklake", "sqlite_scanner", "postgres_scanner", "httpfs", "fts")
# The name the warehouse is attached under; `USE` makes core, marts and ops addressable as is.
CATALOG_NAME = "tradewh"


class ExtensionError(RuntimeError):
    """An extension binary is missing or built for another DuckDB version; the message says
    which and what to do."""


def extension_dir(settings: Settings) -> Path:
    return settings.extension_dir or Path(sys.prefix) / "duckdb_extensions"


def shipped_binary(name: str) -> Path:
    """The extension binary in its registry wheel, for the running DuckDB version."""
    package = f"duckdb_extension_{name}"
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(
            f"the DuckDB extension {name} is not installed: pip install "
            f"duckdb-extension-{name.replace('_', '-')}=={duckdb.__version__}"
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "extensions"
    wanted = root / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not wanted.is_file():
        built = sorted(p.name for p in root.glob("v*")) or ["none"]
        raise ExtensionError(
            f"DuckDB {duckdb.__version__} is installed but the {name} extension wheel holds a "
            f"binary for {', '.join(built)}: an extension loads only in the DuckDB version it "
            f"was built for. Install the pinned versions (pyproject.toml: duckdb and "
            f"duckdb-extension-* at the same version)."
        )
    return wanted


def prepare(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Point the connection at tradewh's extension directory, installing (copying) there any
    extension not yet present from its wheel. Never allows unsigned extensions."""
    directory = extension_dir(settings)
    con.execute(f"SET extension_directory = '{_quote(str(directory))}'")
    installed = {
        name
        for (name,) in con.execute(
            "SELECT extension_name FROM duckdb_extensions() WHERE installed"
        ).fetchall()
    }
    for name in EXTENSIONS:
        if name not in installed:
            con.execute(f"INSTALL '{_quote(str(shipped_binary(name)))}'")
    if settings.lake_data_path.startswith(("s3://", "s3a://", "gs://", "r2://")):
        object_storage_secret(con)


# The AWS SDK's own environment variables, so that the same credentials serve every tool.
_S3_ENV = {
    "KEY_ID": "AWS_ACCESS_KEY_ID",
    "SECRET": "AWS_SECRET_ACCESS_KEY",
    "SESSION_TOKEN": "AWS_SESSION_TOKEN",
    "REGION": "AWS_REGION",
}


def object_storage_secret(con: duckdb.DuckDBPyConnection) -> None:
    """Credentials for object storage from the environment (AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION; AWS_ENDPOINT_URL for an S3-compatible
    store), as a temporary DuckDB secret: in memory for this connection only, never in a file,
    a log or a ledger. Without them, DuckDB's own secrets (CREATE PERSISTENT SECRET) apply."""
    import os
    from urllib.parse import urlsplit

    options = {key: os.environ[name] for key, name in _S3_ENV.items() if os.environ.get(name)}
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        options |= {
            "ENDPOINT": parts.netloc,
            "USE_SSL": "true" if parts.scheme == "https" else "false",
            "URL_STYLE": "path",
        }
    if "KEY_ID" not in options and "ENDPOINT" not in options:
        return
    listed = ", ".join(
        f"{key} {value}" if key == "USE_SSL" else f"{key} '{_quote(value)}'"
        for key, value in options.items()
    )
    con.execute(f"CREATE OR REPLACE TEMPORARY SECRET tradewh_s3 (TYPE s3, {listed})")


def attach_sql(settings: Settings, read_only: bool = False, snapshot: str | None = None) -> str:
    """The ATTACH statement for the warehouse. `snapshot` is a snapshot id (digits) or a
    timestamp: the warehouse as it stood then (read-only)."""
    kind = settings.catalog_kind
    target = settings.catalog_url.split(":", 1)[1]
    data_path = settings.lake_data_path
    # Absolute local paths: the catalog records its data path, and the same line must work
    # from any directory (tradewh connect prints it for analysts' tools).
    if kind == "sqlite":
        target = str(Path(target).resolve())
    if "://" not in data_path:
        data_path = str(Path(data_path).resolve()) + "/"
    options = [f"DATA_PATH '{_quote(data_path)}'"]
    if kind == "sqlite":
        # WAL: readers and the writer never wait for each other; the busy timeout covers the
        # moment of a commit.
        options += ["META_JOURNAL_MODE 'WAL'", "META_BUSY_TIMEOUT 10000"]
    if snapshot is not None:
        read_only = True
        if snapshot.isdigit():
            options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
        else:
            options.append(f"SNAPSHOT_TIME '{_quote(snapshot)}'")
    if read_only:
        options.append("READ_ONLY")
    return f"ATTACH 'ducklake:{kind}:{_quote(target)}' AS {CATALOG_NAME} ({', '.join(options)})"


def catalog_exists(settings: Settings) -> bool:
    """Whether a warehouse was created at the catalog (a PostgreSQL catalog: assumed)."""
    if settings.catalog_kind == "sqlite":
        return Path(settings.catalog_url.split(":", 1)[1]).is_file()
    return True


def _quote(text: str) -> str:
    return text.replace("'", "''")
