"""axe-core on every page and state of both faces, at 1366x768 and 390x844: no serious or
critical violation. Each test walks many states and asserts once, listing every state that
failed, so one run shows everything to fix."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.accessibility import check
from e2e.pages.portal import CORPORATE_SERIAL, PortalPage, profile, scenario

VIEWPORTS = [pytest.param((1366, 768), id="1366x768"), pytest.param((390, 844), id="390x844")]
SCENARIO = scenario(
    profiles=[profile("BYOD Choice", choice=True)],
    identifiers=(CORPORATE_SERIAL,),
    users=[
        {"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": "Passw0rd!"},
        {"upn": "isaiah@contoso.com", "displayName": "Isaiah Langer", "password": "Passw0rd!",
         "managedAppleId": False},
    ],
    groups=[
        {"name": "Staff", "members": ["alex@contoso.com", "isaiah@contoso.com"]},
        {"name": "Choice devices", "kind": "device",
         "rule": '(device.enrollmentProfileName -eq "BYOD Choice")'},
    ],
)  # fmt: skip


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{state}:\n  " + "\n  ".join(lines) for state, lines in found.items())


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_portal_screen_passes_axe(page: Page, tenant, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    made = tenant(SCENARIO)
    found: dict[str, list[str]] = {}
    portal = PortalPage(page, made)

    portal.open(serialNumber="C39AXE000001")
    check(page, "sign in", found)
    page.get_by_label("Password").fill("wrong")
    page.get_by_label("Email").fill("alex@contoso.com")
    portal.button("Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "sign-in refused", found)

    # User Enrollment: every screen and Settings-app sheet of the longest walk.
    portal.sign_in(serialNumber="C39AXE000001").expect_screen("Set up Contoso access")
    check(page, "set up access", found)
    portal.button("Begin").click()
    portal.button("Continue").click()  # no answer: the question shows its error
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "owner question, refused", found)
    portal.choose("I own this device")
    check(page, "scope question", found)
    portal.choose("Secure work-related apps and data only").expect_screen(
        "Download Microsoft Authenticator"
    )
    check(page, "authenticator", found)
    portal.download_authenticator().expect_screen("Device management and privacy")
    check(page, "privacy", found)
    portal.button("Continue").click()
    portal.expect_screen("Download management profile")
    check(page, "Safari prompt", found)
    portal.button("Ignore").click()
    check(page, "download ignored", found)
    portal.button("Download again").click()
    portal.button("Allow").click()
    check(page, "Settings app", found)
    portal.button("Enroll in Contoso").click()
    check(page, "User Enrollment sheet", found)
    portal.button("Enroll My iPhone").click()
    check(page, "Managed Apple ID", found)
    portal.managed_apple_id_sign_in()
    portal.expect_screen("You're all set!")
    check(page, "all set (User Enrollment)", found)
    page.get_by_role("link", name="Show the full decision trace").click()
    expect(page.get_by_role("heading", level=1, name="Decision trace")).to_be_visible()
    check(page, "full decision trace", found)

    # Device Enrollment's Settings-app sheets, on a corporate serial number.
    portal.sign_in(serialNumber=CORPORATE_SERIAL, authenticator="1").begin()
    portal.choose("Contoso owns this device").accept_privacy()
    portal.button("Allow").click()
    portal.button("Enroll in Contoso").click()
    check(page, "Install Profile", found)
    portal.button("Install").click()
    check(page, "Remote Management", found)
    portal.button("Trust").click()
    check(page, "Profile Installed", found)
    portal.button("Done").click()
    portal.expect_screen("You're all set!")
    check(page, "all set (Device Enrollment)", found)

    # The ways a walk ends early.
    portal.sign_in(serialNumber="C39AXE000001").begin()
    portal.choose("I own this device").choose("Secure work-related apps and data only")
    portal.download_authenticator().accept_privacy()
    portal.button("Allow").click()
    portal.button("Enroll in Contoso").click()
    portal.button("Cancel and Delete Profile").click()
    portal.expect_screen("Management profile deleted")
    check(page, "cancelled", found)
    portal.sign_in(serialNumber="C39AXE000001")
    portal.expect_screen("Set up Contoso access").button("Postpone").click()
    portal.expect_screen("Enrollment postponed")
    check(page, "postponed", found)
    portal.sign_in("isaiah@contoso.com", authenticator="1", osVersion="17.5").begin()
    portal.choose("I own this device").choose("Secure work-related apps and data only")
    portal.accept_privacy().button("Allow").click()
    portal.button("Enroll in Contoso").click()
    portal.button("Enroll My iPhone").click()
    portal.managed_apple_id_sign_in()
    portal.expect_error("ManagedAppleIdMissing")
    check(page, "error screen", found)
    page.goto(made["portalUrl"] + "walk/not-a-walk")
    check(page, "portal 404", found)
    page.goto(made["portalUrl"] + "?osVersion=abc")
    check(page, "bad device settings", found)

    assert not found, _report(found)


def _admin_pages(page: Page, admin: str, found: dict[str, list[str]]) -> None:
    def visit(path: str, state: str) -> None:
        page.goto(admin + path)
        check(page, state, found)

    for path, state in [
        ("", "profiles"),
        ("profiles/new/basics", "wizard: Basics"),
        ("users", "users"),
        ("users/new", "new user"),
        ("groups", "groups"),
        ("groups/new", "new group"),
        ("devices", "devices"),
        ("tenant", "tenant administration"),
        ("branding", "customization"),
        ("branding/new", "new branding profile"),
        ("check", "check a user"),
        ("check?upn=alex%40contoso.com&osVersion=12.4", "check a user: trace"),
        ("activity", "activity"),
        ("no-such-page", "console 404"),
    ]:
        visit(path, state)
    page.goto(admin + "profiles/new/basics")
    page.get_by_role("button", name="Next").click()
    check(page, "wizard: Basics refused", found)
    page.get_by_label("Name", exact=True).fill("Kiosks")
    page.get_by_role("button", name="Next").click()
    check(page, "wizard: Settings", found)
    page.get_by_role("button", name="Next").click()
    check(page, "wizard: Assignments", found)
    page.get_by_role("button", name="Next").click()
    check(page, "wizard: Review + create", found)
    page.goto(admin)
    page.get_by_role("link", name="BYOD Choice", exact=True).click()
    check(page, "profile page", found)
    page.get_by_role("link", name="Edit").first.click()
    check(page, "profile: edit", found)
    page.goto(admin + "users")
    page.get_by_role("link", name="Alex Wilber", exact=True).click()
    check(page, "user page", found)
    page.goto(admin + "groups")
    page.get_by_role("link", name="Choice devices", exact=True).click()
    check(page, "dynamic group page", found)
    page.goto(admin + "devices")
    page.locator("table.grid tbody a").first.click()
    check(page, "device page", found)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_console_page_passes_axe(page: Page, tenant, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    made = tenant(SCENARIO)
    PortalPage(page, made).sign_in(authenticator="1").begin().choose(
        "Contoso owns this device"
    ).accept_privacy().allow_download()
    for name in ("Install", "Trust", "Done"):
        page.get_by_role("button", name=name, exact=True).click()
    found: dict[str, list[str]] = {}
    _admin_pages(page, made["adminUrl"], found)
    assert not found, _report(found)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_dark_mode_and_the_presenter_view_pass_axe(page: Page, tenant, sim_url, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.emulate_media(color_scheme="dark")
    made = tenant({**SCENARIO, "settings": {"fastProfileInstall": True}})
    found: dict[str, list[str]] = {}
    page.goto(sim_url + "/")
    check(page, "dark: landing page", found)
    portal = PortalPage(page, made).sign_in(serialNumber="C39AXE000002", authenticator="1")
    check(page, "dark: set up access", found)
    portal.begin().choose("I own this device").choose("Secure entire device").accept_privacy()
    portal.fast_install().expect_screen("You're all set!")
    check(page, "dark: all set with the outcome", found)
    page.goto(made["portalUrl"] + "?present=1&osVersion=13.0")
    expect(page.locator("body.present")).to_have_count(1)
    expect(page.locator(".sim-bar")).to_be_hidden()
    portal.sign_in_here().begin().choose("I own this device")
    portal.choose("Secure work-related apps and data only").expect_error(
        "UserEnrollmentUnsupportedOsVersion"
    )
    check(page, "dark, presenter view: error", found)
    page.goto(made["portalUrl"] + "?present=0")
    expect(page.locator("body.present")).to_have_count(0)
    admin = made["adminUrl"]
    for path, state in [
        ("", "dark: profiles"),
        ("tenant", "dark: tenant administration"),
        ("devices", "dark: devices"),
        ("check?upn=alex%40contoso.com", "dark: check a user"),
        ("activity", "dark: activity"),
        ("profiles/new/basics", "dark: wizard"),
    ]:
        page.goto(admin + path)
        check(page, state, found)
    assert not found, _report(found)
