"""pytest plugin of the Enrollment Simulator: a live server, a tenant per test, page objects.

Installed with the package (entry point `pytest11`, named like this module so that a conftest's
`pytest_plugins = ["app.pytest_plugin"]` or `-p app.pytest_plugin` never registers it twice).

Fixtures, all prefixed `enrollsim_`:

- `enrollsim_server` (session): the simulator — in this process on a free port, or the one at
  `ENROLLSIM_URL` (with `ENROLLSIM_CONTROL_TOKEN` when it asks for one). Has `.url`. The one in
  this process keeps its data in a temporary SQLite file, or in a schema of its own in the
  PostgreSQL database of `ENROLLSIM_TEST_DATABASE_URL` when that is set.
- `enrollsim_tenant`: `enrollsim_tenant(scenario)` makes a tenant from a dict, a YAML/JSON file
  path, or nothing; it is deleted after the test, so parallel workers never share data.
- `enrollsim_portal`: `enrollsim_portal(tenant, model="iPad", ...)` opens the tenant's Company
  Portal in pytest-playwright's `page` and gives a `PortalPage` (sign_in, answer_owner,
  answer_scope, finish).
- `enrollsim_profiles`: `enrollsim_profiles(tenant)` opens the console's profile list
  (`ProfileListPage`: names, move_up, move_down), signing in with the control token when the
  console asks for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.testing.control import ControlClient, SimTenant
from app.testing.pages import PortalPage, ProfileListPage

ENV_URL = "ENROLLSIM_URL"
ENV_TOKEN = "ENROLLSIM_CONTROL_TOKEN"


@dataclass
class SimServer:
    """A running simulator: its base URL and a control API client."""

    url: str
    control: ControlClient


@pytest.fixture(scope="session")
def enrollsim_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimServer]:
    """The simulator under test: `ENROLLSIM_URL` when set, else one in a thread of this process."""
    url = os.environ.get(ENV_URL)
    if url:
        control = ControlClient(url, os.environ.get(ENV_TOKEN))
        control.wait_until_up()
        yield SimServer(control.url, control)
        return
    from app.testing.server import live_server

    db_path = tmp_path_factory.mktemp("enrollsim") / "enrollsim.sqlite"
    with live_server(db_path, CONTROL_TOKEN=None) as local_url:
        yield SimServer(local_url, ControlClient(local_url))


@pytest.fixture
def enrollsim_tenant(enrollsim_server: SimServer) -> Iterator[Callable[..., SimTenant]]:
    """Make tenants for this test (from a scenario dict or file); all deleted afterwards."""
    made: list[SimTenant] = []

    def make(scenario: dict[str, Any] | str | Path | None = None) -> SimTenant:
        tenant = enrollsim_server.control.create_tenant(scenario)
        made.append(tenant)
        return tenant

    yield make
    for tenant in made:
        enrollsim_server.control.delete_tenant(tenant.id)


@pytest.fixture
def enrollsim_portal(request: pytest.FixtureRequest) -> Callable[..., PortalPage]:
    """Open a tenant's Company Portal for a simulated device (needs pytest-playwright)."""
    page = request.getfixturevalue("page")

    def open_portal(tenant: SimTenant, **device: Any) -> PortalPage:
        return PortalPage(page, tenant.company).open(tenant.portal_link(**device))

    return open_portal


@pytest.fixture
def enrollsim_profiles(request: pytest.FixtureRequest) -> Callable[[SimTenant], ProfileListPage]:
    """Open a tenant's `Enrollment type profiles` list in the console (needs pytest-playwright)."""
    page = request.getfixturevalue("page")

    def open_list(tenant: SimTenant) -> ProfileListPage:
        return ProfileListPage(page, tenant.admin_url, tenant.client.token).open()

    return open_list
