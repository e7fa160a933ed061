"""Browser tests: one live simulator per xdist worker, one tenant per test, Chromium headless.

The server and tenants come from the package's pytest plugin (app/pytest_plugin.py); the names
below are the ones this suite has always used.
"""

from __future__ import annotations

import pytest

from app.testing import chromium, pages


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return chromium.launch_args(browser_type_launch_args)


@pytest.fixture(scope="session")
def sim_url(enrollsim_server):
    return enrollsim_server.url


@pytest.fixture(scope="session")
def base_url(sim_url):
    return sim_url


@pytest.fixture
def tenant(enrollsim_tenant):
    """Make a tenant from a scenario dict (the control API's create answer); deleted after."""

    def make(scenario: dict | None = None) -> dict:
        return enrollsim_tenant(scenario or {}).as_dict()

    return make


@pytest.fixture(autouse=True)
def _console_signed_in(request, enrollsim_server):
    """Against a server with a control token (ENROLLSIM_URL + ENROLLSIM_CONTROL_TOKEN), each
    test's browser signs in to the console once, as a tester would."""
    token = enrollsim_server.control.token
    if not token or "page" not in request.fixturenames:
        return
    page = request.getfixturevalue("page")
    page.goto(f"{enrollsim_server.url}/admin/sign-in")
    pages.sign_in_to_console(page, token)
