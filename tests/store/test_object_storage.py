"""The Parquet files on object storage: a real S3-compatible server on 127.0.0.1 (moto's, run as
its own process), credentials from the environment only. The sample warehouse is built there and
read back by a second process; no credential reaches a ledger or a log line."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crash.harness import PROJECT
from tests.warehouses import load_sample
from tradewh import warehouse
from tradewh.settings import Settings

SECRET = "s3cr3t-never-logged"
JAPAN_MARCH_1994 = (
    "SELECT balance_musd FROM marts.balance_monthly "
    "WHERE partner_code = '5880' AND period = DATE '1994-03-01'"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3() -> Iterator[str]:
    server = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(server).exists():
        pytest.skip("moto_server (the dev extra moto[server]) is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "the S3 server did not start"
            time.sleep(0.2)
    try:
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_lake_on_object_storage(
    s3: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    credentials = {
        "AWS_ACCESS_KEY_ID": "tradewh",
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3,
    }
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    for key in ("TRADEWH_SAMPLE_DIR", "TRADEWH_SOURCES", "TRADEWH_CATALOG"):
        monkeypatch.delenv(key, raising=False)
    # A bucket of its own (moto keeps none until asked).
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import boto3; boto3.client('s3', endpoint_url="
            f"{s3!r}).create_bucket(Bucket='trade-bucket')",
        ],
        check=True,
        env={**os.environ, **credentials},
    )
    # One source is enough to put every kind of file on the bucket (Parquet of core and the
    # marts, deletes, the catalog's paths); the whole sample costs CI half a minute more.
    settings = Settings(
        data_dir=tmp_path,
        landing_dir=tmp_path / "landing",
        data_path="s3://trade-bucket/wh/",
        sources=["census_country"],
    )
    load_sample(settings)
    assert not (tmp_path / "lake").exists()  # nothing local but the catalog
    listed = duckdb.connect()
    from tradewh.store import lake

    lake.prepare(listed, settings)
    files = listed.execute("SELECT count(*) FROM glob('s3://trade-bucket/wh/**/*.parquet')")
    assert files.fetchone()[0] > 0
    # Another process reads it back with the same environment.
    code = (
        "import tradewh; print(tradewh.connect().execute(" + repr(JAPAN_MARCH_1994) + ")"
        ".fetchone()[0])"
    )
    env = {
        **os.environ,
        "TRADEWH_DATA_DIR": str(tmp_path),
        "TRADEWH_DATA_PATH": "s3://trade-bucket/wh/",
    }
    read = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=PROJECT, capture_output=True, text=True
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip().splitlines()[-1] == "-5752.700000"
    # The secret is in no table of the warehouse.
    con = warehouse.reader(settings)
    for schema, table in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() "
        "WHERE database_name = current_database()"
    ).fetchall():
        hits = con.execute(
            f'SELECT count(*) FROM "{schema}"."{table}" AS t WHERE CAST(t AS VARCHAR) LIKE ?',
            [f"%{SECRET}%"],
        ).fetchone()[0]
        assert hits == 0, f"{schema}.{table}"
