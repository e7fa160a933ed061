"""The decision table in a browser: profile kind × answers × corporate identifier or not × both
ownership behaviours. Fast profile install keeps each walk to a few clicks; the expected outcome
is worked out here from spec §2-§5, independently of the simulator's code."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from e2e.pages.portal import CORPORATE_SERIAL, PortalPage, devices, profile, scenario

UNKNOWN_SERIAL = "C39UNKNOWN01"
PROFILES = {
    "choice": profile("BYOD Choice", choice=True),
    "autoUser": profile("Sales UE", choice=False, default="user"),
    "autoDevice": profile("Corporate DE", choice=False, default="device"),
    "none": None,
}
ANSWERS = {
    "choice": [("company", None), ("personal", "entireDevice"), ("personal", "workOnly")],
    "autoUser": [(None, None)],
    "autoDevice": [(None, None)],
    "none": [(None, None)],
}
ROWS = [
    pytest.param(kind, owner, scope, corporate, behavior,
                 id=f"{kind}-{owner or 'noAnswer'}-{scope or 'noScope'}-"
                    f"{'corporate' if corporate else 'unknown'}-{behavior}")
    for kind, answers in ANSWERS.items()
    for owner, scope in answers
    for corporate in (True, False)
    for behavior in ("preview-2019", "ga-2020")
]  # fmt: skip


def expected(kind: str, owner: str | None, scope: str | None, corporate: bool, behavior: str):
    """(deviceEnrollmentType, enrollmentProfileName, managedDeviceOwnerType) by the spec."""
    if kind == "choice":
        user_enrollment = owner == "personal" and scope == "workOnly"
    else:
        user_enrollment = kind == "autoUser"
    name = PROFILES[kind]["name"] if PROFILES[kind] else ""
    if behavior == "ga-2020" and owner is not None:
        ownership = owner
    elif corporate and not user_enrollment:  # User Enrollment reports no serial number
        ownership = "company"
    else:
        ownership = "personal"
    return ("appleUserEnrollment" if user_enrollment else "userEnrollment", name, ownership)


@pytest.mark.parametrize(("kind", "owner", "scope", "corporate", "behavior"), ROWS)
def test_decision_table(page: Page, tenant, sim_url, kind, owner, scope, corporate, behavior):
    doc = scenario(
        profiles=[PROFILES[kind]] if PROFILES[kind] else [],
        identifiers=(CORPORATE_SERIAL,),
        ownershipBehavior=behavior,
        fastProfileInstall=True,
    )
    made = tenant(doc)
    serial = CORPORATE_SERIAL if corporate else UNKNOWN_SERIAL
    portal = PortalPage(page, made).sign_in(serialNumber=serial, authenticator="1").begin()
    portal.answer(owner, scope).accept_privacy().fast_install()
    portal.expect_screen("You're all set!")
    [device] = devices(sim_url, made)
    got = (
        device["deviceEnrollmentType"],
        device["enrollmentProfileName"],
        device["managedDeviceOwnerType"],
    )
    assert got == expected(kind, owner, scope, corporate, behavior)
    assert (device["ownerAnswer"], device["securityScope"]) == (owner, scope)
