"""Writes keep what they are given, and responses look as Graph writes them (graph-api.md,
"Fidelity with real Graph tools": writes; 201 with Location; 204 without body or content type)."""

from __future__ import annotations

import re

import pytest

from tests.graph_support import SCENARIO, Graph, assert_graph_error

USER = {
    "accountEnabled": True,
    "displayName": "Lee Gu",
    "mailNickname": "lee",
    "userPrincipalName": "lee@contoso.com",
    "passwordProfile": {"password": "Passw0rd!"},
}
GROUP = {
    "displayName": "Kiosk Staff",
    "mailEnabled": False,
    "mailNickname": "kiosk",
    "securityEnabled": True,
}
PROFILES = "/deviceManagement/appleUserInitiatedEnrollmentProfiles"


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def test_user_properties_are_kept_on_create_and_patch(graph):
    body = {
        **USER,
        "department": "Retail",
        "jobTitle": "Store manager",
        "usageLocation": "US",
        "givenName": "Lee",
        "surname": "Gu",
        "businessPhones": ["+1 425 555 0100"],
        "employeeHireDate": "2024-03-01T00:00:00Z",
        "showInAddressList": False,
    }
    created = graph.ok("POST", "/users", 201, json=body)
    for name in ("department", "jobTitle", "usageLocation", "givenName", "businessPhones"):
        assert created[name] == body[name], name
    assert created["employeeHireDate"] == "2024-03-01T00:00:00Z"
    graph.ok("PATCH", "/users/lee@contoso.com", 204, json={"department": "HQ", "city": "Oslo"})
    user = graph.ok("GET", "/users/lee@contoso.com")
    assert (user["department"], user["city"], user["jobTitle"]) == ("HQ", "Oslo", "Store manager")
    graph.ok("PATCH", "/users/lee@contoso.com", 204, json={"jobTitle": None})
    assert graph.ok("GET", "/users/lee@contoso.com")["jobTitle"] is None


def test_unset_properties_read_null_and_select_finds_them(graph):
    user = graph.ok("GET", "/users/alex@contoso.com")
    assert user["department"] is None and user["businessPhones"] == []
    selected = graph.ok("GET", "/users/alex@contoso.com?$select=department,jobTitle")
    assert set(selected) >= {"department", "jobTitle"}


def test_null_in_a_create_body_is_not_set(graph):
    created = graph.ok("POST", "/users", 201, json={**USER, "department": None})
    assert created["department"] is None
    group = graph.ok("POST", "/groups", 201, json={**GROUP, "description": None})
    assert group["description"] == ""


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"createdDateTime": "2020-01-01T00:00:00Z"}, ["createdDateTime", "read-only"]),
        ({"proxyAddresses": ["SMTP:x@contoso.com"]}, ["proxyAddresses", "read-only"]),
        ({"department": 7}, ["department", "string"]),
        ({"businessPhones": "555"}, ["businessPhones", "list"]),
        ({"showInAddressList": "no"}, ["showInAddressList", "Boolean"]),
        ({"employeeHireDate": "yesterday"}, ["employeeHireDate", "ISO 8601"]),
    ],
)
def test_bad_or_read_only_user_properties_are_400_and_change_nothing(graph, body, words):
    response = graph.patch("/users/alex@contoso.com", json=body)
    assert_graph_error(response, 400, "Request_BadRequest", *words)
    user = graph.ok("GET", "/users/alex@contoso.com")
    assert user["department"] is None


def test_group_properties_are_kept(graph):
    group = graph.ok(
        "POST", "/groups", 201, json={**GROUP, "classification": "Low", "visibility": "Private"}
    )
    assert (group["classification"], group["visibility"]) == ("Low", "Private")
    graph.ok("PATCH", f"/groups/{group['id']}", 204, json={"theme": "Teal", "visibility": None})
    again = graph.ok("GET", f"/groups/{group['id']}")
    assert (again["theme"], again["visibility"], again["classification"]) == ("Teal", None, "Low")
    response = graph.patch(
        f"/groups/{group['id']}", json={"renewedDateTime": "2020-01-01T00:00:00Z"}
    )
    assert_graph_error(response, 400, "Request_BadRequest", "renewedDateTime", "read-only")


def test_assignment_filters_are_kept(graph):
    profile = graph.id_of(PROFILES, displayName="Everyone")
    group = graph.id_of("/groups", displayName="BYOD Users")
    target = {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        "groupId": group,
        "deviceAndAppManagementAssignmentFilterId": "7d0a8b52-2bd6-4b1f-9d5f-b8a07e2e1c55",
        "deviceAndAppManagementAssignmentFilterType": "include",
    }
    created = graph.ok("POST", f"{PROFILES}/{profile}/assignments", 201, json={"target": target})
    got = graph.ok("GET", f"{PROFILES}/{profile}/assignments/{created['id']}")["target"]
    assert (
        got["deviceAndAppManagementAssignmentFilterId"]
        == target["deviceAndAppManagementAssignmentFilterId"]
    )
    assert got["deviceAndAppManagementAssignmentFilterType"] == "include"
    expanded = graph.ok("GET", f"{PROFILES}/{profile}?$expand=assignments")["assignments"]
    assert any(
        a["target"].get("deviceAndAppManagementAssignmentFilterType") == "include" for a in expanded
    )
    bad = {**target, "deviceAndAppManagementAssignmentFilterId": None}
    response = graph.patch(
        f"{PROFILES}/{profile}/assignments/{created['id']}", json={"target": bad}
    )
    assert_graph_error(response, 400, "BadRequest", "FilterId", "required")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/users", USER),
        ("/groups", GROUP),
        (PROFILES, {"displayName": "Kiosks"}),
        (
            "/deviceManagement/importedDeviceIdentities",
            {
                "importedDeviceIdentifier": "F2LXNEW00001",
                "importedDeviceIdentityType": "serialNumber",
            },
        ),
    ],
)
def test_201_names_the_new_entity_in_location(graph, path, body):
    response = graph.post(path, json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    location = response.headers["Location"]
    assert location.endswith(f"/beta{path}/{created['id']}")
    assert location.startswith("http")
    relative = location.split("/beta", 1)[1]
    assert graph.ok("GET", relative)["id"] == created["id"]


def test_204_has_no_body_and_no_content_type(graph):
    for response in (
        graph.patch("/users/alex@contoso.com", json={"city": "Oslo"}),
        graph.delete("/users/nestor@contoso.com"),
    ):
        assert response.status_code == 204
        assert response.data == b""
        assert "Content-Type" not in response.headers
        assert response.headers.get("Content-Length") in (None, "0")


def test_dates_are_utc_with_z(graph):
    user = graph.ok("GET", "/users/alex@contoso.com")
    group = graph.values("/groups")[0]
    for stamp in (user["createdDateTime"], group["createdDateTime"]):
        # directory objects: whole seconds in UTC, as Graph writes them
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp), stamp
    device = graph.values("/deviceManagement/managedDevices")[0]
    assert device["enrolledDateTime"] == "2026-01-01T10:00:00Z"
    assert device["easActivationDateTime"] == "0001-01-01T00:00:00Z"


def test_intune_brand_contact_fields_are_kept(graph):
    brand = {
        "displayName": "Contoso IT",
        "contactITName": "Help desk",
        "contactITPhoneNumber": "+1 425 555 0100",
        "contactITEmailAddress": "help@contoso.com",
        "contactITNotes": "Weekdays",
        "onlineSupportSiteUrl": "https://help.contoso.com",
        "privacyUrl": "https://contoso.com/privacy",
    }
    response = graph.patch("/deviceManagement", json={"intuneBrand": brand})
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    kept = graph.ok("GET", "/deviceManagement")["intuneBrand"]
    for name, value in brand.items():
        assert kept[name] == value, name
