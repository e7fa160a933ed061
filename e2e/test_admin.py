"""The admin console in a browser: wizard, priority by mouse and keyboard, edit, delete, devices,
identifiers. Each test has its own tenant."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect

from e2e.pages.admin import ProfilesPage
from tests.people import ALEX, BYOD_USERS, CORPORATE_IPADS, MEGAN, SALES
from tests.people import THREE_PROFILES as PROFILES

USERS = [ALEX, MEGAN]
GROUPS = [BYOD_USERS, SALES, CORPORATE_IPADS]
THREE_PROFILES = {"users": USERS, "groups": GROUPS, "profiles": PROFILES}


def applied_profile(page: Page, admin_url: str, upn: str) -> str:
    """Which profile a user gets, read from the Check a user page."""
    page.goto(admin_url)
    page.get_by_role("link", name="Check a user").click()
    page.get_by_label("User", exact=True).select_option(value=upn)
    page.get_by_role("button", name="Check").click()
    verdict = page.locator(".verdict strong")
    expect(verdict).to_be_visible()
    return verdict.inner_text()


def test_create_a_profile_through_the_wizard_and_it_applies(page: Page, tenant, sim_url):
    made = tenant({"users": USERS, "groups": GROUPS})
    profiles = ProfilesPage(page, made["adminUrl"]).open()
    wizard = profiles.create()
    wizard.next()  # Basics refuses to move on while empty
    expect(page.get_by_text("Enter a name.")).to_be_visible()
    expect(page.get_by_text("Enter a description.")).to_be_visible()
    wizard.basics("BYOD Choice", "Let people choose")
    wizard.settings(require="Required")
    wizard.assignments(include=["BYOD Users"])
    review = page.locator(".wizard-panel")
    for shown in ("BYOD Choice", "Let people choose", "Required", "Selected groups", "BYOD Users"):
        expect(review).to_contain_text(shown)
    # Nothing is saved before Create.
    state = requests.get(f"{sim_url}/_sim/tenants/{made['id']}/scenario", timeout=10).json()
    assert state["profiles"] == []
    wizard.create()
    expect(page.get_by_role("status")).to_contain_text(
        "Profile BYOD Choice created with priority 1."
    )
    profiles.open().expect_order(["BYOD Choice"])
    state = requests.get(f"{sim_url}/_sim/tenants/{made['id']}/scenario", timeout=10).json()
    assert state["profiles"][0]["name"] == "BYOD Choice"
    assert state["profiles"][0]["requireUserChoice"] is True
    assert state["profiles"][0]["assign"]["include"] == ["BYOD Users"]
    assert applied_profile(page, made["adminUrl"], "alex@contoso.com") == "BYOD Choice"
    expect(page.locator(".trace")).to_contain_text("Who owns this device?")


def test_reorder_by_drag_and_drop(page: Page, tenant):
    made = tenant(THREE_PROFILES)
    assert applied_profile(page, made["adminUrl"], "megan@contoso.com") == "BYOD Choice"
    profiles = ProfilesPage(page, made["adminUrl"]).open()
    profiles.drag("Corp DE", onto="BYOD Choice")
    profiles.expect_order(["Corp DE", "BYOD Choice", "Sales UE"])
    expect(page.get_by_role("status")).to_contain_text("Priority saved")
    page.reload()
    profiles.expect_order(["Corp DE", "BYOD Choice", "Sales UE"])
    assert applied_profile(page, made["adminUrl"], "megan@contoso.com") == "Corp DE"


def test_reorder_with_the_keyboard_buttons(page: Page, tenant):
    made = tenant(THREE_PROFILES)
    profiles = ProfilesPage(page, made["adminUrl"]).open()
    profiles.move("Sales UE", "up")
    expect(page.get_by_role("status")).to_contain_text("Sales UE now has priority 1.")
    profiles.move("BYOD Choice", "down")
    page.reload()
    profiles.expect_order(["Sales UE", "Corp DE", "BYOD Choice"])
    expect(page.get_by_role("button", name="Move Sales UE up")).to_be_disabled()
    assert applied_profile(page, made["adminUrl"], "megan@contoso.com") == "Sales UE"
    assert applied_profile(page, made["adminUrl"], "alex@contoso.com") == "Corp DE"


def test_edit_and_delete_a_profile(page: Page, tenant):
    made = tenant(THREE_PROFILES)
    profiles = ProfilesPage(page, made["adminUrl"]).open()
    page.get_by_role("link", name="BYOD Choice").click()
    page.get_by_role("region", name="Settings").get_by_role("link", name="Edit").click()
    page.get_by_role("radio", name="Not configured").check()
    page.get_by_label("Default enrollment type").select_option(label="Device enrollment")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Settings of BYOD Choice saved.")
    expect(page.get_by_role("region", name="Settings")).to_contain_text("Not configured")
    page.get_by_role("region", name="Basics").get_by_role("link", name="Edit").click()
    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Enter a name.")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("BYOD Corporate")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="BYOD Corporate")).to_be_visible()
    page.get_by_role("link", name="Delete").click()
    expect(
        page.get_by_text("Are you sure you want to delete the profile BYOD Corporate?")
    ).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_contain_text("Profile BYOD Corporate deleted.")
    profiles.expect_order(["Sales UE", "Corp DE"])


def test_a_device_group_is_refused(page: Page, tenant):
    made = tenant({"users": USERS, "groups": GROUPS})
    wizard = ProfilesPage(page, made["adminUrl"]).open().create()
    wizard.basics("Devices", "Try a device group")
    wizard.settings()
    wizard.assignments(include=["Corporate iPads"])
    expect(page.get_by_role("group", name="Included groups")).to_contain_text(
        "Device groups aren't supported for User Enrollment scenarios because the feature is "
        "based on user identities, rather than devices."
    )
    wizard.expect_tab("Assignments")


def test_admin_changes_a_devices_ownership(page: Page, tenant, sim_url):
    device = {
        "userPrincipalName": "alex@contoso.com",
        "deviceName": "Alex's iPhone",
        "model": "iPhone",
        "osVersion": "17.0",
        "serialNumber": "F2LX0001",
        "deviceEnrollmentType": "userEnrollment",
        "enrollmentProfileName": "BYOD Choice",
        "managedDeviceOwnerType": "personal",
        "ownerAnswer": "company",
        "securityScope": None,
    }
    made = tenant({"users": USERS, "groups": GROUPS, "devices": [device]})
    page.goto(made["adminUrl"])
    page.get_by_role("link", name="Devices").click()
    expect(page.get_by_role("row", name=re.compile("Alex's iPhone"))).to_contain_text("Personal")
    page.get_by_role("link", name="Alex's iPhone").click()
    page.get_by_label("Device ownership").select_option(label="Corporate")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Device ownership of Alex's iPhone set to Corporate."
    )
    page.reload()
    expect(page.get_by_label("Device ownership")).to_have_value("company")
    state = requests.get(f"{sim_url}/_sim/tenants/{made['id']}/scenario", timeout=10).json()
    assert state["devices"][0]["managedDeviceOwnerType"] == "company"
    page.get_by_role("link", name="Activity").click()
    expect(page.locator("table.activity tbody tr").first).to_contain_text("device.ownership")


def test_import_identifiers_with_one_bad_line(page: Page, tenant, tmp_path):
    made = tenant({})
    csv_file = tmp_path / "serials.csv"
    csv_file.write_text("AAA111,Front desk\nBB/22,Broken\nCCC333,Spare\n")
    page.goto(made["adminUrl"])
    page.get_by_role("link", name="Tenant administration").click()
    importer = page.get_by_role("form", name="Import identifiers")
    importer.get_by_label("CSV file").set_input_files(str(csv_file))
    importer.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Line 2: 'BB/22' is not a serial number")).to_be_visible()
    expect(page.get_by_text("Nothing was imported.")).to_be_visible()
    expect(page.locator("#identifiers table")).to_contain_text("No corporate identifiers.")
    csv_file.write_text("AAA111,Front desk\nBB22,Fixed\nCCC333,Spare\n")
    importer.get_by_label("CSV file").set_input_files(str(csv_file))
    importer.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("3 serial numbers imported.")
    expect(page.locator("#identifiers table")).to_contain_text("BB22")


def test_dynamic_rule_preview_points_at_the_bad_token(page: Page, tenant):
    made = tenant({"users": USERS, "groups": GROUPS})
    page.goto(made["adminUrl"])
    page.get_by_role("link", name="Groups").click()
    page.get_by_role("link", name="New group").click()
    page.get_by_label("Group type").select_option(label="Device")
    page.get_by_label("Membership type").select_option(label="Dynamic device")
    page.get_by_label("Membership rule").fill(
        '(device.deviceModel -eq "iPad") -and (device.colour -eq "x")'
    )
    expect(page.locator("[data-rule-status]")).to_contain_text("unknown property 'device.colour'")
    expect(page.locator("[data-rule-pointer] mark")).to_have_text("device.colour")
    page.get_by_label("Membership rule").fill('(device.deviceModel -eq "iPad")')
    expect(page.locator("[data-rule-status]")).to_contain_text("Valid rule")


def test_a_new_user_added_to_a_group_gets_its_profile(page: Page, tenant):
    made = tenant(THREE_PROFILES)
    page.goto(made["adminUrl"])
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="New user").click()
    page.get_by_label("User principal name").fill("lee@contoso.com")
    page.get_by_label("Display name").fill("<b>Lee</b> Gu")
    page.get_by_label("Password").fill("Passw0rd!")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("status")).to_contain_text(
        "User <b>Lee</b> Gu (lee@contoso.com) created."
    )
    expect(page.get_by_role("heading", name="<b>Lee</b> Gu")).to_be_visible()
    assert applied_profile(page, made["adminUrl"], "lee@contoso.com") == "Corp DE"  # All users
    page.get_by_role("link", name="Groups").click()
    page.get_by_role("link", name="Sales").click()
    page.get_by_label("Add member").select_option(label="<b>Lee</b> Gu (lee@contoso.com)")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("status")).to_contain_text("lee@contoso.com added to Sales.")
    assert applied_profile(page, made["adminUrl"], "lee@contoso.com") == "Sales UE"
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="<b>Lee</b> Gu").click()
    page.get_by_role("button", name="Disable account").click()
    expect(page.get_by_role("status")).to_contain_text("<b>Lee</b> Gu disabled.")
    page.get_by_role("link", name="Check which profile applies").click()
    expect(page.get_by_text("This account is disabled")).to_be_visible()
