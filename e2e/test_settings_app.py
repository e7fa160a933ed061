"""The simulated Settings app in a browser (enrollment-today.md §3): from Company Portal's
hand-over to the managed account, by role and accessible name."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

PASSWORD = "Passw0rd!"
SCENARIO = {
    "company": "Fabrikam",
    "settings": {"intuneRelease": "current"},
    "users": [{"upn": "alex@fabrikam.com", "displayName": "Alex Wilber", "password": PASSWORD}],
    "groups": [{"name": "BYOD", "members": ["alex@fabrikam.com"]}],
    "profiles": [{"name": "BYOD Choice", "requireUserChoice": True, "assign": {"include": "BYOD"}}],
}
# Kept beside the traces (git-ignored); docs/img holds the README copies.
SHOTS = Path(__file__).resolve().parent.parent / "test-results"


def test_company_portal_hands_over_and_settings_enrolls(page: Page, tenant):
    made = tenant(SCENARIO)
    page.goto(f"{made['portalUrl']}?osVersion=17.5&authenticator=1")
    page.get_by_label("Email").fill("alex@fabrikam.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Begin").click()
    page.get_by_role("radio", name="I own this device").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("radio", name="Secure work-related apps and data only").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Continue in Settings")).to_be_visible()
    page.get_by_role("button", name="Open Settings").click()

    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    page.get_by_role("button", name="General").click()
    page.get_by_role("button", name=re.compile("^Sign In to Work or School Account")).click()
    expect(page.get_by_label("Managed Apple Account")).to_have_value("alex@fabrikam.com")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Allow Remote Management")).to_be_visible()
    page.get_by_role("button", name="Allow Remote Management").click()
    expect(page.get_by_role("heading", name="MANAGED ACCOUNT")).to_be_visible()
    expect(page.get_by_text("appleAccountDrivenUserEnrollment")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "settings-app-managed.png"))


def test_sign_in_failed_for_a_user_without_an_account_driven_profile(page: Page, tenant):
    made = tenant({**SCENARIO, "profiles": []})
    settings = made["portalUrl"].replace("/portal/", "/settings/")
    page.goto(f"{settings}?osVersion=17.5")
    page.get_by_role("button", name="General").click()
    page.get_by_role("button", name=re.compile("^Sign In to Work or School Account")).click()
    page.get_by_label("Managed Apple Account").fill("alex@fabrikam.com")
    page.get_by_role("button", name="Continue").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Sign-in Failed")
    expect(dialog).to_contain_text("Your Apple ID does not support the expected services")
    page.get_by_role("button", name="OK").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
