"""prefect.yaml declares the nightly deployment the README describes."""

from __future__ import annotations

import yaml

from tests.paths import ROOT


def test_nightly_deployment() -> None:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    [nightly] = [d for d in config["deployments"] if d["name"] == "nightly"]
    path, flow_name = nightly["entrypoint"].split(":")
    assert (ROOT / path).is_file()
    assert f"def {flow_name}(" in (ROOT / path).read_text()
    [schedule] = nightly["schedules"]
    assert (schedule["cron"], schedule["timezone"]) == ("0 6 * * *", "America/New_York")
    assert nightly["concurrency_limit"] == {"limit": 1, "collision_strategy": "CANCEL_NEW"}
    assert nightly["work_pool"]["name"] == "tradewh"
