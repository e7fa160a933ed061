"""Web-based device enrollment in a browser (enrollment-today.md §4), by role and name."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

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


def test_chrome_is_told_safari_is_required(page: Page, tenant):
    made = tenant(SCENARIO)
    page.goto(f"{_web_url(made)}?browser=chrome")
    expect(page.get_by_role("heading", name="Safari is required")).to_be_visible()
    expect(page.get_by_text("Safari browser is the only supported browser")).to_be_visible()
