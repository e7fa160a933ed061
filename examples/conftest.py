"""Copy this folder to start a suite. `pip install enrollment-simulator` brings the pytest plugin
and its `enrollsim_*` fixtures; point ENROLLSIM_URL at a running simulator or let the plugin start
one in-process."""

from pathlib import Path

import pytest

from app.testing import chromium


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Only where Playwright's own Chromium is not installed: use the system's, headless.
    return chromium.launch_args(browser_type_launch_args)


@pytest.fixture
def contoso(enrollsim_tenant):
    """A fresh tenant per test, seeded from scenario.yaml and deleted afterwards."""
    return enrollsim_tenant(Path(__file__).with_name("scenario.yaml"))


@pytest.fixture(scope="session")
def base_url(enrollsim_server):
    """Relative `page.goto("/portal/")` calls land on the simulator under test."""
    return enrollsim_server.url
