"""The console's lock in a browser (issue 13, item 4): a server with a control token asks for it
once per browser session, says so clearly when it is wrong, and shows no token until then."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.testing.control import ControlClient
from app.testing.server import live_server

CONTROL_TOKEN = "e2e-control-token"


@pytest.fixture(scope="module")
def locked_url(tmp_path_factory):
    with live_server(
        tmp_path_factory.mktemp("locked") / "locked.sqlite", CONTROL_TOKEN=CONTROL_TOKEN
    ) as url:
        yield url


@pytest.fixture
def locked_tenant(locked_url):
    control = ControlClient(locked_url, CONTROL_TOKEN)
    made = control.create_tenant({"company": "Fabrikam"})
    yield made
    control.delete_tenant(made.id)


def test_console_asks_for_the_token_once_and_goes_back(page: Page, locked_tenant):
    page.goto(f"{locked_tenant.admin_url}tenant")
    expect(page.get_by_role("heading", name="Sign in to the admin console")).to_be_visible()
    expect(page.get_by_role("navigation", name="Admin console")).to_have_count(0)
    assert locked_tenant.token not in page.content()

    page.get_by_label("Control token", exact=True).fill("a guess")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("That is not this server's control token.")).to_be_visible()
    expect(page.get_by_label("Control token", exact=True)).to_have_value("")

    page.get_by_label("Control token", exact=True).fill(CONTROL_TOKEN)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Tenant administration")).to_be_visible()
    expect(page.get_by_text(locked_tenant.token)).to_be_visible()

    page.get_by_role("link", name="Users").click()  # once per browser session
    expect(page.get_by_role("heading", name="Users")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("Signed out.")).to_be_visible()
    page.goto(f"{locked_tenant.admin_url}tenant")
    expect(page.get_by_label("Control token", exact=True)).to_be_visible()
