"""The pytest plugin: fixtures used directly here, and a suite run under xdist in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.testing.control import ControlClient, ControlError
from app.testing.server import live_server

REPO = Path(__file__).resolve().parent.parent

WORKER_SUITE = """
import json, os, time

import pytest


@pytest.mark.parametrize("n", range(6))
def test_a_tenant_of_my_own(enrollsim_server, enrollsim_tenant, n):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    upn = f"{worker}-{n}@isolation.test"
    tenant = enrollsim_tenant({"company": worker, "users": [{"upn": upn, "password": "x"}]})
    time.sleep(0.05)  # overlap with the other worker's tests
    users = [u["upn"] for u in tenant.scenario()["users"]]
    assert users == [upn]
    assert {e["type"] for e in tenant.events()} == {"control.create"}
    assert tenant.resolve(upn)["user"] == upn
    line = {"worker": worker, "tenant": tenant.id, "users": users, "server": enrollsim_server.url}
    with open(os.environ["ISOLATION_LOG"], "a") as log:
        log.write(json.dumps(line) + "\\n")
"""


def run_suite(tmp_path: Path, env_extra: dict[str, str]) -> list[dict]:
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_isolation.py").write_text(WORKER_SUITE)
    log = tmp_path / "isolation.jsonl"
    env = {k: v for k, v in os.environ.items() if k != "ENROLLSIM_URL"}
    env.update(ISOLATION_LOG=str(log), PYTHONPATH=str(REPO), **env_extra)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "app.pytest_plugin"]
        + ["-p", "no:cacheprovider", str(suite)],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_two_xdist_workers_on_one_server_never_see_each_others_data(tmp_path):
    pytest.importorskip("xdist")
    with live_server(tmp_path / "shared.sqlite") as url:
        lines = run_suite(tmp_path, {"ENROLLSIM_URL": url})
        control = ControlClient(url)
        for line in lines:  # every tenant was deleted after its test
            with pytest.raises(ControlError, match="answered 404"):
                control.call("GET", f"/tenants/{line['tenant']}")
    assert {line["worker"] for line in lines} == {"gw0", "gw1"}
    assert {line["server"] for line in lines} == {url}
    assert len({line["tenant"] for line in lines}) == 6
    for line in lines:
        assert line["users"][0].startswith(f"{line['worker']}-")


def test_without_enrollsim_url_each_worker_serves_its_own_simulator(tmp_path):
    pytest.importorskip("xdist")
    lines = run_suite(tmp_path, {})
    servers = {line["worker"]: line["server"] for line in lines}
    assert set(servers) == {"gw0", "gw1"}
    assert servers["gw0"] != servers["gw1"]


def test_tenant_from_a_scenario_file(enrollsim_tenant, tmp_path):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "company: <b>Fabrikam</b>\n"
        "users:\n  - {upn: ana@fabrikam.com, password: Passw0rd!}\n"
        "groups:\n  - {name: BYOD, members: [ana@fabrikam.com]}\n"
        "profiles:\n  - {name: Choice, requireUserChoice: true, assign: {include: [BYOD]}}\n"
    )
    tenant = enrollsim_tenant(scenario)
    assert tenant.company == "<b>Fabrikam</b>"
    assert tenant.resolve("ana@fabrikam.com")["appliedProfile"]["name"] == "Choice"
    assert tenant.portal_link(model="iPad", osVersion="16.4") == (
        f"{tenant.portal_url}?model=iPad&osVersion=16.4"
    )


def test_tenant_helpers_drive_the_control_api(enrollsim_tenant):
    tenant = enrollsim_tenant({"users": [{"upn": "ana@fabrikam.com", "password": "x"}]})
    other = enrollsim_tenant()
    assert tenant.id != other.id
    assert tenant.set_faults({"graph": {"errorRate": 0.5}, "seed": 1})["seed"] == 1
    tenant.clear_faults()
    assert [e["type"] for e in tenant.events(type="control.*")] == [
        "control.create",
        "control.faults",
        "control.faultsCleared",
    ]
    tenant.reset({"company": "Northwind"})
    assert tenant.scenario()["company"] == "Northwind"
    assert tenant.devices() == []
    with pytest.raises(ControlError, match="answered 404"):
        tenant.resolve("ana@fabrikam.com")


def test_a_bad_scenario_fails_the_test_with_the_servers_message(enrollsim_tenant):
    with pytest.raises(ControlError, match=r"profiles\[0\]\.assign\.include\[0\]: no group named"):
        enrollsim_tenant({"profiles": [{"name": "P", "assign": {"include": ["Nope"]}}]})
