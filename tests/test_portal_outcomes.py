"""What a Company Portal walk records: one device per completed walk, with the enrollment type,
profile name and ownership of spec §4-§5; nothing else for failed or abandoned walks."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from app.store import EnrollmentProfile, JournalEvent, ManagedDevice, db, transaction
from tests.conftest import csrf_token
from tests.portal_walker import DEVICE_CEREMONY, USER_CEREMONY, Walker, profile, scenario

CORPORATE = "F2LXC0RP0001"


@pytest.fixture
def walker(client, new_tenant):
    def make(doc: dict | None = None) -> Walker:
        return Walker(client, new_tenant(doc if doc is not None else scenario()))

    return make


def test_user_enrollment_record(walker, app):
    w = walker(scenario(profiles=[profile()], identifiers=[CORPORATE]))
    w.sign_in(serialNumber=CORPORATE, imei="352099001761481", authenticator="1")
    w.walk("begin", ("continue", "personal"), ("continue", "workOnly"), "continue", *USER_CEREMONY)
    [device] = w.devices()
    assert device["deviceEnrollmentType"] == "appleUserEnrollment"
    assert device["enrollmentProfileName"] == "BYOD Choice"
    # User Enrollment reports no serial number or IMEI, so the corporate serial cannot match.
    assert device["managedDeviceOwnerType"] == "personal"
    assert device["serialNumber"] == device["imei"] == device["udid"] == ""
    assert device["ownerAnswer"] == "personal" and device["securityScope"] == "workOnly"
    assert device["deviceName"] == "Alex's iPhone" and device["operatingSystem"] == "iOS"
    with app.app_context():
        record = db.session.scalar(select(ManagedDevice))
        assert record.trace["appliedProfile"]["name"] == "BYOD Choice"
        assert record.trace["outcome"]["managedDeviceOwnerType"] == "personal"
        assert record.profile_id == record.trace["appliedProfile"]["id"]


def test_device_enrollment_record_collects_identifiers(walker):
    w = walker(scenario(profiles=[profile("Corp", choice=False, default="device")]))
    w.sign_in(model="iPad", osVersion="17.4", serialNumber="dmpx1234", imei="352099001761481")
    w.walk("begin", "continue", *DEVICE_CEREMONY)
    [device] = w.devices()
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert device["enrollmentProfileName"] == "Corp"
    assert device["serialNumber"] == "DMPX1234" and device["imei"] == "352099001761481"
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{16}", device["udid"])
    assert device["operatingSystem"] == "iPadOS" and device["deviceName"] == "Alex's iPad"
    assert device["ownerAnswer"] is None and device["securityScope"] is None


def test_no_profile_is_device_enrollment_with_empty_profile_name(walker):
    w = walker().sign_in().walk("begin", "continue", *DEVICE_CEREMONY)
    [device] = w.devices()
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert device["enrollmentProfileName"] == ""
    assert device["managedDeviceOwnerType"] == "personal"


@pytest.mark.parametrize(
    ("behavior", "serial", "answers", "owner"),
    [
        # preview-2019: the answer never touches ownership, identifiers decide.
        ("preview-2019", "UNKNOWN0001", [("continue", "company")], "personal"),
        (
            "preview-2019",
            CORPORATE,
            [("continue", "personal"), ("continue", "entireDevice")],
            "company",
        ),
        ("preview-2019", CORPORATE, [("continue", "company")], "company"),
        # ga-2020: the answer is reflected.
        ("ga-2020", "UNKNOWN0001", [("continue", "company")], "company"),
        (
            "ga-2020",
            CORPORATE,
            [("continue", "personal"), ("continue", "entireDevice")],
            "personal",
        ),
    ],
)
def test_ownership_follows_identifiers_not_the_answer_in_preview(
    walker, behavior, serial, answers, owner
):
    doc = scenario(profiles=[profile()], identifiers=[CORPORATE], ownershipBehavior=behavior)
    w = walker(doc).sign_in(serialNumber=serial)
    w.walk("begin", *answers, "continue", *DEVICE_CEREMONY)
    [device] = w.devices()
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert device["managedDeviceOwnerType"] == owner


def test_double_submit_and_back_button_make_one_device(walker, app):
    w = walker(scenario(profiles=[profile(choice=False, default="device")])).sign_in()
    w.walk("begin", "continue", "allow", "openProfile", "install", "trust")
    last = {"csrf_token": csrf_token(w.page), "step": w.step, "action": "finishInstall"}
    first = w.post(last)
    second = w.post(last)  # double submit
    assert first.status_code == second.status_code == 303
    back = w.post({**last, "step": "setUpAccess", "action": "begin"})  # back to screen 3
    assert back.status_code == 303
    page = w.client.get(w.url).get_data(as_text=True)
    assert "You&#39;re all set!" in page
    assert len(w.devices()) == 1
    with app.app_context():
        enrolled = db.session.scalars(
            select(JournalEvent).where(JournalEvent.type == "portal.enrolled")
        ).all()
        assert len(enrolled) == 1


def test_two_browsers_walk_at_once(app, new_tenant):
    tenant = new_tenant(scenario(profiles=[profile()]))
    one, two = Walker(app.test_client(), tenant), Walker(app.test_client(), tenant)
    one.sign_in(serialNumber="AAAA00000001").press("begin")
    two.sign_in(serialNumber="BBBB00000002").press("begin")
    one.press("continue", "company")
    two.press("continue", "personal").press("continue", "entireDevice")
    one.walk("continue", *DEVICE_CEREMONY)
    two.walk("continue", *DEVICE_CEREMONY)
    devices = sorted(one.devices(), key=lambda d: d["serialNumber"])
    assert [(d["serialNumber"], d["ownerAnswer"]) for d in devices] == [
        ("AAAA00000001", "company"),
        ("BBBB00000002", "personal"),
    ]


def test_priority_decides_and_exclusion_wins(walker):
    groups = [
        {"name": "Staff", "members": ["alex@contoso.com"]},
        {"name": "Sales", "members": ["alex@contoso.com"]},
        {"name": "Contractors", "members": ["alex@contoso.com"]},
    ]
    profiles = [
        profile("Excluded", include=["Staff"], exclude=["Contractors"]),
        profile("Sales UE", choice=False, include=["Sales"]),
        profile("Everyone DE", choice=False, default="device", include=["all"]),
    ]
    w = walker(scenario(groups=groups, profiles=profiles)).sign_in(authenticator="1")
    assert "Excluded" in w.page and "excluded by group Contractors" in w.page
    w.walk("begin", "continue", *USER_CEREMONY)
    [device] = w.devices()
    assert device["enrollmentProfileName"] == "Sales UE"
    assert device["deviceEnrollmentType"] == "appleUserEnrollment"


def test_profile_renamed_during_the_walk_records_the_name_at_enrollment(walker, app):
    w = walker(scenario(profiles=[profile("Old name", choice=False, default="device")]))
    w.sign_in().walk("begin", "continue", "allow")
    with app.app_context(), transaction(w.tenant["id"]):
        db.session.execute(
            update(EnrollmentProfile)
            .where(EnrollmentProfile.tenant_id == w.tenant["id"])
            .values(name="New name")
        )
    w.walk("openProfile", "install", "trust", "finishInstall")
    assert w.devices()[0]["enrollmentProfileName"] == "New name"


def test_html_in_names_is_shown_literally(walker):
    evil = "<script>alert(1)</script>"
    users = [{"upn": "alex@contoso.com", "displayName": f"Alex {evil}", "password": "Passw0rd!"}]
    doc = scenario(company=f"Contoso {evil}", users=users, profiles=[profile(f"P {evil}")])
    w = walker(doc)
    w.open()
    assert "<script>" not in w.page and "Contoso &lt;script&gt;alert(1)&lt;/script&gt;" in w.page
    w.sign_in(authenticator="1").press("begin")
    assert "<script>" not in w.page
    assert "Contoso &lt;script&gt;alert(1)&lt;/script&gt; owns this device" in w.page
    assert "P &lt;script&gt;alert(1)&lt;/script&gt;" in w.page
    assert "Alex &lt;script&gt;alert(1)&lt;/script&gt;" in w.page
    w.walk(("continue", "personal"), ("continue", "workOnly"), "continue", *USER_CEREMONY)
    assert "<script>" not in w.page and "P &lt;script&gt;" in w.page


def test_journal_tells_the_walk(walker, app):
    w = walker(scenario(profiles=[profile()])).sign_in(authenticator="1")
    w.walk("begin", ("continue", "company"), "continue", *DEVICE_CEREMONY)
    with app.app_context():
        events = db.session.scalars(
            select(JournalEvent)
            .where(JournalEvent.tenant_id == w.tenant["id"], JournalEvent.type.like("portal.%"))
            .order_by(JournalEvent.id)
        ).all()
    types = [e.type for e in events]
    assert types[0] == "portal.signIn" and types[-1] == "portal.enrolled"
    assert ("portal.answer", {"question": "owner", "answer": "company"}) in [
        (e.type, {k: e.detail[k] for k in ("question", "answer")})
        for e in events
        if e.type == "portal.answer"
    ]
    screens = [e.detail["screen"] for e in events if e.type == "portal.screen"]
    assert screens[:3] == ["setUpAccess", "owner", "privacy"]
    assert screens[-1] == "done"
    assert all(e.user == "alex@contoso.com" for e in events)
