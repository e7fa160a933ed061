"""The Intune-today screens get the portal's polish (issue 14): axe-core on every state of the
Settings app, web enrollment and Company Portal's two hand-over screens, at 1366x768 and 390x844;
every control in view without scrolling; full-bleed on a phone; both flows by keyboard alone;
dark mode and the presenter view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.accessibility import check
from e2e.pages.portal import PortalPage

VIEWPORTS = [pytest.param((1366, 768), id="1366x768"), pytest.param((390, 844), id="390x844")]
PASSWORD = "Passw0rd!"
SIGN_IN_WORK = re.compile("^Sign In to Work or School Account")


def _user(upn: str, name: str, **more) -> dict:
    return {"upn": upn, "displayName": name, "password": PASSWORD, **more}


SCENARIO = {
    "company": "Fabrikam",
    "settings": {"intuneRelease": "current"},
    "users": [
        _user("alex@fabrikam.com", "Alex Wilber"),
        _user("grace@fabrikam.com", "Grace Taylor"),
        _user("wendy@fabrikam.com", "Wendy Chen"),
        _user("nils@fabrikam.com", "Nils Larsen", managedAppleId=False),
        _user("patti@fabrikam.com", "Patti Fernandez"),  # no profile: Company Portal's user
    ],
    "groups": [
        {"name": "BYOD", "members": ["alex@fabrikam.com"]},
        {"name": "Consultants", "members": ["grace@fabrikam.com", "nils@fabrikam.com"]},
        {"name": "Web", "members": ["wendy@fabrikam.com"]},
    ],
    "profiles": [
        {"name": "BYOD Choice", "requireUserChoice": True, "assign": {"include": "BYOD"}},
        {"name": "Account driven", "defaultEnrollmentType": "accountDrivenUserEnrollment",
         "assign": {"include": "Consultants"}},
        {"name": "Web based", "defaultEnrollmentType": "webDeviceEnrollment",
         "assign": {"include": "Web"}},
    ],
}  # fmt: skip

# Each visible control of the phone lies inside the phone's screen and the window: nothing of a
# screen needs scrolling to be reached. Returns the ones that do not, by their text.
_OUT_OF_VIEW = """() => {
  const screen = document.querySelector('.device-screen').getBoundingClientRect();
  const inside = (r) => r.top >= Math.max(screen.top, 0) - 1
    && r.left >= Math.max(screen.left, 0) - 1
    && r.bottom <= Math.min(screen.bottom, window.innerHeight) + 1
    && r.right <= Math.min(screen.right, window.innerWidth) + 1;
  return [...document.querySelectorAll('.device-screen :is(button, a, input, select)')]
    .filter((el) => el.type !== 'hidden' && el.getClientRects().length)
    .filter((el) => !inside(el.getBoundingClientRect()))
    .map((el) => (el.innerText || el.getAttribute('aria-label') || el.id).trim());
}"""


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{state}:\n  " + "\n  ".join(lines) for state, lines in found.items())


class Screens:
    """Checks one state after another at one viewport; the test asserts once, listing them all."""

    def __init__(self, page: Page, viewport: tuple[int, int]) -> None:
        self.page, self.viewport, self.found = page, viewport, {}
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})

    def check(self, state: str) -> None:
        check(self.page, state, self.found)
        hidden = self.page.evaluate(_OUT_OF_VIEW)
        if hidden:
            self.found[f"{state}: controls out of view"] = hidden
        if self.viewport[0] < 520:
            box = self.page.locator(".device").bounding_box()
            if box is None or box["x"] != 0 or round(box["width"]) != self.viewport[0]:
                self.found[f"{state}: not full-bleed"] = [str(box)]

    def button(self, name, **kwargs):
        return self.page.get_by_role("button", name=name, **kwargs)


def _settings_url(made: dict) -> str:
    return made["portalUrl"].replace("/portal/", "/settings/")


def _web_url(made: dict) -> str:
    return made["portalUrl"].replace("/portal/", "/enrollment/webenrollment/ios")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_settings_app_screen_passes_axe_and_fits(page: Page, tenant, viewport):
    made = tenant(SCENARIO)
    s = Screens(page, viewport)
    page.goto(f"{_settings_url(made)}?osVersion=17.5")
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    s.check("Settings")
    expect(s.button("Privacy & Security")).to_have_attribute("aria-disabled", "true")
    s.button("General").click()
    s.check("VPN & Device Management")
    s.button("Back to Settings").click()
    s.button("General").click()
    s.button(SIGN_IN_WORK).click()
    s.check("Sign In to Work or School Account")
    s.button("Continue").click()
    expect(page.get_by_role("alert")).to_be_visible()
    s.check("Sign In to Work or School Account: no address")
    page.get_by_label("Managed Apple Account").fill("patti@fabrikam.com")
    s.button("Continue").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Sign-in Failed")
    s.check("Sign-in Failed alert")
    s.button("OK").click()
    page.get_by_label("Managed Apple Account").fill("grace@fabrikam.com")
    s.button("Continue").click()
    page.get_by_label("Password", exact=True).fill("wrong")
    s.button("Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    s.check("work account sign-in: wrong password")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    s.button("Sign in").click()
    expect(page.get_by_role("heading", name="Allow Remote Management")).to_be_visible()
    s.check("Allow Remote Management")
    s.button("Allow Remote Management").click()
    expect(page.get_by_role("heading", name="MANAGED ACCOUNT")).to_be_visible()
    s.check("managed account, Authenticator missing")
    s.button("Install").click()
    expect(page.get_by_text("Microsoft Authenticator is installed.")).to_be_visible()
    s.check("managed account")

    page.goto(f"{_settings_url(made)}?osVersion=17.5&upn=grace%40fabrikam.com")
    s.button("General").click()
    s.button(SIGN_IN_WORK).click()
    s.button("Continue").click()
    s.check("work account sign-in")
    s.button("Cancel").click()
    s.button("Continue").click()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    s.button("Sign in").click()
    s.button("Cancel").click()
    s.check("remote management not allowed")

    page.goto(f"{_settings_url(made)}?osVersion=17.5&upn=nils%40fabrikam.com")
    s.button("General").click()
    s.button(SIGN_IN_WORK).click()
    s.button("Continue").click()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    s.button("Sign in").click()
    expect(page.locator(".device-screen")).to_contain_text("ManagedAppleIdMissing")
    s.check("error screen")
    page.goto(f"{_settings_url(made)}?osVersion=14.8")
    s.button("General").click()
    expect(s.button(SIGN_IN_WORK)).to_have_count(0)
    s.check("VPN & Device Management on iOS 14")
    page.goto(f"{_settings_url(made)}?osVersion=abc")
    s.check("bad device settings")
    assert not s.found, _report(s.found)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_web_enrollment_screen_passes_axe_and_fits(page: Page, tenant, viewport):
    made = tenant(SCENARIO)
    s = Screens(page, viewport)
    page.goto(f"{_web_url(made)}?serialNumber=F2LXAXE00001")
    s.check("web sign-in")
    page.get_by_label("Email").fill("wendy@fabrikam.com")
    page.get_by_label("Password").fill("wrong")
    s.button("Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    s.check("web sign-in refused")
    page.get_by_label("Email").fill("wendy@fabrikam.com")
    page.get_by_label("Password").fill(PASSWORD)
    s.button("Sign in").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("configuration profile")
    s.check("Safari download prompt")
    s.button("Ignore").click()
    s.check("download ignored")
    s.button("Download again").click()
    s.button("Allow").click()
    expect(page.get_by_role("heading", name="Profile Downloaded")).to_be_visible()
    s.check("Profile Downloaded")
    s.button("Install").click()
    s.check("Install Profile warning")
    s.button("Install").click()
    s.check("Remote Management: Trust")
    s.button("Trust").click()
    s.check("Profile Installed")
    s.button("Done").click()
    expect(page.get_by_role("heading", name="Waiting for Microsoft Authenticator")).to_be_visible()
    s.check("Waiting for Microsoft Authenticator")
    s.button("Install").click()
    s.button("Recheck").click()
    expect(page.get_by_role("heading", name="You're all set!")).to_be_visible()
    s.check("You're all set!")
    page.goto(f"{_web_url(made)}?browser=chrome")
    s.check("Safari is required")
    page.goto(f"{_web_url(made)}?serialNumber=F2LXAXE00002")
    page.get_by_label("Email").fill("grace@fabrikam.com")
    page.get_by_label("Password").fill(PASSWORD)
    s.button("Sign in").click()
    s.check("web enrollment not for this user")
    assert not s.found, _report(s.found)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_hand_over_screens_pass_axe_and_fit(page: Page, tenant, viewport):
    made = tenant(SCENARIO)
    s = Screens(page, viewport)
    portal = PortalPage(page, made, "Fabrikam")
    portal.sign_in("alex@fabrikam.com", osVersion="17.5", authenticator="1").begin()
    portal.choose("I own this device").choose("Secure work-related apps and data only")
    portal.accept_privacy().expect_screen("Continue in Settings")
    s.check("Continue in Settings")
    portal.sign_in("wendy@fabrikam.com", osVersion="17.5", authenticator="1").begin()
    portal.expect_screen("Continue in Safari")
    s.check("Continue in Safari")
    page.get_by_role("link", name="Open enrollment website").click()
    expect(page.get_by_label("Email")).to_be_visible()
    assert not s.found, _report(s.found)


def _tab_to(page: Page, name: str | re.Pattern[str], limit: int = 40) -> None:
    """Tab forwards until the focused control's accessible text matches, as a keyboard user does."""
    page.wait_for_load_state()
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => { const e = document.activeElement; const label = e.labels && e.labels[0];"
            " return (e.getAttribute('aria-label') || (label && label.innerText) || e.innerText"
            " || '').trim(); }"
        )
        if name.search(text) if isinstance(name, re.Pattern) else text == name:
            return
    raise AssertionError(f"{name!r} is not reachable with Tab")


def test_both_flows_by_keyboard_alone(page: Page, tenant):
    made = tenant(SCENARIO)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{_settings_url(made)}?osVersion=17.5")
    _tab_to(page, "General")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="VPN & Device Management")).to_be_visible()
    _tab_to(page, SIGN_IN_WORK)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Managed Apple Account")).to_be_visible()
    page.get_by_label("Managed Apple Account").focus()  # the first field, as a Tab would reach
    page.keyboard.type("grace@fabrikam.com")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()  # the sheet takes focus
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Allow Remote Management")).to_be_visible()
    _tab_to(page, "Allow Remote Management")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="MANAGED ACCOUNT")).to_be_visible()

    # Authenticator installed: Done leads straight to You're all set!
    page.goto(f"{_web_url(made)}?serialNumber=F2LXKEY00001&authenticator=1")
    _tab_to(page, "Email")
    page.keyboard.type("wendy@fabrikam.com")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    steps = [
        ("Allow", "Download management profile"),
        ("Install", "Profile Downloaded"),
        ("Install", "Install Profile"),
        ("Trust", "Remote Management"),
        ("Done", "Profile Installed"),
    ]
    for name, screen in steps:
        expect(page.get_by_role("heading", name=screen, exact=True)).to_be_visible()
        _tab_to(page, name)
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="You're all set!")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_dark_mode_and_the_presenter_view_on_the_today_screens(page: Page, tenant, viewport):
    made = tenant(SCENARIO)
    page.emulate_media(color_scheme="dark")
    s = Screens(page, viewport)
    page.goto(f"{_settings_url(made)}?osVersion=17.5&present=1")
    expect(page.locator("body.present")).to_have_count(1)
    expect(page.locator(".sim-bar")).to_be_hidden()
    s.check("dark, presenter view: Settings")
    s.button("General").click()
    expect(page.locator("body.present")).to_have_count(1)
    s.check("dark, presenter view: VPN & Device Management")
    page.goto(f"{_web_url(made)}?serialNumber=F2LXDARK0001")
    expect(page.locator("body.present")).to_have_count(1)
    s.check("dark, presenter view: web sign-in")
    page.goto(f"{_web_url(made)}?present=0")
    expect(page.locator("body.present")).to_have_count(0)
    s.check("dark: web sign-in")
    assert not s.found, _report(s.found)
