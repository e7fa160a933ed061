"""The panel lists the profiles that decided and links to the walk's full decision trace, which
a keyboard reaches and opens; after enrollment the screen and the panel fit a 1366x768 window
without scrolling (issue 15, item 3; issue 14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.portal import PortalPage, profile, scenario

VIEWPORTS = [pytest.param((1366, 768), id="1366x768"), pytest.param((390, 844), id="390x844")]
PROFILES = [
    profile("Excluded", include=["Staff"], exclude=["Staff"]),
    profile("BYOD Choice", choice=True),
    *(profile(f"Other {i}", include=[]) for i in range(5)),
]
FULL_TRACE = "Show the full decision trace"


def in_view(page: Page, role: str, name: str) -> bool:
    """Whether the control is inside the viewport (no scrolling needed to reach it)."""
    box = page.get_by_role(role, name=name, exact=True).bounding_box()
    size = page.viewport_size
    return bool(
        box
        and size
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


def tab_to(page: Page, name: str, limit: int = 40) -> None:
    """Press Tab until the focused element is the one named `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} was not reached with Tab")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_full_trace_opens_by_keyboard(page: Page, tenant, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    made = tenant(scenario(profiles=PROFILES))
    portal = PortalPage(page, made).sign_in()
    portal.expect_screen("Set up Contoso access")
    panel = page.get_by_role("complementary", name="Simulated device")
    expect(panel).to_contain_text("Excluded")
    expect(panel).to_contain_text("5 other profiles don't target this user.")
    expect(panel).not_to_contain_text("Other 3")
    panel.locator("summary", has_text="Decision trace").focus()
    page.keyboard.press("Enter")  # open the disclosure
    tab_to(page, FULL_TRACE)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Decision trace")).to_be_visible()
    considered = page.locator(".candidates li")
    expect(considered).to_have_count(7)
    expect(considered.nth(1)).to_contain_text("BYOD Choice")
    expect(considered.nth(1)).to_contain_text("applied")
    expect(considered.nth(6)).to_contain_text("Other 4")
    expect(
        page.get_by_role("region", name="Where each answer leads on this device")
    ).to_be_visible()
    page.get_by_role("link", name="Back to the walk").focus()
    page.keyboard.press("Enter")
    portal.expect_screen("Set up Contoso access")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_all_set_fits_the_window(page: Page, tenant, viewport):
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    made = tenant(scenario(profiles=PROFILES))
    portal = PortalPage(page, made).sign_in().begin()
    portal.choose("I own this device").choose("Secure work-related apps and data only")
    portal.download_authenticator().accept_privacy().allow_download()
    portal.button("Enroll My iPhone").click()
    portal.managed_apple_id_sign_in()
    portal.expect_done("User Enrollment", "BYOD Choice", "Personal")
    assert in_view(page, "button", "Done")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width < 1240:  # a phone: the panel follows the phone, below it
        return
    # The page and the panel beside the phone need no scrolling: every control is in view.
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    scroll = page.evaluate(
        "(() => { const p = document.querySelector('.sim-panel');"
        " return p.scrollHeight - p.clientHeight; })()"
    )
    assert scroll <= 1
    for role, name in [
        ("link", FULL_TRACE),
        ("button", "Copy link for this device"),
        ("link", "Start a new walk with this device"),
        ("region", "Where each answer leads on this device"),
    ]:
        assert in_view(page, role, name), name
    expect(page.locator(".outcome-panel")).to_be_in_viewport(ratio=1)
