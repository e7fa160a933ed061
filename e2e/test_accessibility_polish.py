"""The last of issue 14's polish, each at 1366x768 and 390x844 with axe-core and the keyboard: the
console's own error pages, the Settings app's password sheet over the dimmed sign-in screen, and
Company Portal's "You're all set!"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.accessibility import check
from e2e.pages.portal import PortalPage, profile, scenario

VIEWPORTS = [pytest.param((1366, 768), id="1366x768"), pytest.param((390, 844), id="390x844")]
PASSWORD = "Passw0rd!"
SIGN_IN_WORK = re.compile("^Sign In to Work or School Account")

SETTINGS_SCENARIO = {
    "company": "Fabrikam",
    "settings": {"intuneRelease": "current"},
    "users": [{"upn": "grace@fabrikam.com", "displayName": "Grace Taylor", "password": PASSWORD}],
    "groups": [{"name": "Consultants", "members": ["grace@fabrikam.com"]}],
    "profiles": [{"name": "Account driven", "defaultEnrollmentType": "accountDrivenUserEnrollment",
                  "assign": {"include": "Consultants"}}],
}  # fmt: skip


def _sized(page: Page, viewport: tuple[int, int]) -> None:
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})


def _no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _tab_to(page: Page, locator, limit: int = 40) -> None:
    """Press Tab until the locator has the focus (the keyboard alone reaches it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_console_error_pages_keep_the_console_layout(page: Page, tenant, viewport):
    made = tenant(scenario())
    _sized(page, viewport)
    found: dict[str, list[str]] = {}
    page.goto(f"{made['adminUrl']}no-such-page")
    expect(page.get_by_role("heading", name="Not Found")).to_be_visible()
    expect(page.get_by_role("navigation", name="Admin console")).to_be_attached()
    expect(page.get_by_role("alert")).to_contain_text("no page at this address")
    check(page, "console 404", found)
    assert _no_sideways_scroll(page)
    back = page.get_by_role("link", name="Back to Enrollment type profiles")
    _tab_to(page, back)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Enrollment type profiles")).to_be_visible()

    page.goto(made["adminUrl"].replace(f"/t/{made['id']}/", "/t/no-such-tenant/") + "users")
    expect(page.get_by_role("heading", name="Not Found")).to_be_visible()
    expect(page.get_by_role("navigation", name="Admin console")).to_have_count(0)
    check(page, "unknown tenant's console", found)
    assert _no_sideways_scroll(page)
    assert not found, found


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_password_sheet_covers_the_dimmed_sign_in_screen(page: Page, tenant, viewport):
    made = tenant(SETTINGS_SCENARIO)
    _sized(page, viewport)
    found: dict[str, list[str]] = {}
    settings = made["portalUrl"].replace("/portal/", "/settings/")
    page.goto(f"{settings}?osVersion=17.5&upn=grace%40fabrikam.com")
    page.get_by_role("button", name="General").click()
    page.get_by_role("button", name=SIGN_IN_WORK).click()
    page.get_by_role("button", name="Continue").click()

    backdrop = page.locator(".ios-backdrop")
    expect(backdrop).to_be_visible()
    expect(backdrop).to_contain_text("Sign In to Work or School Account")
    expect(backdrop).to_have_attribute("inert", "")
    expect(backdrop).to_have_attribute("aria-hidden", "true")
    # The picture behind adds no names: one Sign in, no Continue, one heading, one field.
    expect(page.get_by_role("button", name="Sign in")).to_have_count(1)
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    expect(page.get_by_role("heading", name="Sign In to Work or School Account")).to_have_count(0)
    expect(page.get_by_label("Managed Apple Account")).to_have_count(0)
    check(page, "password sheet", found)
    assert _no_sideways_scroll(page)

    # Keyboard only: the focus never lands in the backdrop; the password and Enter sign in.
    password = page.get_by_label("Password", exact=True)
    expect(password).to_be_focused()
    for _ in range(6):
        page.keyboard.press("Tab")
        assert not page.evaluate("!!document.activeElement.closest('.ios-backdrop')")
    _tab_to(page, password)
    page.keyboard.type("wrong")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator(".ios-backdrop")).to_be_visible()
    check(page, "password sheet: wrong password", found)
    page.get_by_label("Password", exact=True).focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Allow Remote Management")).to_be_visible()
    assert not found, found


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_all_set_looks_like_the_app_and_keeps_the_outcome(page: Page, tenant, viewport):
    made = tenant(scenario(profiles=[profile("BYOD Choice")], fastProfileInstall=True))
    _sized(page, viewport)
    found: dict[str, list[str]] = {}
    portal = PortalPage(page, made)
    portal.sign_in().begin().answer("personal", "entireDevice").accept_privacy().fast_install()
    portal.expect_done("Device Enrollment", "BYOD Choice", "Personal")
    screen = page.locator(".device-screen")
    expect(screen.locator(".all-set-check")).to_be_visible()
    expect(screen.get_by_role("list", name="Completed set up steps")).to_be_visible()
    check(page, "You're all set!", found)
    # The whole screen shows without scrolling it, the outcome included.
    body = screen.locator(".screen-body")
    assert body.evaluate("el => el.scrollHeight <= el.clientHeight + 1"), body.evaluate(
        "el => [el.scrollHeight, el.clientHeight]"
    )
    assert _no_sideways_scroll(page)
    done = page.get_by_role("button", name="Done", exact=True)
    expect(done).to_be_in_viewport()
    _tab_to(page, done)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    assert not found, found
