"""Company Portal in a real browser: each test makes its own tenant, walks at its portalUrl with
the device in the query string, then reads the recorded devices back through the control API."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.pages.portal import CORPORATE_SERIAL, PortalPage, devices, profile, scenario

UNKNOWN_SERIAL = "C39UNKNOWN01"
READY = {"authenticator": "1", "serialNumber": UNKNOWN_SERIAL}


def only_device(sim_url: str, made: dict) -> dict:
    recorded = devices(sim_url, made)
    assert len(recorded) == 1, recorded
    return recorded[0]


# ---- the three answer paths, with the full Settings-app ceremony ------------------------


def test_company_owns_path_is_device_enrollment_but_personal(page: Page, tenant, sim_url):
    made = tenant(scenario(profiles=[profile("BYOD Choice")]))
    portal = PortalPage(page, made).sign_in(serialNumber=UNKNOWN_SERIAL)
    portal.begin().answer("company").accept_privacy().device_enrollment_ceremony()
    portal.expect_done("Device Enrollment", "BYOD Choice", "Personal")
    device = only_device(sim_url, made)
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert device["enrollmentProfileName"] == "BYOD Choice"
    assert device["managedDeviceOwnerType"] == "personal"  # the documented 2019 known issue
    assert device["ownerAnswer"] == "company" and device["serialNumber"] == UNKNOWN_SERIAL


def test_personal_entire_device_path(page: Page, tenant, sim_url):
    made = tenant(scenario(profiles=[profile("BYOD Choice")]))
    portal = PortalPage(page, made).sign_in(**READY)
    portal.begin().answer("personal", "entireDevice").accept_privacy()
    portal.device_enrollment_ceremony().expect_done("Device Enrollment", "BYOD Choice", "Personal")
    device = only_device(sim_url, made)
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert (device["ownerAnswer"], device["securityScope"]) == ("personal", "entireDevice")


def test_personal_work_only_path_is_user_enrollment(page: Page, tenant, sim_url):
    made = tenant(scenario(profiles=[profile("BYOD Choice")]))
    portal = PortalPage(page, made).sign_in(serialNumber=UNKNOWN_SERIAL, imei="352099001761481")
    portal.begin().answer("personal", "workOnly").download_authenticator().accept_privacy()
    portal.user_enrollment_ceremony().expect_done("User Enrollment", "BYOD Choice", "Personal")
    device = only_device(sim_url, made)
    assert device["deviceEnrollmentType"] == "appleUserEnrollment"
    assert device["serialNumber"] == device["imei"] == device["udid"] == ""
    assert device["securityScope"] == "workOnly"


def test_ipad_user_enrollment_ceremony(page: Page, tenant, sim_url):
    made = tenant(scenario(profiles=[profile("BYOD UE", choice=False)]))
    portal = PortalPage(page, made).sign_in(model="iPad", osVersion="16.4", authenticator="1")
    portal.begin().accept_privacy().user_enrollment_ceremony(model="iPad")
    portal.expect_done("User Enrollment", "BYOD UE", "Personal")
    device = only_device(sim_url, made)
    assert (device["model"], device["operatingSystem"], device["osVersion"]) == (
        "iPad", "iPadOS", "16.4",
    )  # fmt: skip
    assert device["deviceName"] == "Alex's iPad"


# ---- automatic types, no profile, exclusion, priority -----------------------------------


def test_auto_user_enrollment_asks_nothing(page: Page, tenant, sim_url):
    made = tenant(scenario(profiles=[profile("Sales UE", choice=False)], fastProfileInstall=True))
    portal = PortalPage(page, made).sign_in(**READY).begin()
    portal.accept_privacy().fast_install().expect_done("User Enrollment", "Sales UE", "Personal")
    assert only_device(sim_url, made)["deviceEnrollmentType"] == "appleUserEnrollment"


def test_auto_device_enrollment_on_a_corporate_serial_is_company(page: Page, tenant, sim_url):
    doc = scenario(
        profiles=[profile("Corporate DE", choice=False, default="device")],
        identifiers=(CORPORATE_SERIAL,),
        fastProfileInstall=True,
    )
    made = tenant(doc)
    portal = PortalPage(page, made).sign_in(serialNumber=CORPORATE_SERIAL).begin()
    portal.accept_privacy().fast_install().expect_done(
        "Device Enrollment", "Corporate DE", "Corporate"
    )
    device = only_device(sim_url, made)
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert device["managedDeviceOwnerType"] == "company"
    assert device["ownerAnswer"] is None


def test_no_profile_is_device_enrollment_with_empty_name(page: Page, tenant, sim_url):
    made = tenant(scenario(fastProfileInstall=True))
    portal = PortalPage(page, made).sign_in(**READY).begin()
    portal.accept_privacy().fast_install().expect_done("Device Enrollment", "None", "Personal")
    device = only_device(sim_url, made)
    assert device["enrollmentProfileName"] == ""
    assert device["deviceEnrollmentType"] == "userEnrollment"


def test_excluded_user_gets_the_next_profile(page: Page, tenant, sim_url):
    groups = [
        {"name": "Staff", "members": ["alex@contoso.com"]},
        {"name": "Contractors", "members": ["alex@contoso.com"]},
    ]
    profiles = [
        profile("BYOD Choice", include=["Staff"], exclude=["Contractors"]),
        profile("Everyone DE", choice=False, default="device", include=["all"]),
    ]
    made = tenant(scenario(groups=groups, profiles=profiles, fastProfileInstall=True))
    portal = PortalPage(page, made).sign_in(**READY)
    expect(page.get_by_text("excluded by group Contractors")).to_be_attached()
    portal.begin().accept_privacy().fast_install()
    portal.expect_done("Device Enrollment", "Everyone DE", "Personal")
    assert only_device(sim_url, made)["enrollmentProfileName"] == "Everyone DE"


def test_priority_conflict_the_higher_priority_profile_applies(page: Page, tenant, sim_url):
    groups = [
        {"name": "BYOD Users", "members": ["alex@contoso.com"]},
        {"name": "Sales", "members": ["alex@contoso.com"]},
    ]
    profiles = [
        profile("Sales UE", choice=False, include=["Sales"]),
        profile("BYOD Choice", include=["BYOD Users"]),
    ]
    made = tenant(scenario(groups=groups, profiles=profiles, fastProfileInstall=True))
    portal = PortalPage(page, made).sign_in(**READY).begin()
    portal.accept_privacy().fast_install().expect_done("User Enrollment", "Sales UE", "Personal")
    assert only_device(sim_url, made)["enrollmentProfileName"] == "Sales UE"


# ---- corporate identifiers and ownership behaviour --------------------------------------


def test_i_own_entire_device_on_corporate_serial_is_company(page: Page, tenant, sim_url):
    doc = scenario(profiles=[profile("BYOD Choice")], identifiers=(CORPORATE_SERIAL,))
    made = tenant({**doc, "settings": {"fastProfileInstall": True}})
    portal = PortalPage(page, made).sign_in(serialNumber=CORPORATE_SERIAL)
    portal.begin().answer("personal", "entireDevice").accept_privacy().fast_install()
    portal.expect_done("Device Enrollment", "BYOD Choice", "Corporate")
    device = only_device(sim_url, made)
    assert (device["ownerAnswer"], device["managedDeviceOwnerType"]) == ("personal", "company")


def test_company_owns_on_unknown_serial_is_personal(page: Page, tenant, sim_url):
    doc = scenario(profiles=[profile("BYOD Choice")], identifiers=(CORPORATE_SERIAL,))
    made = tenant({**doc, "settings": {"fastProfileInstall": True}})
    portal = PortalPage(page, made).sign_in(serialNumber=UNKNOWN_SERIAL)
    portal.begin().answer("company").accept_privacy().fast_install()
    portal.expect_done("Device Enrollment", "BYOD Choice", "Personal")
    device = only_device(sim_url, made)
    assert (device["ownerAnswer"], device["managedDeviceOwnerType"]) == ("company", "personal")


def test_ga_2020_reflects_the_answer(page: Page, tenant, sim_url):
    doc = scenario(
        profiles=[profile("BYOD Choice")],
        identifiers=(CORPORATE_SERIAL,),
        ownershipBehavior="ga-2020",
        fastProfileInstall=True,
    )
    made = tenant(doc)
    portal = PortalPage(page, made).sign_in(serialNumber=UNKNOWN_SERIAL)
    portal.begin().answer("company").accept_privacy().fast_install()
    portal.expect_done("Device Enrollment", "BYOD Choice", "Corporate")
    expect(page.get_by_text("Ownership behaviour ga-2020")).to_be_visible()
    assert only_device(sim_url, made)["managedDeviceOwnerType"] == "company"


# ---- errors, postpone, cancel: nothing recorded ------------------------------------------


@pytest.mark.parametrize(
    ("settings", "code", "heading"),
    [
        ({"mdmAuthority": "unknown"}, "MdmAuthorityNotDefined",
         "IT admin needs to set MDM authority"),
        ({"apnsCertificateExpires": "2021-06-30"}, "APNSCertificateNotValid",
         "This Service is not supported. No Enrollment Policy."),
    ],
)  # fmt: skip
def test_prerequisite_errors(page: Page, tenant, sim_url, settings, code, heading):
    made = tenant(scenario(profiles=[profile("BYOD Choice")], **settings))
    portal = PortalPage(page, made).sign_in()
    portal.expect_screen(heading).expect_error(code)
    assert devices(sim_url, made) == []


def test_old_os_user_enrollment_error(page: Page, tenant, sim_url):
    made = tenant(scenario(profiles=[profile("BYOD Choice")]))
    portal = PortalPage(page, made).sign_in(osVersion="12.4")
    portal.begin().answer("personal", "workOnly")
    expect(
        page.get_by_text("User Enrollment requires iOS 13.1 or iPadOS 13.1 or later.")
    ).to_be_visible()
    portal.expect_error("UserEnrollmentUnsupportedOsVersion")
    assert devices(sim_url, made) == []


def test_managed_apple_id_missing_error(page: Page, tenant, sim_url):
    users = [{"upn": "isaiah@contoso.com", "displayName": "Isaiah Langer",
              "password": "Passw0rd!", "managedAppleId": False}]  # fmt: skip
    groups = [{"name": "Staff", "members": ["isaiah@contoso.com"]}]
    made = tenant(scenario(users=users, groups=groups, profiles=[profile("UE", choice=False)]))
    portal = PortalPage(page, made).sign_in("isaiah@contoso.com", **READY)
    portal.begin().accept_privacy().user_enrollment_ceremony()
    expect(
        page.get_by_text("This Managed Apple ID can't be used for User Enrollment.")
    ).to_be_visible()
    portal.expect_error("ManagedAppleIdMissing")
    assert devices(sim_url, made) == []


def test_postpone_records_nothing(page: Page, tenant, sim_url):
    made = tenant(scenario(profiles=[profile("BYOD Choice")]))
    portal = PortalPage(page, made).sign_in()
    portal.expect_screen("Set up Contoso access").button("Postpone").click()
    portal.expect_screen("Enrollment postponed")
    assert devices(sim_url, made) == []


@pytest.mark.parametrize("kind", ["user", "device"])
def test_cancel_and_delete_profile_records_nothing(page: Page, tenant, sim_url, kind):
    made = tenant(scenario(profiles=[profile("P", choice=False, default=kind)]))
    portal = PortalPage(page, made).sign_in(**READY).begin().accept_privacy().allow_download()
    portal.button("Cancel and Delete Profile" if kind == "user" else "Cancel").click()
    portal.expect_screen("Management profile deleted")
    assert devices(sim_url, made) == []


def test_device_panel_edits_travel_with_sign_in_and_into_the_url(page: Page, tenant, sim_url):
    made = tenant(scenario(fastProfileInstall=True))
    portal = PortalPage(page, made).open(serialNumber="F2LX1234")
    page.get_by_label("Model").select_option("iPad")
    page.get_by_label("OS version").fill("16.4")
    page.get_by_label("OS version").blur()
    expect(page).to_have_url(re.compile(r"model=iPad.*osVersion=16\.4.*serialNumber=F2LX1234"))
    portal.sign_in_here().begin().accept_privacy().fast_install()
    portal.expect_screen("You're all set!")
    device = only_device(sim_url, made)
    assert (device["model"], device["osVersion"]) == ("iPad", "16.4")


def test_wrong_password_shows_an_error(page: Page, tenant, sim_url):
    made = tenant(scenario())
    PortalPage(page, made).sign_in(password="nope")
    expect(page.get_by_role("alert")).to_have_text(
        "We couldn't sign you in. Check your email and password and try again."
    )
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()


def test_owner_question_needs_an_answer(page: Page, tenant):
    made = tenant(scenario(profiles=[profile("BYOD Choice")]))
    portal = PortalPage(page, made).sign_in().begin()
    portal.button("Continue").click()
    expect(page.get_by_role("alert")).to_have_text("Choose who owns this device.")
    portal.answer("company").expect_screen("Device management and privacy")


# ---- back button, refresh and two browsers ------------------------------------------------


def test_double_click_back_and_refresh_never_make_a_second_device(page: Page, tenant, sim_url):
    made = tenant(scenario(profiles=[profile("DE", choice=False, default="device")]))
    portal = PortalPage(page, made).sign_in(**READY).begin().accept_privacy().allow_download()
    portal.button("Install").click()
    portal.button("Trust").click()
    portal.button("Done").dblclick()  # double submit of the step that records the device
    portal.expect_done("Device Enrollment", "DE", "Personal")
    page.reload()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("You're all set!")
    assert len(devices(sim_url, made)) == 1


def test_two_browser_contexts_walk_at_once(browser: Browser, tenant, sim_url):
    made = tenant(scenario(profiles=[profile("BYOD Choice")], fastProfileInstall=True))
    one, two = browser.new_context(), browser.new_context()
    try:
        a = PortalPage(one.new_page(), made).sign_in(serialNumber="AAAA00000001").begin()
        b = PortalPage(two.new_page(), made).sign_in(serialNumber="BBBB00000002").begin()
        a.answer("company")
        b.answer("personal", "entireDevice")
        b.accept_privacy().fast_install()
        a.accept_privacy().fast_install()
        a.expect_done("Device Enrollment", "BYOD Choice", "Personal")
        b.expect_done("Device Enrollment", "BYOD Choice", "Personal")
    finally:
        one.close()
        two.close()
    recorded = sorted(devices(sim_url, made), key=lambda d: d["serialNumber"])
    assert [(d["serialNumber"], d["ownerAnswer"]) for d in recorded] == [
        ("AAAA00000001", "company"),
        ("BBBB00000002", "personal"),
    ]


def test_a_walk_url_opened_in_another_browser_is_not_found(browser: Browser, tenant):
    made = tenant(scenario(profiles=[profile("BYOD Choice")]))
    one, two = browser.new_context(), browser.new_context()
    try:
        mine = PortalPage(one.new_page(), made).sign_in(serialNumber="AAAA00000001").begin()
        stranger = two.new_page()
        stranger.goto(mine.page.url)
        expect(stranger.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(stranger.get_by_text("started in another browser session")).to_be_visible()
        expect(stranger.get_by_text("Alex")).to_have_count(0)
        stranger.get_by_role("button", name="Start again").click()
        expect(stranger.get_by_label("Email", exact=True)).to_be_visible()
        mine.page.reload()  # the owner's walk goes on where it was
        expect(mine.page.get_by_role("radio", name="I own this device")).to_be_visible()
    finally:
        one.close()
        two.close()
