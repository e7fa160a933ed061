"""Browser tests: one live simulator per xdist worker, one tenant per test, Chromium headless."""

from __future__ import annotations

import pytest
import requests

from app.testing import chromium
from app.testing.server import live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return chromium.launch_args(browser_type_launch_args)


@pytest.fixture(scope="session")
def sim_url(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("sim") / "e2e.sqlite") as url:
        yield url


@pytest.fixture(scope="session")
def base_url(sim_url):
    return sim_url


@pytest.fixture
def tenant(sim_url):
    """Make a tenant from a scenario dict; deleted after the test."""
    made: list[str] = []

    def make(scenario: dict | None = None) -> dict:
        response = requests.post(f"{sim_url}/_sim/tenants", json=scenario or {}, timeout=10)
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
        return response.json()

    yield make
    for tenant_id in made:
        requests.delete(f"{sim_url}/_sim/tenants/{tenant_id}", timeout=10)
