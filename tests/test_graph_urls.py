"""URLs as Graph reads them (graph-api.md, "Fidelity with real Graph tools": URLs): any case, key
syntax, qualified action names, the optional `$` on beta, and Graph's JSON error for every URL
under a Graph root that names nothing — at any version, with any method."""

from __future__ import annotations

import pytest

from tests.graph_support import SCENARIO, Graph, assert_graph_error


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def raw(graph: Graph, method: str, path: str, **kwargs):
    """`path` under the tenant's root, version included (e.g. /Beta/users)."""
    headers = {**graph.headers, **kwargs.pop("headers", {})}
    return graph.client.open(
        f"/t/{graph.tenant['id']}{path}", method=method, headers=headers, **kwargs
    )


@pytest.mark.parametrize(
    "path",
    [
        "/Beta/users",
        "/BETA/Users",
        "/beta/USERS",
        "/V1.0/users",
        "/beta/devicemanagement/manageddevices",
        "/beta/DeviceManagement/AppleUserInitiatedEnrollmentProfiles",
    ],
)
def test_versions_and_segments_are_case_insensitive(graph, path):
    response = raw(graph, "GET", path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "value" in response.get_json()


def test_key_syntax_in_parentheses_reads_the_same_entity(graph):
    alex = graph.id_of("/users", userPrincipalName="alex@contoso.com")
    for path in (
        f"/users/{alex}",
        f"/users('{alex}')",
        f"/users({alex})",
        "/users('alex@contoso.com')",
    ):
        assert graph.ok("GET", path)["id"] == alex, path
    device = graph.id_of("/deviceManagement/managedDevices", deviceName="Alex's iPhone")
    body = graph.ok("GET", f"/deviceManagement/managedDevices('{device}')")
    assert body["deviceName"] == "Alex's iPhone"


def test_a_quote_in_a_key_is_doubled(graph):
    device = graph.id_of("/deviceManagement/managedDevices", deviceName="Alex's iPhone")
    assert graph.ok("GET", f"/deviceManagement/managedDevices(id='{device}')")["id"] == device


@pytest.mark.parametrize(
    "action",
    [
        "setPriority",
        "setpriority",
        "SETPRIORITY",
        "microsoft.graph.setPriority",
        "Microsoft.Graph.setpriority",
    ],
)
def test_actions_by_qualified_name_and_in_any_case(graph, action):
    profiles = "/deviceManagement/appleUserInitiatedEnrollmentProfiles"
    everyone = graph.id_of(profiles, displayName="Everyone")
    graph.ok("POST", f"{profiles}/{everyone}/{action}", 204, json={"priority": 0})
    assert graph.ok("GET", f"{profiles}/{everyone}")["priority"] == 0


def test_the_dollar_of_system_query_options_is_optional_on_beta(graph):
    body = graph.ok(
        "GET", "/users?filter=userPrincipalName eq 'alex@contoso.com'&select=id,displayName"
    )
    assert [sorted(u) for u in body["value"]] == [["@odata.type", "displayName", "id"]]


def test_query_option_names_are_case_insensitive(graph):
    body = graph.ok("GET", "/users?$Filter=userPrincipalName eq 'alex@contoso.com'&$SELECT=id")
    assert len(body["value"]) == 1 and set(body["value"][0]) == {"@odata.type", "id"}


def test_on_v1_the_dollar_is_not_optional(graph):
    """v1.0 reads `filter=` as a custom parameter, so it filters nothing (Graph's behaviour)."""
    body = raw(
        graph, "GET", "/v1.0/users?filter=userPrincipalName eq 'alex@contoso.com'"
    ).get_json()
    assert len(body["value"]) == len(SCENARIO["users"])


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("PATCH", "/beta/", 405),
        ("DELETE", "/beta/", 405),
        ("PUT", "/v1.0/", 405),
        ("DELETE", "/beta", 405),
        ("GET", "/beta/nothing", 404),
        ("GET", "/v1.0/nothing/here", 404),
        ("POST", "/Beta/NoSuchThing/x", 404),
        ("GET", "/beta/users/a%0ab", 404),
        ("GET", "/beta/nothing%0ahere/x", 404),
        ("GET", "/beta/users/%0a/memberOf", 404),
        ("DELETE", "/beta/groups/%0a", 404),  # an id holding %0a, with every method
        ("DELETE", "/v1.0/users/a%0a", 404),
        ("PATCH", "/beta/%0a", 404),
        ("GET", "/beta/users%0a", 404),
        ("PUT", "/beta/users", 405),
        ("GET", "/v1.0/deviceManagement/appleUserInitiatedEnrollmentProfiles", 404),
    ],
)
def test_every_url_under_a_graph_root_answers_graph_json(graph, method, path, status):
    response = raw(graph, method, path)
    assert response.content_type == "application/json", response.get_data(as_text=True)[:200]
    assert response.status_code == status
    assert set(response.get_json()["error"]) == {"code", "message", "innerError"}


@pytest.mark.parametrize(
    "path", ["/users/a%0ab", "/deviceManagement/managedDevices/x%0a", "/groups/%0d%0a"]
)
def test_a_patch_to_an_id_holding_a_newline_is_graph_json(graph, path):
    response = graph.patch(path, json={"displayName": "x"})
    assert response.content_type == "application/json"
    assert response.status_code == 404
    assert response.get_json()["error"]["code"].endswith("ResourceNotFound")


@pytest.mark.parametrize("path", ["/beta/", "/v1.0/", "/beta"])
def test_the_bare_root_of_the_default_tenant_answers_json_too(client, path):
    for method in ("PATCH", "DELETE", "POST"):
        response = client.open(path, method=method)
        assert response.content_type == "application/json"
        assert response.status_code in (401, 405)


def test_an_unknown_tenant_under_v1_is_graph_json(client):
    assert_graph_error(client.get("/t/nope/v1.0/users"), 404, "ResourceNotFound", "tenant")


def test_a_braced_guid_in_a_member_reference_is_accepted(graph):
    groups = "/groups"
    contractors = graph.id_of(groups, displayName="Contractors")
    megan = graph.id_of("/users", userPrincipalName="megan@contoso.com")
    ref = {"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{{{megan}}}"}
    graph.ok("POST", f"{groups}/{contractors}/members/$ref", 204, json=ref)
    members = graph.values(f"{groups}/{contractors}/members")
    assert megan in {m["id"] for m in members}
