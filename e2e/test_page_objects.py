"""The plugin's page objects against the real Company Portal and admin console.

Each test gets its own tenant from the plugin's `enrollsim_tenant` (deleted afterwards), so the
page objects are exercised exactly as a suite that copies `examples/` would use them.
"""

from __future__ import annotations

import pytest

from app.testing.pages import ALL_SET, PortalPage

PASSWORD = "Passw0rd!"
COMPANY = "Contoso <Labs>"


def scenario(*profiles: dict, **user: object) -> dict:
    return {
        "company": COMPANY,
        "users": [
            {"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": PASSWORD, **user}
        ],
        "groups": [{"name": "Staff", "members": ["alex@contoso.com"]}],
        "profiles": list(profiles),
    }


CHOICE = {"name": "BYOD <Choice>", "requireUserChoice": True, "assign": {"include": ["Staff"]}}


def screens(tenant) -> list[str]:
    return [e["detail"]["screen"] for e in tenant.events(type="portal.screen")]


def test_company_answer_walks_the_device_enrollment_path(enrollsim_tenant, enrollsim_portal):
    tenant = enrollsim_tenant(scenario(CHOICE))
    portal = enrollsim_portal(tenant, model="iPhone", osVersion="17.5")
    portal.sign_in("alex@contoso.com", PASSWORD)
    portal.answer_owner("company")
    text = portal.finish()
    assert ALL_SET in text and "Device Enrollment" in text
    [device] = tenant.devices()
    assert (device["deviceEnrollmentType"], device["ownerAnswer"]) == ("userEnrollment", "company")
    assert screens(tenant) == [
        "setUpAccess", "owner", "privacy", "download.prompt", "install.settings",
        "install.install", "install.trust", "install.installed", "done",
    ]  # fmt: skip


def test_work_only_walks_the_user_enrollment_path(enrollsim_tenant, enrollsim_portal):
    tenant = enrollsim_tenant(scenario(CHOICE))
    portal = enrollsim_portal(tenant, model="iPad", osVersion="17.5")
    portal.sign_in("alex@contoso.com", PASSWORD)
    portal.answer_owner("personal")
    portal.answer_scope("workOnly")
    text = portal.finish()
    assert ALL_SET in text and "User Enrollment" in text
    [device] = tenant.devices()
    assert device["deviceEnrollmentType"] == "appleUserEnrollment"
    assert (device["ownerAnswer"], device["securityScope"]) == ("personal", "workOnly")
    assert screens(tenant)[:5] == [
        "setUpAccess", "owner", "scope", "authenticator.store", "authenticator.installed",
    ]  # fmt: skip
    assert screens(tenant)[-2:] == ["install.appleId", "done"]


def test_entire_device_and_no_question_paths(enrollsim_tenant, enrollsim_portal):
    tenant = enrollsim_tenant(scenario(CHOICE))
    portal = enrollsim_portal(tenant, authenticator="1")
    portal.sign_in("alex@contoso.com", PASSWORD).answer_owner("personal")
    portal.answer_scope("entireDevice").finish()
    auto = enrollsim_tenant(scenario({**CHOICE, "requireUserChoice": False}))
    enrollsim_portal(auto).sign_in("alex@contoso.com", PASSWORD).finish()
    assert [d["deviceEnrollmentType"] for d in tenant.devices()] == ["userEnrollment"]
    assert [d["deviceEnrollmentType"] for d in auto.devices()] == ["appleUserEnrollment"]


def test_finish_says_where_the_walk_stopped(enrollsim_tenant, enrollsim_portal):
    tenant = enrollsim_tenant(scenario(CHOICE))
    portal = enrollsim_portal(tenant, osVersion="13.0")
    portal.sign_in("alex@contoso.com", PASSWORD).answer_owner("personal")
    with pytest.raises(AssertionError, match="stopped before") as stopped:
        portal.answer_scope("workOnly").finish()
    assert "UserEnrollmentUnsupportedOsVersion" in str(stopped.value)
    assert tenant.devices() == []


def test_a_failed_sign_in_stays_on_the_sign_in_screen(enrollsim_tenant, enrollsim_portal):
    tenant = enrollsim_tenant(scenario(CHOICE))
    portal: PortalPage = enrollsim_portal(tenant)
    with pytest.raises(AssertionError, match="couldn.t sign you in"):
        portal.sign_in("alex@contoso.com", "wrong")
    [event] = tenant.events(type="portal.signInFailed")
    assert event["detail"]["reason"] == "wrong password"


def test_profile_list_reads_and_reorders_by_the_keyboard_buttons(
    enrollsim_tenant, enrollsim_profiles
):
    names = ["BYOD <Choice>", "Sales UE", "Corporate DE"]
    tenant = enrollsim_tenant(
        scenario(*({"name": n, "assign": {"include": ["Staff"]}} for n in names))
    )
    profiles = enrollsim_profiles(tenant)
    assert profiles.names() == names
    profiles.move_down("BYOD <Choice>")
    assert profiles.names() == ["Sales UE", "BYOD <Choice>", "Corporate DE"]
    profiles.move_up("Corporate DE")
    assert profiles.names() == ["Sales UE", "Corporate DE", "BYOD <Choice>"]
    profiles.move_up("Sales UE")  # already first: nothing moves
    assert profiles.names() == ["Sales UE", "Corporate DE", "BYOD <Choice>"]
    exported = [p["name"] for p in tenant.scenario()["profiles"]]  # in priority order
    assert exported == ["Sales UE", "Corporate DE", "BYOD <Choice>"]
