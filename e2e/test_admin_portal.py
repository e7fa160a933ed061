"""Console and Company Portal together: a profile made in the wizard decides the walk-through,
and the device it records shows up in Devices for the admin to manage."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.admin import ProfilesPage

# The Company Portal is built on its own branch; these run wherever it has been merged.
pytest.importorskip("app.portal.walks", reason="the Company Portal is not in this tree yet")
from e2e.pages.portal import PASSWORD, PortalPage, devices  # noqa: E402

SCENARIO = {
    "settings": {"fastProfileInstall": True},
    "users": [{"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": PASSWORD}],
    "groups": [{"name": "BYOD Users", "members": ["alex@contoso.com"]}],
}


def test_a_wizard_profile_applies_in_the_portal(page: Page, tenant, sim_url):
    made = tenant(SCENARIO)
    wizard = ProfilesPage(page, made["adminUrl"]).open().create()
    wizard.basics("BYOD Choice", "Let people choose")
    wizard.settings(require="Required")
    wizard.assignments(include=["BYOD Users"])
    wizard.create()
    expect(page.get_by_role("status")).to_contain_text("Profile BYOD Choice created")

    portal = PortalPage(page, made)
    portal.sign_in(serialNumber="C39PERSONAL1", authenticator="1").begin()
    expect(page.get_by_text("Who owns this device?")).to_be_visible()
    portal.answer("personal", "workOnly").accept_privacy().fast_install()
    portal.expect_done("User Enrollment", "BYOD Choice", "Personal")
    recorded = devices(sim_url, made)
    assert [(d["enrollmentProfileName"], d["deviceEnrollmentType"]) for d in recorded] == [
        ("BYOD Choice", "appleUserEnrollment")
    ]

    page.goto(made["adminUrl"])
    page.get_by_role("link", name="Devices").click()
    row = page.get_by_role("row", name=f"{recorded[0]['deviceName']}")
    expect(row).to_contain_text("User enrollment")
    expect(row).to_contain_text("BYOD Choice")
    row.get_by_role("link").click()
    trace = page.get_by_role("region", name="Decision trace at enrollment")
    expect(trace).to_contain_text("BYOD Choice applies")
    actions = page.get_by_role("group", name="Device actions")
    expect(actions.get_by_role("button", name="Wipe")).to_have_count(0)
    actions.get_by_role("button", name="Remote lock").click()
    expect(page.get_by_role("status")).to_contain_text("Remote lock sent to")
    results = page.get_by_role("region", name="Remote actions")
    expect(results.get_by_role("row", name="Remote lock Done")).to_be_visible()
    page.get_by_label("Device ownership").select_option(label="Corporate")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("set to Corporate")
    assert devices(sim_url, made)[0]["managedDeviceOwnerType"] == "company"


def test_reordering_changes_what_the_portal_asks(page: Page, tenant):
    made = tenant(
        {
            **SCENARIO,
            "profiles": [
                {"name": "BYOD Choice", "requireUserChoice": True,
                 "assign": {"include": ["BYOD Users"]}},
                {"name": "Corp DE", "requireUserChoice": False, "defaultEnrollmentType": "device",
                 "assign": {"include": ["all"]}},
            ],
        }
    )  # fmt: skip
    profiles = ProfilesPage(page, made["adminUrl"]).open()
    profiles.move("Corp DE", "up")
    profiles.expect_order(["Corp DE", "BYOD Choice"])
    portal = PortalPage(page, made)
    portal.sign_in(serialNumber="C39PERSONAL2").begin()
    portal.accept_privacy().fast_install()  # no ownership question: Corp DE applies now
    portal.expect_done("Device Enrollment", "Corp DE", "Personal")
