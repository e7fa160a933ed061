"""The demo tenant tells the story the README promises, user by user (scenarios/demo.yaml)."""

from __future__ import annotations

import pytest

from app.enrollment import wording
from tests.portal_walker import DEVICE_CEREMONY, USER_CEREMONY, Walker

CORPORATE_SERIAL = "F2LXC0RP0001"


@pytest.fixture
def demo(client):
    def walker() -> Walker:
        w = Walker(client, {"id": "default"})
        w.base = "/portal/"
        return w

    return walker


@pytest.mark.parametrize(
    ("upn", "answers", "ceremony", "expected"),
    [
        # alex: asked; "Contoso owns this device" on an unknown serial → still personal
        ("alex", [("continue", "company")], DEVICE_CEREMONY,
         ("userEnrollment", "BYOD Choice", "personal")),
        # megan: in BYOD Users and Sales; BYOD Choice has the higher priority
        ("megan", [("continue", "personal"), ("continue", "workOnly"), "downloadAuthenticator",
                   "continue"], USER_CEREMONY,
         ("appleUserEnrollment", "BYOD Choice", "personal")),
        # lee: Sales User Enrollment, no questions
        ("lee", ["downloadAuthenticator", "continue"], USER_CEREMONY,
         ("appleUserEnrollment", "Sales User Enrollment", "personal")),
        # nestor: excluded from BYOD Choice by Contractors, no other profile → none
        ("nestor", [], DEVICE_CEREMONY, ("userEnrollment", "", "personal")),
        # patti: in no group → no profile
        ("patti", [], DEVICE_CEREMONY, ("userEnrollment", "", "personal")),
    ],
)  # fmt: skip
def test_demo_users(demo, upn, answers, ceremony, expected):
    w = demo().sign_in(f"{upn}@contoso.com", serialNumber="C39DEMO00001")
    w.walk("begin", *answers, "continue", *ceremony)
    assert w.heading == wording.ALL_SET
    device = w.devices()[-1]
    assert device["userPrincipalName"] == f"{upn}@contoso.com"
    got = (
        device["deviceEnrollmentType"],
        device["enrollmentProfileName"],
        device["managedDeviceOwnerType"],
    )
    assert got == expected


def test_megan_sees_why_priority_decided(demo):
    w = demo().sign_in("megan@contoso.com")
    assert "a higher-priority profile (BYOD Choice) applies" in w.page


def test_diego_on_the_corporate_serial_is_company(demo):
    w = demo().sign_in("diego@contoso.com", serialNumber=CORPORATE_SERIAL)
    w.walk("begin", "continue", *DEVICE_CEREMONY)
    device = w.devices()[-1]
    assert device["enrollmentProfileName"] == "Corporate Device Enrollment"
    assert device["managedDeviceOwnerType"] == "company"
    assert device["serialNumber"] == CORPORATE_SERIAL


def test_isaiah_has_no_managed_apple_id(demo):
    w = demo().sign_in("isaiah@contoso.com", authenticator="1")
    w.walk("begin", ("continue", "personal"), ("continue", "workOnly"), "continue", *USER_CEREMONY)
    assert "ManagedAppleIdMissing" in w.page
    assert w.devices() == []
