"""Page object for the Company Portal walk, and small builders for the scenarios the tests post."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import requests
from playwright.sync_api import Page, expect

PASSWORD = "Passw0rd!"
CORPORATE_SERIAL = "F2LXC0RP0001"


def scenario(
    *,
    company: str = "Contoso",
    profiles: list[dict] | None = None,
    users: list[dict] | None = None,
    groups: list[dict] | None = None,
    identifiers: tuple[str, ...] = (),
    **settings: Any,
) -> dict:
    """A small tenant: alex in group Staff, the given profiles, corporate serial numbers."""
    return {
        "company": company,
        "settings": settings,
        "users": users or [{"upn": "alex@contoso.com", "displayName": "Alex Wilber",
                            "password": PASSWORD}],
        "groups": groups
        if groups is not None
        else [{"name": "Staff", "members": ["alex@contoso.com"]}],
        "profiles": profiles or [],
        "corporateIdentifiers": [{"type": "serialNumber", "value": v} for v in identifiers],
    }  # fmt: skip


def profile(name: str, *, choice: bool = True, default: str = "user", **assign) -> dict:
    return {
        "name": name,
        "requireUserChoice": choice,
        "defaultEnrollmentType": default,
        "assign": assign or {"include": ["Staff"]},
    }


def devices(sim_url: str, tenant: dict) -> list[dict]:
    """The tenant's recorded devices, read back through the control API."""
    response = requests.get(f"{sim_url}/_sim/tenants/{tenant['id']}/scenario", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["devices"]


class PortalPage:
    """One device walking through Company Portal for one tenant."""

    def __init__(self, page: Page, tenant: dict, company: str = "Contoso") -> None:
        self.page = page
        self.tenant = tenant
        self.company = company

    # -- screens 1-3 ------------------------------------------------------------------------
    def open(self, **device: str) -> PortalPage:
        query = f"?{urlencode(device)}" if device else ""
        self.page.goto(self.tenant["portalUrl"] + query)
        expect(self.heading("Sign in")).to_be_visible()
        return self

    def sign_in(self, email: str = "alex@contoso.com", password: str = PASSWORD, **device):
        return self.open(**device).sign_in_here(email, password)

    def sign_in_here(self, email: str = "alex@contoso.com", password: str = PASSWORD):
        """Sign in on the open page, with whatever the Simulated device panel holds."""
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.button("Sign in").click()
        return self

    def heading(self, name: str):
        return self.page.get_by_role("heading", name=name, exact=True)

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def expect_screen(self, heading: str) -> PortalPage:
        expect(self.heading(heading)).to_be_visible()
        return self

    def begin(self) -> PortalPage:
        self.expect_screen(f"Set up {self.company} access")
        self.button("Begin").click()
        return self

    # -- screens 4-7 ------------------------------------------------------------------------
    def choose(self, option: str) -> PortalPage:
        """Pick a radio option of screen 4 or 5 by its label, then Continue."""
        self.expect_screen("Select device and enrollment type")
        self.page.get_by_role("radio", name=option, exact=True).check()
        self.button("Continue").click()
        return self

    def answer(self, owner: str | None, scope: str | None = None) -> PortalPage:
        """owner: company | personal; scope: entireDevice | workOnly (after personal)."""
        if owner == "company":
            return self.choose(f"{self.company} owns this device")
        if owner == "personal":
            self.choose("I own this device")
            return self.choose(
                "Secure entire device" if scope == "entireDevice"
                else "Secure work-related apps and data only"
            )  # fmt: skip
        return self

    def download_authenticator(self) -> PortalPage:
        self.expect_screen("Download Microsoft Authenticator")
        self.button("Download from App Store").click()
        expect(self.page.get_by_text("Microsoft Authenticator is installed.")).to_be_visible()
        self.button("Continue").click()
        return self

    def accept_privacy(self) -> PortalPage:
        self.expect_screen("Device management and privacy")
        self.button("Continue").click()
        return self

    # -- screens 8-10 -----------------------------------------------------------------------
    def fast_install(self) -> PortalPage:
        self.expect_screen("Download management profile")
        self.button("Install management profile").click()
        return self

    def allow_download(self) -> PortalPage:
        self.expect_screen("Download management profile")
        self.button("Allow").click()
        self.expect_screen("How to install Management Profile")
        self.button(f"Enroll in {self.company}").click()
        return self

    def user_enrollment_ceremony(self, model: str = "iPhone") -> PortalPage:
        self.allow_download()
        self.button(f"Enroll My {model}").click()
        self.managed_apple_id_sign_in()
        return self

    def managed_apple_id_sign_in(self, password: str = PASSWORD) -> PortalPage:
        """The Managed Apple ID sheet asks for the work account's password."""
        self.page.get_by_label("Password", exact=True).fill(password)
        self.button("Sign In").click()
        return self

    def device_enrollment_ceremony(self) -> PortalPage:
        self.allow_download()
        self.button("Install").click()
        self.button("Trust").click()
        self.button("Done").click()
        return self

    def expect_done(self, enrollment_type: str, profile_name: str, ownership: str):
        self.expect_screen("You're all set!")
        outcome = self.page.get_by_label("Outcome", exact=True)
        expect(outcome).to_contain_text(enrollment_type)
        expect(outcome).to_contain_text(profile_name)
        expect(outcome).to_contain_text(ownership)
        return self

    def expect_error(self, code: str) -> PortalPage:
        expect(self.page.locator(".error-code")).to_have_text(f"Error code: {code}")
        return self
