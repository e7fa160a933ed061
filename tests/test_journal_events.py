"""Each journal event type, caused by the real action that records it and read back through
GET /_sim/tenants/<id>/events: the portal walk, the console, the Graph API, the control API and an
injected fault. Every form post carries its page's CSRF token."""

from __future__ import annotations

import re

import pytest

from app.enrollment import wording
from tests.admin_helpers import text, token
from tests.portal_walker import DEVICE_CEREMONY, USER_CEREMONY, Walker, profile, scenario

USERS = [
    {"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": "Passw0rd!"},
    {"upn": "megan@contoso.com", "displayName": "Megan Bowen", "password": "Passw0rd!",
     "managedAppleId": False},
    {"upn": "dana@contoso.com", "displayName": "Dana", "password": "Passw0rd!", "enabled": False},
]  # fmt: skip
GROUPS = [{"name": "Staff", "members": ["alex@contoso.com", "megan@contoso.com"]}]


def events(client, tenant_id: str, **query) -> list[dict]:
    return page_of(client, tenant_id, **query)["value"]


def page_of(client, tenant_id: str, **query) -> dict:
    response = client.get(f"/_sim/tenants/{tenant_id}/events", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def one(client, tenant_id: str, type_: str, **query) -> dict:
    found = events(client, tenant_id, type=type_, **query)
    assert len(found) == 1, (type_, found)
    assert found[0]["type"] == type_
    return found[0]


@pytest.fixture
def tenant(new_tenant):
    return new_tenant(scenario(users=USERS, groups=GROUPS, profiles=[profile()]))


@pytest.fixture
def walker(client, tenant):
    return Walker(client, tenant)


# ---- portal ---------------------------------------------------------------------------------


def test_sign_in_records_the_user_device_and_applied_profile(client, tenant, walker):
    walker.sign_in(osVersion="17.4", serialNumber="C39XK0000042")
    event = one(client, tenant["id"], "portal.signIn")
    assert event["user"] == "alex@contoso.com"
    detail = event["detail"]
    assert detail["appliedProfile"] == "BYOD Choice"
    assert (detail["model"], detail["osVersion"], detail["serialNumber"]) == (
        "iPhone",
        "17.4",
        "C39XK0000042",
    )
    assert walker.url.endswith(f"walk/{detail['walkId']}")


@pytest.mark.parametrize(
    ("email", "password", "reason", "message"),
    [
        ("alex@contoso.com", "wrong", "wrong password", wording.SIGN_IN_FAILED),
        ("nobody@contoso.com", "Passw0rd!", "unknown user", wording.SIGN_IN_FAILED),
        ("dana@contoso.com", "Passw0rd!", "account disabled", wording.ACCOUNT_DISABLED),
    ],
)
def test_failed_sign_ins_record_why(client, tenant, walker, email, password, reason, message):
    walker.sign_in(email, password)
    assert walker.status == 401 and message.replace("'", "&#39;") in walker.page
    event = one(client, tenant["id"], "portal.signInFailed")
    assert (event["user"], event["detail"]) == (email, {"reason": reason})
    assert events(client, tenant["id"], type="portal.signIn") == []


def test_answers_screens_and_enrolment_of_a_user_enrollment_walk(client, tenant, walker):
    walker.sign_in(authenticator="1")
    walker.walk("begin", ("continue", "personal"), ("continue", "workOnly"), "continue")
    walker.walk(*USER_CEREMONY)
    assert walker.heading == wording.ALL_SET
    walk_id = one(client, tenant["id"], "portal.signIn")["detail"]["walkId"]

    answers = events(client, tenant["id"], type="portal.answer")
    assert [(e["user"], e["detail"]) for e in answers] == [
        ("alex@contoso.com", {"walkId": walk_id, "question": "owner", "answer": "personal"}),
        ("alex@contoso.com",
         {"walkId": walk_id, "question": "securityScope", "answer": "workOnly"}),
    ]  # fmt: skip

    screens = [e["detail"]["screen"] for e in events(client, tenant["id"], type="portal.screen")]
    assert screens[:4] == ["setUpAccess", "owner", "scope", "privacy"]
    assert screens[-1] == "done" and "install.appleId" in screens
    assert len(screens) == len(set(screens))  # one event per screen reached, not per click

    enrolled = one(client, tenant["id"], "portal.enrolled")
    assert enrolled["user"] == "alex@contoso.com"
    detail = enrolled["detail"]
    assert detail["walkId"] == walk_id
    assert detail["deviceEnrollmentType"] == "appleUserEnrollment"
    assert detail["managedDeviceOwnerType"] == "personal"
    assert (detail["ownerAnswer"], detail["securityScope"]) == ("personal", "workOnly")
    assert [d["deviceName"] for d in walker.devices()] == [detail["deviceName"]]


def test_a_device_enrollment_walk_records_enrolled_with_its_type(client, new_tenant):
    doc = scenario(profiles=[profile("Corp DE", choice=False, default="device")])
    tenant = new_tenant(doc)
    Walker(client, tenant).sign_in().walk("begin", "continue", *DEVICE_CEREMONY)
    detail = one(client, tenant["id"], "portal.enrolled")["detail"]
    assert detail["deviceEnrollmentType"] == "userEnrollment"
    assert detail["ownerAnswer"] is None and detail["securityScope"] is None


def test_failure_records_its_error_code_and_message(client, tenant, walker):
    walker.sign_in("megan@contoso.com", authenticator="1")
    walker.walk("begin", ("continue", "personal"), ("continue", "workOnly"), "continue")
    walker.walk(*USER_CEREMONY)
    event = one(client, tenant["id"], "portal.failed")
    assert event["user"] == "megan@contoso.com"
    assert event["detail"]["code"] == "ManagedAppleIdMissing"
    assert event["detail"]["message"] == wording.ERRORS[wording.ErrorCode.MANAGED_APPLE_ID].message
    assert events(client, tenant["id"], type="portal.enrolled") == []


def test_prerequisite_failure_at_sign_in_records_its_code(client, new_tenant):
    tenant = new_tenant(scenario(profiles=[profile()], mdmAuthority="unknown"))
    Walker(client, tenant).sign_in()
    event = one(client, tenant["id"], "portal.failed")
    assert (event["user"], event["detail"]["code"]) == (
        "alex@contoso.com",
        "MdmAuthorityNotDefined",
    )


def test_postpone_and_cancel_are_recorded(client, tenant, walker):
    walker.sign_in().press("postpone")
    assert walker.heading == wording.POSTPONED
    postponed = one(client, tenant["id"], "portal.postponed")
    assert postponed["user"] == "alex@contoso.com" and "walkId" in postponed["detail"]

    again = Walker(client, tenant).sign_in(authenticator="1")
    again.walk("begin", ("continue", "company"), "continue", "allow", "openProfile")
    again.press("cancel")
    assert again.heading == wording.CANCELLED
    cancelled = one(client, tenant["id"], "portal.cancelled")
    assert cancelled["user"] == "alex@contoso.com"
    assert cancelled["detail"]["screen"].startswith("install.")
    assert cancelled["detail"]["walkId"] != postponed["detail"]["walkId"]


# ---- the console, the Graph API, the control API and faults ----------------------------------


def _wizard(client, base: str, step: str, data: dict):
    url = f"{base}/profiles/new/{step}"
    return client.post(url, data={"csrf_token": token(client, url), **data})


def test_console_changes_are_recorded_as_admin_write(client, tenant, walker):
    base = f"/t/{tenant['id']}/admin"
    client.get(f"{base}/profiles/new")
    basics = _wizard(client, base, "basics", {"name": "<b>Kiosk</b>", "description": "d"})
    assert basics.status_code == 302
    _wizard(client, base, "settings", {"require_choice": "required", "default_type": "user"})
    _wizard(client, base, "assignments", {"assign_to": "all"})
    assert _wizard(client, base, "review", {"create": "1"}).status_code == 302
    created = one(client, tenant["id"], "admin.write")
    assert (created["user"], created["detail"]["action"]) == ("", "profile.create")
    assert created["detail"]["name"] == "<b>Kiosk</b>"
    cursor = page_of(client, tenant["id"])["cursor"]

    # Drag "<b>Kiosk</b>" to the top.
    ids = re.findall(r'<tr id="row-[^"]+" data-id="([^"]+)"', text(client.get(f"{base}/profiles")))
    assert len(ids) == 2
    csrf = token(client, f"{base}/profiles")
    reordered = client.post(
        f"{base}/profiles/reorder", json={"order": ids[::-1]}, headers={"X-CSRFToken": csrf}
    )
    assert reordered.status_code == 200
    reorder = events(client, tenant["id"], type="admin.write", after=cursor)
    assert [e["detail"] for e in reorder] == [
        {"action": "profile.reorder", "order": ["<b>Kiosk</b>", "BYOD Choice"]}
    ]

    # An enrolled device's ownership (personal by default), changed by the admin, names its user.
    walker.sign_in(authenticator="1")
    walker.walk("begin", ("continue", "company"), "continue", *DEVICE_CEREMONY)
    device_id = one(client, tenant["id"], "portal.enrolled")["detail"]["deviceId"]
    page = f"{base}/devices/{device_id}"
    changed = client.post(page, data={"csrf_token": token(client, page), "ownership": "company"})
    assert changed.status_code == 302
    ownership = events(client, tenant["id"], type="admin.write", user="alex@contoso.com")
    assert [e["detail"]["action"] for e in ownership] == ["device.ownership"]
    assert (ownership[0]["detail"]["before"], ownership[0]["detail"]["after"]) == (
        "personal",
        "company",
    )
    assert ownership[0]["detail"]["deviceId"] == device_id


def test_graph_post_with_the_tenant_token_is_recorded_as_graph_write(client, tenant):
    body = {
        "accountEnabled": True,
        "displayName": "Lee Gu",
        "mailNickname": "lee",
        "userPrincipalName": "lee@contoso.com",
        "passwordProfile": {"password": "Passw0rd!"},
    }
    refused = client.post(f"/t/{tenant['id']}/beta/users", json=body)
    assert refused.status_code == 401
    assert events(client, tenant["id"], type="graph.write") == []
    response = client.post(
        f"/t/{tenant['id']}/beta/users",
        json=body,
        headers={"Authorization": f"Bearer {tenant['token']}"},
    )
    assert response.status_code == 201, text(response)
    event = one(client, tenant["id"], "graph.write")
    assert event["user"] == "lee@contoso.com"
    assert event["detail"] == {"action": "create", "resource": "user", "id": response.json["id"]}


def test_control_create_reset_and_faults_are_recorded(client):
    made = client.post("/_sim/tenants", json=scenario(company="Fabrikam"))
    assert made.status_code == 201
    tenant_id = made.get_json()["id"]
    created = one(client, tenant_id, "control.create")
    assert created["detail"] == {"seeded": True, "company": "Fabrikam", "users": 1}

    reset = client.post(f"/_sim/tenants/{tenant_id}/reset", json=scenario(company="Northwind"))
    assert reset.status_code == 200
    assert one(client, tenant_id, "control.reset")["detail"]["company"] == "Northwind"

    config = {"graph": {"errorRate": 1, "status": 429, "retryAfterSeconds": 2}, "seed": 7}
    assert client.put(f"/_sim/tenants/{tenant_id}/faults", json=config).status_code == 200
    faults = one(client, tenant_id, "control.faults")["detail"]
    assert (faults["graph"]["status"], faults["seed"]) == (429, 7)


def test_an_injected_fault_is_recorded_with_where_it_hit(client, tenant):
    config = {"graph": {"errorRate": 1, "status": 429, "retryAfterSeconds": 3}, "seed": 1}
    assert client.put(f"/_sim/tenants/{tenant['id']}/faults", json=config).status_code == 200
    response = client.get(
        f"/t/{tenant['id']}/beta/users",
        headers={"Authorization": f"Bearer {tenant['token']}", "Retry-Attempt": "1"},
    )
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    event = one(client, tenant["id"], "fault.injected")
    assert event["detail"] == {
        "method": "GET",
        "face": "graph",
        "status": 429,
        "path": f"/t/{tenant['id']}/beta/users",
        "retryAfterSeconds": 3,
        "retryAttempt": "1",
    }


# ---- the filters, on real events ------------------------------------------------------------


def test_user_filter_and_cursor_follow_real_walks(client, tenant):
    alex = Walker(client, tenant).sign_in(authenticator="1")
    megan = Walker(client, tenant).sign_in("megan@contoso.com")
    alex.press("begin")
    cursor = page_of(client, tenant["id"])["cursor"]
    megan.press("postpone")
    alex.press("continue", "company")

    only_megan = events(client, tenant["id"], user="MEGAN@contoso.com")
    assert {e["user"] for e in only_megan} == {"megan@contoso.com"}
    assert [e["type"] for e in only_megan][0] == "portal.signIn"
    assert only_megan[-1]["type"] == "portal.postponed"

    newer = page_of(client, tenant["id"], after=cursor)
    assert [(e["type"], e["user"]) for e in newer["value"]] == [
        ("portal.screen", "megan@contoso.com"),
        ("portal.postponed", "megan@contoso.com"),
        ("portal.answer", "alex@contoso.com"),
        ("portal.screen", "alex@contoso.com"),
    ]
    assert all(int(e["id"]) > int(cursor) for e in newer["value"])
    alex_after = events(client, tenant["id"], after=cursor, user="alex@contoso.com",
                        type="portal.answer")  # fmt: skip
    assert [e["detail"]["answer"] for e in alex_after] == ["company"]
    assert page_of(client, tenant["id"], after=newer["cursor"]) == {
        "value": [],
        "cursor": newer["cursor"],
    }
