"""The Simulated device panel agrees with the phone, in the product's words, at 1366x768 and
390x844; the phone's buttons are in view without scrolling; the Authenticator screen offers
Continue only after the download; the Managed Apple ID sheet checks the password."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.portal import PortalPage, devices, profile, scenario

VIEWPORTS = [pytest.param((1366, 768), id="1366x768"), pytest.param((390, 844), id="390x844")]


def in_view(page: Page, name: str) -> bool:
    """Whether the button is inside the viewport (no scrolling needed to reach it)."""
    box = page.get_by_role("button", name=name, exact=True).bounding_box()
    size = page.viewport_size
    return bool(box and size and box["y"] >= 0 and box["y"] + box["height"] <= size["height"])


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_panel_shows_where_and_why_a_walk_stopped(page: Page, tenant, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    made = tenant(scenario(profiles=[profile("Sales UE", choice=False, default="user")]))
    portal = PortalPage(page, made).sign_in(osVersion="13.0")
    portal.expect_screen("Set up Contoso access")
    assert in_view(page, "Begin") and in_view(page, "Postpone")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
    portal.button("Begin").click()
    portal.expect_error("UserEnrollmentUnsupportedOsVersion")
    stopped = page.get_by_role("note", name="Where the walk stopped")
    expect(stopped).to_contain_text("The walk stopped")
    expect(stopped).to_contain_text("UserEnrollmentUnsupportedOsVersion")
    expect(stopped).to_contain_text("OS version check")
    row = page.locator(".paths tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Stops: UserEnrollmentUnsupportedOsVersion")
    expect(row).not_to_contain_text("Personal")
    expect(page.get_by_text("Stopped at step 2 of")).to_be_visible()
    assert devices(made["portalUrl"].split("/t/")[0], made) == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_panel_follows_the_answers_in_product_words(page: Page, tenant, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    made = tenant(scenario(profiles=[profile("BYOD Choice", choice=True)]))
    portal = PortalPage(page, made).sign_in().begin()
    expect(page.get_by_text("Step 3 of")).to_be_visible()
    portal.choose("I own this device")
    expect(page.locator(".path-so-far")).to_have_text("Path so far: I own this device")
    assert in_view(page, "Continue")
    portal.choose("Secure work-related apps and data only")
    continue_button = portal.button("Continue")
    expect(continue_button).to_be_disabled()  # not offered before the download
    expect(page.get_by_text("Continue is available once Microsoft Authenticator")).to_be_visible()
    portal.download_authenticator().accept_privacy().allow_download()
    portal.button("Enroll My iPhone").click()
    page.get_by_label("Password", exact=True).fill("not the password")
    portal.button("Sign In").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Incorrect password. Enter the password of your work account."
    )
    assert devices(made["portalUrl"].split("/t/")[0], made) == []
    portal.managed_apple_id_sign_in()
    portal.expect_done("User Enrollment", "BYOD Choice", "Personal")
    outcome = page.locator(".outcome-panel")
    expect(outcome).to_contain_text("Work apps and data only")
    expect(outcome).to_contain_text("managedDeviceOwnerType personal")
    expect(outcome).to_contain_text("deviceEnrollmentType appleUserEnrollment")
    expect(outcome).not_to_contain_text("workOnly")
    taken = page.locator(".paths tr.taken")
    expect(taken).to_contain_text("I own this device + Secure work-related apps and data only")
    expect(taken).to_contain_text("taken")
    assert in_view(page, "Done")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_browser_keeps_its_device_and_copies_its_link(page: Page, browser, tenant, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    made = tenant(scenario())
    page.goto(made["portalUrl"])
    serial = page.get_by_label("Serial number").input_value()
    page.reload()
    expect(page.get_by_label("Serial number")).to_have_value(serial)
    page.get_by_label("OS version").fill("16.4")
    page.get_by_label("OS version").blur()
    link = page.get_by_label("Link for this device")
    expect(link).to_have_value(re.compile(rf"osVersion=16\.4.*serialNumber={serial}"))
    page.get_by_role("button", name="Copy link for this device").click()
    expect(page.get_by_role("status").filter(has_text="Link")).to_be_visible()
    PortalPage(page, made).sign_in_here()
    expect(page.get_by_label("Link for this device")).to_have_value(
        re.compile(rf"osVersion=16\.4.*serialNumber={serial}")
    )
    other = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        stranger = other.new_page()
        stranger.goto(link.input_value())
        expect(stranger.get_by_label("Serial number")).to_have_value(serial)
        expect(stranger.get_by_label("OS version")).to_have_value("16.4")
    finally:
        other.close()
