"""GET /_sim/tenants/<id>/resolve: the decision trace, naming the groups that decided."""

from __future__ import annotations

import pytest

SCENARIO = {
    "company": "Fabrikam",
    "users": [
        {"upn": "ana@fabrikam.com", "password": "Passw0rd!"},
        {"upn": "ned@fabrikam.com", "password": "Passw0rd!"},
        {"upn": "ola@fabrikam.com", "password": "Passw0rd!", "managedAppleId": False},
        {"upn": "pat@fabrikam.com", "password": "Passw0rd!"},
    ],
    "groups": [
        {"name": "BYOD <Users>", "members": ["ana@fabrikam.com", "ned@fabrikam.com"]},
        {"name": "NoNed", "members": ["ned@fabrikam.com"]},
        {"name": "Apple ID-less", "members": ["ola@fabrikam.com"]},
    ],
    "profiles": [
        {
            "name": "Choice",
            "requireUserChoice": True,
            "assign": {"include": ["BYOD <Users>"], "exclude": ["NoNed"]},
        },
        {"name": "Auto UE", "defaultEnrollmentType": "user", "assign": {"include": ["all"]}},
    ],
    "corporateIdentifiers": [{"type": "serialNumber", "value": "F2LXCORP0001"}],
}


@pytest.fixture
def tenant(new_tenant):
    return new_tenant(SCENARIO)


def resolve(client, tenant_id: str, **query) -> dict:
    response = client.get(f"/_sim/tenants/{tenant_id}/resolve", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_including_group_is_named_and_the_lower_priority_profile_says_why_not(client, tenant):
    trace = resolve(client, tenant["id"], upn="ana@fabrikam.com")
    assert trace["user"] == "ana@fabrikam.com"
    assert trace["appliedProfile"]["name"] == "Choice"
    assert trace["appliedProfile"]["priority"] == 0
    choice, auto = trace["candidates"]
    assert choice["included"] and choice["applied"]
    assert choice["reason"].startswith("included by group BYOD <Users>")
    assert auto["included"] and not auto["applied"]
    assert auto["reason"] == "included by All users; a higher-priority profile (Choice) applies"
    assert trace["asksOwner"] is True
    answers = [
        (o["ownerAnswer"], o["securityScope"], o["enrollmentType"]) for o in trace["outcomes"]
    ]
    assert answers == [
        ("company", None, "device"),
        ("personal", "entireDevice", "device"),
        ("personal", "workOnly", "user"),
    ]


def test_excluding_group_is_named_and_the_next_profile_applies(client, tenant):
    trace = resolve(client, tenant["id"], upn="NED@fabrikam.com")
    choice, auto = trace["candidates"]
    assert choice == {**choice, "included": False, "applied": False}
    assert choice["reason"].startswith("excluded by group NoNed")
    assert "exclusion wins over inclusion by group BYOD <Users>" in choice["reason"]
    assert trace["appliedProfile"] == {"id": auto["id"], "name": "Auto UE", "priority": 1}
    assert trace["asksOwner"] is False
    assert [o["deviceEnrollmentType"] for o in trace["outcomes"]] == ["appleUserEnrollment"]


def test_ownership_follows_the_identifier_never_the_answer(client, tenant):
    corporate = resolve(client, tenant["id"], upn="ana@fabrikam.com", serialNumber="f2lx corp0001")
    assert [o["managedDeviceOwnerType"] for o in corporate["outcomes"]] == [
        "company",
        "company",
        "personal",  # User Enrollment reports no serial number
    ]
    assert corporate["device"] == {
        "osVersion": "",
        "serialNumber": "f2lx corp0001",
        "imei": "",
    }
    other = resolve(client, tenant["id"], upn="ana@fabrikam.com", serialNumber="F2LXOTHER")
    assert {o["managedDeviceOwnerType"] for o in other["outcomes"]} == {"personal"}


def test_paths_that_would_stop_at_an_error_say_so(client, tenant):
    old = resolve(client, tenant["id"], upn="ana@fabrikam.com", osVersion="12.4")
    errors = [o["error"] and o["error"]["code"] for o in old["outcomes"]]
    assert errors == [None, None, "UserEnrollmentUnsupportedOsVersion"]
    no_apple_id = resolve(client, tenant["id"], upn="ola@fabrikam.com", osVersion="17.0")
    assert no_apple_id["outcomes"][0]["error"] == {
        "code": "ManagedAppleIdMissing",
        "message": "This Managed Apple ID can't be used for User Enrollment.",
    }


def test_prerequisite_errors_block_every_path(client, new_tenant):
    made = new_tenant({**SCENARIO, "settings": {"mdmAuthority": "unknown"}})
    trace = resolve(client, made["id"], upn="ana@fabrikam.com")
    assert {o["error"]["code"] for o in trace["outcomes"]} == {"MdmAuthorityNotDefined"}


def test_no_profile_is_explained(client, new_tenant):
    made = new_tenant({"users": [{"upn": "pat@fabrikam.com", "password": "x"}]})
    trace = resolve(client, made["id"], upn="pat@fabrikam.com")
    assert trace["appliedProfile"] is None
    assert trace["candidates"] == []
    assert "[simulator rule]" in trace["reason"]
    assert trace["outcomes"][0]["deviceEnrollmentType"] == "userEnrollment"


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"upn": "nobody@fabrikam.com"}, 404, "No user 'nobody@fabrikam.com' in this tenant."),
        ({}, 400, "upn: Field required"),
        ({"upn": "ana@fabrikam.com", "model": "iPad"}, 400, "model: unknown key"),
    ],
)
def test_bad_requests(client, tenant, query, status, message):
    response = client.get(f"/_sim/tenants/{tenant['id']}/resolve", query_string=query)
    assert response.status_code == status
    assert response.get_json()["error"]["message"] == message


def test_unknown_tenant(client):
    response = client.get("/_sim/tenants/nope/resolve", query_string={"upn": "a@b.c"})
    assert response.status_code == 404
