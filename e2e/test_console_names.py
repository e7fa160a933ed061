"""A profile name already taken: the wizard warns (without refusing) and names the dynamic device
groups that match on it; a very long name wraps instead of widening the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.admin import ProfilesPage
from tests.people import ALEX, BYOD_USERS, MEGAN, SALES
from tests.people import THREE_PROFILES as PROFILES

SCENARIO = {
    "users": [ALEX, MEGAN],
    "groups": [BYOD_USERS, SALES, {"name": "Choice devices", "kind": "device",
               "rule": '(device.enrollmentProfileName -eq "BYOD Choice")'}],
    "profiles": PROFILES,
}  # fmt: skip


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)], ids=["1366x768", "390x844"])
def test_duplicate_name_warning_and_long_names_wrap(page: Page, tenant, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    made = tenant(SCENARIO)
    wizard = ProfilesPage(page, made["adminUrl"]).open().create()
    wizard.basics("BYOD Choice", "A second one")
    warning = page.get_by_role("status").filter(has_text="Another profile is already named")
    expect(warning).to_contain_text("Choice devices")
    wizard.settings().assignments(include=["Sales"]).create()
    expect(page.get_by_role("heading", level=1)).to_have_text("BYOD Choice")
    expect(warning).to_contain_text("Choice devices")

    long_name = "Kiosk" + "x" * 250
    page.goto(made["adminUrl"])
    ProfilesPage(page, made["adminUrl"]).create().basics(long_name, "long")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(long_name)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
    page.goto(made["adminUrl"])
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
