"""Users, groups, members ($ref) and memberOf through Graph."""

from __future__ import annotations

import pytest

from tests.graph_support import SCENARIO, Graph, assert_graph_error


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def new_user(nickname: str, **fields) -> dict:
    return {
        "accountEnabled": True,
        "displayName": nickname.title(),
        "mailNickname": nickname,
        "userPrincipalName": f"{nickname}@contoso.com",
        "passwordProfile": {"password": "Passw0rd!"},
        **fields,
    }


def new_group(name: str, **fields) -> dict:
    return {
        "displayName": name,
        "mailEnabled": False,
        "mailNickname": name.replace(" ", ""),
        "securityEnabled": True,
        **fields,
    }


def ref(object_id: str, host: str = "https://graph.microsoft.com/beta") -> dict:
    return {"@odata.id": f"{host}/directoryObjects/{object_id}"}


def member_upns(graph: Graph, gid: str) -> list[str]:
    return sorted(m["userPrincipalName"] for m in graph.values(f"/groups/{gid}/members"))


# --- users ---------------------------------------------------------------------------------------


def test_create_user_and_sign_in_data_is_stored(graph, app):
    user = graph.ok(
        "POST", "/users", 201, json=new_user("lee", enrollmentSimulatorHasManagedAppleId=False)
    )
    assert user["@odata.type"] == "#microsoft.graph.user"
    assert user["userPrincipalName"] == "lee@contoso.com"
    assert user["enrollmentSimulatorHasManagedAppleId"] is False
    assert user["@odata.context"].endswith("/$metadata#users/$entity")
    from app.store import User, db

    with app.app_context():
        stored = db.session.get(User, user["id"])
        assert stored.check_password("Passw0rd!")
        assert stored.managed_apple_id is False


@pytest.mark.parametrize("key", ["by-id", "megan@contoso.com", "MEGAN@Contoso.com"])
def test_get_user_by_id_or_upn(graph, key):
    if key == "by-id":
        key = graph.id_of("/users", userPrincipalName="megan@contoso.com")
    assert graph.ok("GET", f"/users/{key}")["displayName"] == "Megan Bowen"


@pytest.mark.parametrize("upn", ["megan@contoso.com", "Megan@CONTOSO.com"])
def test_duplicate_upn_is_400_request_bad_request(graph, upn):
    # Graph answers 400 Request_BadRequest (the spec's fidelity section; it said 409 before).
    response = graph.post("/users", json=new_user("megan", userPrincipalName=upn))
    assert_graph_error(
        response,
        400,
        "Request_BadRequest",
        "Another object with the same value for property userPrincipalName already exists.",
    )


@pytest.mark.parametrize(
    ("missing", "words"),
    [
        ("accountEnabled", "'accountEnabled' is required"),
        ("displayName", "'displayName' is required"),
        ("mailNickname", "'mailNickname' is required"),
        ("userPrincipalName", "'userPrincipalName' is required"),
        ("passwordProfile", "'passwordProfile' is required"),
    ],
)
def test_create_user_needs_the_graph_required_properties(graph, missing, words):
    body = new_user("lee")
    del body[missing]
    assert_graph_error(graph.post("/users", json=body), 400, "BadRequest", words)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"userPrincipalName": "no-at-sign"}, "userPrincipalName"),
        ({"accountEnabled": "yes"}, "accountEnabled"),
        ({"passwordProfile": {}}, "'passwordProfile.password' is required"),
        ({"mailNickname": "has space"}, "mailNickname"),
    ],
)
def test_bad_user_properties_are_400(graph, fields, words):
    assert_graph_error(
        graph.post("/users", json=new_user("lee", **fields)), 400, "BadRequest", words
    )


def test_patch_user(graph, app):
    response = graph.patch(
        "/users/alex@contoso.com",
        json={
            "displayName": "Alex W.",
            "accountEnabled": False,
            "passwordProfile": {"password": "New1!"},
        },
    )
    assert response.status_code == 204
    alex = graph.ok("GET", "/users/alex@contoso.com")
    assert (alex["displayName"], alex["accountEnabled"]) == ("Alex W.", False)
    graph.ok(
        "PATCH", "/users/alex@contoso.com", 204, json={"userPrincipalName": "alex.w@contoso.com"}
    )
    assert graph.ok("GET", f"/users/{alex['id']}")["userPrincipalName"] == "alex.w@contoso.com"
    conflict = graph.patch(f"/users/{alex['id']}", json={"userPrincipalName": "MEGAN@contoso.com"})
    assert_graph_error(conflict, 400, "Request_BadRequest", "userPrincipalName")
    # Changing only the case of one's own UPN is no conflict.
    graph.ok("PATCH", f"/users/{alex['id']}", 204, json={"userPrincipalName": "Alex.W@contoso.com"})


def test_delete_user(graph):
    assert graph.delete("/users/nestor@contoso.com").status_code == 204
    assert_graph_error(graph.get("/users/nestor@contoso.com"), 404, "Request_ResourceNotFound")
    contractors = graph.id_of("/groups", displayName="Contractors")
    assert member_upns(graph, contractors) == []


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_user_is_404(graph, method):
    response = graph.call(method, "/users/ghost@contoso.com", json={"displayName": "x"})
    assert_graph_error(response, 404, "Request_ResourceNotFound", "ghost@contoso.com")


def test_member_of(graph):
    body = graph.ok("GET", "/users/megan@contoso.com/memberOf")
    assert [g["displayName"] for g in body["value"]] == ["BYOD Users"]
    assert body["value"][0]["@odata.type"] == "#microsoft.graph.group"
    assert_graph_error(
        graph.get("/users/ghost@contoso.com/memberOf"), 404, "Request_ResourceNotFound"
    )


def test_filter_users(graph):
    found = graph.values(
        "/users?$filter=startswith(userPrincipalName,'me') or displayName eq 'alex wilber'"
    )
    assert [u["userPrincipalName"] for u in found] == ["alex@contoso.com", "megan@contoso.com"]


# --- groups -------------------------------------------------------------------------------------


def test_list_groups_with_kinds(graph):
    groups = {g["displayName"]: g for g in graph.values("/groups")}
    assert groups["BYOD Users"]["enrollmentSimulatorGroupKind"] == "user"
    assert groups["BYOD Users"]["groupTypes"] == []
    devices = groups["BYOD Devices"]
    assert devices["enrollmentSimulatorGroupKind"] == "device"
    assert devices["groupTypes"] == ["DynamicMembership"]
    assert devices["membershipRuleProcessingState"] == "On"
    assert devices["membershipRule"] == '(device.enrollmentProfileName -eq "BYOD Choice")'


def test_create_user_group_and_manage_members(graph):
    group = graph.ok("POST", "/groups", 201, json=new_group("Sales", description="Sales team"))
    assert group["enrollmentSimulatorGroupKind"] == "user"
    gid = group["id"]
    megan = graph.id_of("/users", userPrincipalName="megan@contoso.com")
    alex = graph.id_of("/users", userPrincipalName="alex@contoso.com")
    assert graph.post(f"/groups/{gid}/members/$ref", json=ref(megan)).status_code == 204
    # Any host prefix, and users/{id} as well as directoryObjects/{id}.
    other_host = {"@odata.id": f"http://127.0.0.1:5000/beta/users/{alex}"}
    assert graph.post(f"/groups/{gid}/members/$ref", json=other_host).status_code == 204
    assert member_upns(graph, gid) == ["alex@contoso.com", "megan@contoso.com"]
    again = graph.post(f"/groups/{gid}/members/$ref", json=ref(megan))
    assert_graph_error(again, 400, "BadRequest", "already exist")
    assert graph.delete(f"/groups/{gid}/members/{megan}/$ref").status_code == 204
    assert member_upns(graph, gid) == ["alex@contoso.com"]
    assert_graph_error(
        graph.delete(f"/groups/{gid}/members/{megan}/$ref"), 404, "Request_ResourceNotFound"
    )
    by_query = graph.delete(
        f"/groups/{gid}/members/$ref?$id=https://graph.microsoft.com/v1.0/directoryObjects/{alex}"
    )
    assert by_query.status_code == 204
    assert member_upns(graph, gid) == []
    memberships = graph.values("/users/megan@contoso.com/memberOf")
    assert "Sales" not in [g["displayName"] for g in memberships]


@pytest.mark.parametrize(
    ("body", "status", "code", "words"),
    [
        (
            {"@odata.id": "https://graph.microsoft.com/beta/directoryObjects/nope"},
            404,
            "Request_ResourceNotFound",
            "nope",
        ),
        ({"@odata.id": "not a url"}, 400, "BadRequest", "@odata.id"),
        ({}, 400, "BadRequest", "'@odata.id' is required"),
    ],
)
def test_bad_member_refs(graph, body, status, code, words):
    gid = graph.id_of("/groups", displayName="BYOD Users")
    assert_graph_error(graph.post(f"/groups/{gid}/members/$ref", json=body), status, code, words)


def test_dynamic_device_group_members_are_the_devices_its_rule_matches(graph):
    gid = graph.id_of("/groups", displayName="BYOD Devices")
    members = graph.values(f"/groups/{gid}/members")
    assert [(m["@odata.type"], m["displayName"]) for m in members] == [
        ("#microsoft.graph.device", "Alex's iPhone"),
        ("#microsoft.graph.device", "Megan's iPhone"),
    ]
    alex = graph.id_of("/users", userPrincipalName="alex@contoso.com")
    response = graph.post(f"/groups/{gid}/members/$ref", json=ref(alex))
    assert_graph_error(response, 400, "BadRequest", "membershipRule")


def test_create_dynamic_device_group(graph):
    rule = '(device.enrollmentProfileName -eq "Everyone") -and (device.deviceModel -eq "iPad")'
    group = graph.ok(
        "POST",
        "/groups",
        201,
        json=new_group(
            "Shared iPads",
            groupTypes=["DynamicMembership"],
            membershipRule=rule,
            membershipRuleProcessingState="On",
        ),
    )
    assert group["enrollmentSimulatorGroupKind"] == "device"
    assert [m["displayName"] for m in graph.values(f"/groups/{group['id']}/members")] == [
        "Megan's iPad"
    ]
    new_rule = '(device.deviceOwnership -eq "Personal")'
    graph.ok("PATCH", f"/groups/{group['id']}", 204, json={"membershipRule": new_rule})
    names = [m["displayName"] for m in graph.values(f"/groups/{group['id']}/members")]
    assert names == ["Alex's iPhone", "Megan's iPhone"]


def test_static_device_group_takes_recorded_devices(graph):
    group = graph.ok(
        "POST", "/groups", 201, json=new_group("Kiosks", enrollmentSimulatorGroupKind="device")
    )
    device = graph.id_of("/deviceManagement/managedDevices", deviceName="Megan's iPad")
    graph.ok("POST", f"/groups/{group['id']}/members/$ref", 204, json=ref(device))
    assert [m["id"] for m in graph.values(f"/groups/{group['id']}/members")] == [device]
    alex = graph.id_of("/users", userPrincipalName="alex@contoso.com")
    response = graph.post(f"/groups/{group['id']}/members/$ref", json=ref(alex))
    assert_graph_error(response, 404, "Request_ResourceNotFound", "recorded device")


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"groupTypes": ["DynamicMembership"]}, 400, "'membershipRule' is required"),
        ({"membershipRule": '(device.deviceModel -eq "iPad")'}, 400, "DynamicMembership"),
        ({"groupTypes": ["Unified"]}, 400, "groupTypes[0]"),
        (
            {
                "groupTypes": ["DynamicMembership"],
                "membershipRule": '(user.department -eq "Sales")',
            },
            400,
            "unknown property 'user.department'",
        ),
        (
            {
                "groupTypes": ["DynamicMembership"],
                "membershipRule": '(device.deviceModel -eq "iPad"',
            },
            400,
            "unbalanced parenthesis",
        ),
        (
            {
                "groupTypes": ["DynamicMembership"],
                "membershipRule": '(device.deviceModel -eq "iPad")',
                "enrollmentSimulatorGroupKind": "user",
            },
            400,
            "device group",
        ),
        ({"enrollmentSimulatorGroupKind": "printer"}, 400, "allowed values: user, device"),
        (
            {
                "membershipRuleProcessingState": "Paused",
                "groupTypes": ["DynamicMembership"],
                "membershipRule": '(device.deviceModel -eq "iPad")',
            },
            400,
            "membershipRuleProcessingState",
        ),
        ({"displayName": "BYOD Users"}, 409, "already exists"),
    ],
)
def test_bad_groups_are_refused(graph, fields, status, words):
    response = graph.post("/groups", json=new_group("New group", **fields))
    code = "Conflict" if status == 409 else "BadRequest"
    assert_graph_error(response, status, code, words)


@pytest.mark.parametrize(
    "missing", ["displayName", "mailEnabled", "mailNickname", "securityEnabled"]
)
def test_create_group_needs_the_graph_required_properties(graph, missing):
    body = new_group("New group")
    del body[missing]
    assert_graph_error(
        graph.post("/groups", json=body), 400, "BadRequest", f"'{missing}' is required"
    )


def test_patch_and_delete_group(graph):
    gid = graph.id_of("/groups", displayName="Contractors")
    graph.ok(
        "PATCH", f"/groups/{gid}", 204, json={"displayName": "Vendors", "description": "<b>x</b>"}
    )
    group = graph.ok("GET", f"/groups/{gid}")
    assert (group["displayName"], group["description"]) == ("Vendors", "<b>x</b>")
    response = graph.patch(
        f"/groups/{gid}", json={"membershipRule": '(device.deviceModel -eq "iPad")'}
    )
    assert_graph_error(response, 400, "BadRequest", "DynamicMembership")
    assert_graph_error(
        graph.patch(f"/groups/{gid}", json={"displayName": "BYOD Users"}), 409, "Conflict"
    )
    assert graph.delete(f"/groups/{gid}").status_code == 204
    assert_graph_error(graph.get(f"/groups/{gid}"), 404, "Request_ResourceNotFound")
    assert graph.values("/users/nestor@contoso.com/memberOf") == []


def test_deleting_an_assigned_group_removes_its_assignments(graph):
    gid = graph.id_of("/groups", displayName="BYOD Users")
    pid = graph.id_of(
        "/deviceManagement/appleUserInitiatedEnrollmentProfiles", displayName="BYOD Choice"
    )
    graph.ok("DELETE", f"/groups/{gid}", 204)
    assert (
        graph.values(f"/deviceManagement/appleUserInitiatedEnrollmentProfiles/{pid}/assignments")
        == []
    )


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_group_is_404(graph, method):
    response = graph.call(method, "/groups/nope", json={"displayName": "x"})
    assert_graph_error(response, 404, "Request_ResourceNotFound", "nope")
