"""Company Portal in `current` (enrollment-today.md §2): the hand-over screens to Settings and to
Safari, the refusal of profile-based User Enrollment, the iOS 15 fall-backs — and the same
profiles in the earlier releases, which walk as before."""

from __future__ import annotations

from html import unescape

import pytest

from app.enrollment import wording
from app.enrollment.company_portal import Step, WalkContext, WalkState, advance, start
from app.enrollment.releases import route
from app.enrollment.resolve import EnrollmentType, ProfileFacts
from tests.portal_walker import (
    DEVICE_CEREMONY,
    USER_CEREMONY,
    Walker,
    profile,
    scenario,
)
from tests.walking import READY


def _tenant(new_tenant, release: str, *profiles: dict):
    return new_tenant(scenario(profiles=list(profiles), intuneRelease=release))


def _failures(client, tenant_id: str) -> list[str]:
    events = client.get(f"/_sim/tenants/{tenant_id}/events", query_string={"type": "portal.failed"})
    return [e["detail"]["code"] for e in events.get_json()["value"]]


def test_work_only_hands_over_to_settings_after_the_privacy_screen(client, new_tenant):
    made = _tenant(new_tenant, "current", profile())
    walker = Walker(client, made).sign_in(authenticator="1")
    walker.walk("begin", ("continue", "personal"), ("continue", "workOnly"))
    assert walker.heading == wording.PRIVACY
    assert wording.PRIVACY_INTRO["accountDrivenUserEnrollment"] in unescape(walker.page)
    walker.walk("continue")
    assert walker.heading == "Continue in Settings"
    page = unescape(walker.page)
    assert (
        "To finish, open Settings > General > VPN & Device Management and sign in with your work "
        "or school account." in page
    )
    settings_link = f'href="/t/{made["id"]}/settings/?'
    assert settings_link in walker.page and "upn=alex%40contoso.com" in walker.page
    assert "serialNumber=C39XK0000001" in walker.page
    assert wording.OPEN_SETTINGS in page
    assert walker.devices() == []  # the Settings app records the device, not Company Portal


def test_an_account_driven_profile_hands_over_without_questions(client, new_tenant):
    made = _tenant(
        new_tenant, "current", profile(choice=False, default="accountDrivenUserEnrollment")
    )
    walker = Walker(client, made).sign_in().walk("begin", "continue")
    assert walker.heading == "Continue in Settings"


def test_a_web_profile_hands_over_to_safari(client, new_tenant):
    made = _tenant(new_tenant, "current", profile(choice=False, default="webDeviceEnrollment"))
    walker = Walker(client, made).sign_in().walk("begin")
    assert walker.heading == "Continue in Safari"
    assert f'href="/t/{made["id"]}/enrollment/webenrollment/ios?' in walker.page
    assert wording.OPEN_ENROLLMENT_WEBSITE in walker.page
    assert walker.devices() == []


def test_a_user_profile_is_refused_in_current_and_nothing_is_recorded(client, new_tenant):
    made = _tenant(new_tenant, "current", profile(choice=False, default="user"))
    walker = Walker(client, made).sign_in(authenticator="1")
    assert walker.heading == "This enrollment method is no longer supported"
    assert (
        "User enrollment with Company Portal isn't available for newly enrolled devices. "
        "Contact your IT admin." in unescape(walker.page)
    )
    assert "UserEnrollmentWithCompanyPortalUnsupported" in walker.page
    assert walker.devices() == []
    assert _failures(client, made["id"]) == ["UserEnrollmentWithCompanyPortalUnsupported"]


@pytest.mark.parametrize("release", ["preview-2019", "ga-2020"])
def test_a_user_profile_still_enrolls_before_current(client, new_tenant, release):
    made = _tenant(new_tenant, release, profile(choice=False, default="user"))
    walker = Walker(client, made).sign_in(authenticator="1")
    walker.walk("begin", "continue", *USER_CEREMONY)
    assert walker.heading == "You're all set!"
    (device,) = walker.devices()
    assert device["deviceEnrollmentType"] == "appleUserEnrollment"


@pytest.mark.parametrize("release", ["preview-2019", "ga-2020"])
def test_work_only_is_user_enrollment_before_current(client, new_tenant, release):
    made = _tenant(new_tenant, release, profile())
    walker = Walker(client, made).sign_in(authenticator="1")
    walker.walk("begin", ("continue", "personal"), ("continue", "workOnly"), "continue")
    walker.walk(*USER_CEREMONY)
    (device,) = walker.devices()
    assert device["deviceEnrollmentType"] == "appleUserEnrollment"
    assert device["managedDeviceOwnerType"] == "personal"


def test_ios_14_falls_back_to_user_enrollment_with_company_portal(client, new_tenant):
    made = _tenant(new_tenant, "current", profile())
    walker = Walker(client, made).sign_in(osVersion="14.8", authenticator="1")
    walker.walk("begin", ("continue", "personal"), ("continue", "workOnly"), "continue")
    walker.walk(*USER_CEREMONY)
    (device,) = walker.devices()
    assert device["deviceEnrollmentType"] == "appleUserEnrollment"
    assert "falls back to User Enrollment" in str(device["decisionTrace"])


def test_ios_14_web_profile_falls_back_to_device_enrollment(client, new_tenant):
    made = _tenant(new_tenant, "current", profile(choice=False, default="webDeviceEnrollment"))
    walker = Walker(client, made).sign_in(osVersion="14.8")
    walker.walk("begin", "continue", *DEVICE_CEREMONY)
    (device,) = walker.devices()
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert device["serialNumber"] == "C39XK0000001"


def test_current_reflects_the_answer_in_ownership(client, new_tenant):
    made = _tenant(new_tenant, "current", profile())
    walker = Walker(client, made).sign_in()
    walker.walk("begin", ("continue", "company"), "continue", *DEVICE_CEREMONY)
    (device,) = walker.devices()
    assert device["managedDeviceOwnerType"] == "company"


def _facts(choice: bool, default: str) -> ProfileFacts:
    return ProfileFacts("p", "P", 0, choice, default, all_users=True)


@pytest.mark.parametrize("os_version", ["14.8", "15.0", "17.5"])
@pytest.mark.parametrize("release", ["preview-2019", "ga-2020", "current"])
@pytest.mark.parametrize(
    "default", ["user", "device", "accountDrivenUserEnrollment", "webDeviceEnrollment"]
)
def test_the_walk_follows_the_release_route(release, default, os_version):
    routed = route(release, default, os_version)
    walk_context = WalkContext.for_profile(
        _facts(False, default),
        release=release,
        model="iPhone",
        os_version=os_version,
        has_managed_apple_id=True,
        authenticator_installed=True,
        fast_install=False,
    )
    assert WalkState.from_dict(start(walk_context, READY).to_dict()).context == walk_context
    state = start(walk_context, READY)
    if routed.refused:
        assert (state.step, state.error_code) == (Step.ERROR, routed.error)
        return
    state = advance(state, "begin")
    expected = Step.CONTINUE_IN_SAFARI if routed.via_web else Step.PRIVACY
    assert state.step is expected and state.enrollment_type is routed.enrollment_type
    if expected is Step.PRIVACY:
        after = advance(state, "continue").step
        handed_over = routed.enrollment_type is EnrollmentType.ACCOUNT_DRIVEN
        assert after is (Step.CONTINUE_IN_SETTINGS if handed_over else Step.DOWNLOAD)


def test_the_ownership_reason_names_the_current_release(client, new_tenant):
    made = _tenant(new_tenant, "current", profile())
    walker = Walker(client, made).sign_in()
    walker.walk("begin", ("continue", "company"), "continue", *DEVICE_CEREMONY)
    (device,) = walker.devices()
    reason = device["decisionTrace"]["outcome"]["ownershipReason"]
    assert reason.startswith("current (owns as ga-2020): the user's answer (company)")
