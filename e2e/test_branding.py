"""Branding profiles in a browser: the console's Customization page creates one for a group, and
a user of that group sees Company Portal in its name and colour (both screen sizes)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.enrollment import wording
from tests.people import ALEX, BYOD_USERS, MEGAN

SCENARIO = {
    "users": [ALEX, MEGAN],
    "groups": [BYOD_USERS, {"name": "Sales", "members": [MEGAN["upn"]]}],
}


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_a_profile_made_in_the_console_brands_its_group(page: Page, tenant, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    made = tenant(SCENARIO)
    page.goto(made["adminUrl"])
    page.get_by_role("link", name="Customization").click()
    page.get_by_role("link", name="+ Create profile").click()
    page.get_by_label("Profile name", exact=True).fill("Sales branding")
    page.get_by_label("Organization name", exact=True).fill("Contoso Sales")
    page.get_by_label("Color", exact=True).fill("#107C10")
    page.get_by_label("Contact name", exact=True).fill("Sales desk")
    page.get_by_label("Sales", exact=True).check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("Branding profile Sales branding created.")).to_be_visible()
    page.screenshot(path=f"test-results/branding-console-{size[0]}.png", full_page=True)

    page.goto(made["portalUrl"])
    page.get_by_label("Email").fill(MEGAN["upn"])
    page.get_by_label("Password").fill(MEGAN["password"])
    page.get_by_role("button", name=wording.SIGN_IN).click()
    expect(page.get_by_role("heading", name=wording.set_up_access("Contoso Sales"))).to_be_visible()
    expect(page.locator(".brand-name")).to_have_text("Contoso Sales")
    expect(page.get_by_text("Sales branding", exact=True)).to_be_visible()  # the panel's trace
    page.screenshot(path=f"test-results/branding-portal-{size[0]}.png", full_page=True)
