"""Web-based device enrollment in a browser (enrollment-today.md §4), by role and name."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.accessibility import check

PASSWORD = "Passw0rd!"
SCENARIO = {
    "company": "Fabrikam",
    "settings": {"intuneRelease": "current"},
    "users": [{"upn": "wendy@fabrikam.com", "displayName": "Wendy Chen", "password": PASSWORD}],
    "profiles": [
        {
            "name": "Web",
            "defaultEnrollmentType": "webDeviceEnrollment",
            "assign": {"include": "all"},
        }
    ],
}
# Kept beside the traces (git-ignored); docs/img holds the README copies.
SHOTS = Path(__file__).resolve().parent.parent / "test-results"


def _web_url(made: dict) -> str:
    return made["portalUrl"].replace("/portal/", "/enrollment/webenrollment/ios")


def test_web_enrollment_from_sign_in_to_all_set(page: Page, tenant):
    made = tenant(SCENARIO)
    page.goto(f"{_web_url(made)}?serialNumber=F2LXWEB00001")
    page.get_by_label("Email").fill("wendy@fabrikam.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("configuration profile")
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_role("heading", name="Profile Downloaded")).to_be_visible()
    page.get_by_role("button", name="Install").click()
    page.get_by_role("button", name="Install").click()
    page.get_by_role("button", name="Trust").click()
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("heading", name="Waiting for Microsoft Authenticator")).to_be_visible()
    page.get_by_role("button", name="Install").click()
    page.get_by_role("button", name="Recheck").click()
    expect(page.get_by_role("heading", name="You're all set!")).to_be_visible()
    expect(page.get_by_text("F2LXWEB00001")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "web-enrollment-done.png"))


# The screen's scroll region does not scroll, and its controls lie inside the phone and the window
# (on a phone the panel follows below the screen, so only the phone's own box counts).
_FITS = """() => {
  const body = document.querySelector('.device-screen .screen-body');
  const screen = document.querySelector('.device-screen').getBoundingClientRect();
  const out = [...document.querySelectorAll('.device-screen :is(a, button, input)')]
    .filter((el) => el.type !== 'hidden' && el.getClientRects().length)
    .filter((el) => { const r = el.getBoundingClientRect();
      return r.top < Math.max(screen.top, 0) - 1
        || r.bottom > Math.min(screen.bottom, innerHeight) + 1; })
    .map((el) => el.innerText.trim());
  return {scrolls: body.scrollHeight > body.clientHeight + 1, out};
}"""


def _walk_to_all_set(page: Page, made: dict, serial: str, more: str = "") -> None:
    page.goto(f"{_web_url(made)}?serialNumber={serial}&authenticator=1{more}")
    page.get_by_label("Email").fill("wendy@fabrikam.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for name in ("Allow", "Install", "Install", "Trust", "Done"):
        page.get_by_role("button", name=name).click()
    expect(page.get_by_role("heading", name="You're all set!")).to_be_visible()


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)], ids=["1366x768", "390x844"])
def test_all_set_is_drawn_as_the_real_last_screen(page: Page, tenant, viewport):
    """Large tick, the sentence, every step of the web flow ticked, Start again prominent; axe
    clean, nothing to scroll, reached by keyboard."""
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    made = tenant(SCENARIO)
    _walk_to_all_set(page, made, "F2LXDONE0001")
    screen = page.locator(".device-screen")
    expect(screen.locator(".all-set-check svg")).to_be_visible()
    expect(screen.get_by_text("You should now have access to your email")).to_be_visible()
    steps = screen.get_by_role("list", name="Completed set up steps").get_by_role("listitem")
    expect(steps).to_have_text(
        [
            "Sign in",
            "Download management profile",
            "Install management profile",
            "Install Microsoft Authenticator",
        ]
    )
    expect(screen.get_by_role("link", name="Start again")).to_have_class("btn btn-primary")
    found: dict[str, list[str]] = {}
    check(page, f"web enrollment: You're all set! at {viewport}", found)
    assert not found, found
    fits = page.evaluate(_FITS)
    assert fits == {"scrolls": False, "out": []}, fits
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"web-enrollment-done-{viewport[0]}x{viewport[1]}.png"))
    page.locator("body").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText.trim()") == "Start again":
            break
    else:
        raise AssertionError("Start again is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email")).to_be_visible()


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)], ids=["1366x768", "390x844"])
def test_all_set_in_dark_mode_and_the_presenter_view(page: Page, tenant, viewport):
    """The phone's screen stays light in dark mode; the presenter's larger phone still fits."""
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    _walk_to_all_set(page, tenant(SCENARIO), "F2LXDONE0002", "&present=1")
    expect(page.locator("body.present")).to_have_count(1)
    found: dict[str, list[str]] = {}
    check(page, f"web enrollment, dark, presenter view: You're all set! at {viewport}", found)
    assert not found, found
    assert page.evaluate(_FITS) == {"scrolls": False, "out": []}
    SHOTS.mkdir(exist_ok=True)
    name = f"web-enrollment-done-dark-present-{viewport[0]}x{viewport[1]}.png"
    page.screenshot(path=str(SHOTS / name))


def test_chrome_is_told_safari_is_required(page: Page, tenant):
    made = tenant(SCENARIO)
    page.goto(f"{_web_url(made)}?browser=chrome")
    expect(page.get_by_role("heading", name="Safari is required")).to_be_visible()
    expect(page.get_by_text("Safari browser is the only supported browser")).to_be_visible()
