"""The profile wizard per Intune release in a browser (enrollment-today.md §1): the Settings step
in `current` and in `preview-2019`, at a laptop and a phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.admin import ProfilesPage
from tests.people import ALEX, BYOD_USERS, MEGAN, SALES, THREE_PROFILES

SCENARIO = {"users": [ALEX, MEGAN], "groups": [BYOD_USERS, SALES], "profiles": THREE_PROFILES}
CURRENT = [
    "Device enrollment with Company Portal",
    "Web based device enrollment",
    "Account driven user enrollment",
    "Determine based on user choice",
]
LEGACY = "User enrollment with Company Portal"
SIZES = [(1366, 768), (390, 844)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_wizard_in_current_offers_todays_types(page: Page, tenant, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    made = tenant({**SCENARIO, "settings": {"intuneRelease": "current"}})
    wizard = ProfilesPage(page, made["adminUrl"]).open().create()
    wizard.basics("Today BYOD", "Account-driven")
    wizard.expect_tab("Settings")
    choice = page.get_by_role("group", name="Enrollment type")
    radios = choice.get_by_role("radio")
    expect(radios).to_have_count(len(CURRENT))
    for name in CURRENT:
        expect(choice.get_by_role("radio", name=name, exact=True)).to_be_visible()
    expect(page.get_by_text(LEGACY)).to_have_count(0)
    expect(page.get_by_text("Require user to select device type")).to_have_count(0)
    page.screenshot(path=f"test-results/wizard-current-{size[0]}.png", full_page=True)
    choice.get_by_role("radio", name="Account driven user enrollment").check()
    wizard.next()
    wizard.assignments(include=["BYOD Users"])
    expect(page.locator(".wizard-panel")).to_contain_text("Account driven user enrollment")
    wizard.create()
    expect(page.get_by_role("status")).to_contain_text("Profile Today BYOD created")
    expect(page.locator(".props-panel").nth(1)).to_contain_text("Account driven user enrollment")
    page.screenshot(path=f"test-results/profile-current-{size[0]}.png", full_page=True)

    # A profile that already has profile-based User Enrollment keeps it on offer, checked.
    ProfilesPage(page, made["adminUrl"]).open()
    expect(page.get_by_role("row", name="Today BYOD")).to_contain_text(
        "Account driven user enrollment"
    )
    page.screenshot(path=f"test-results/profiles-current-{size[0]}.png", full_page=True)
    page.get_by_role("link", name="Sales UE").click()
    expect(page.locator(".props-panel").nth(1)).to_contain_text(LEGACY)
    page.get_by_role("link", name="Edit", exact=True).nth(1).click()
    expect(page.get_by_role("radio", name=LEGACY)).to_be_checked()
    page.screenshot(path=f"test-results/profile-edit-legacy-{size[0]}.png", full_page=True)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_wizard_in_preview_2019_is_unchanged(page: Page, tenant, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    made = tenant(SCENARIO)
    wizard = ProfilesPage(page, made["adminUrl"]).open().create()
    wizard.basics("Preview", "2019")
    wizard.expect_tab("Settings")
    expect(page.get_by_role("group", name="Require user to select device type")).to_be_visible()
    expect(page.get_by_label("Default enrollment type")).to_be_visible()
    expect(page.get_by_role("group", name="Enrollment type", exact=True)).to_have_count(0)
    for name in CURRENT:
        expect(page.get_by_text(name, exact=True)).to_have_count(0)
    page.screenshot(path=f"test-results/wizard-preview-{size[0]}.png", full_page=True)
    wizard.settings(require="Required")
    wizard.assignments(include=["BYOD Users"])
    wizard.create()
    expect(page.get_by_role("status")).to_contain_text("Profile Preview created")
