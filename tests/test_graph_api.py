"""The Graph API's conventions: auth, error shape, unknown URLs and methods, bodies, and the
OData query options ($filter, $select, $orderby, $top/$skiptoken, $count)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.graph_support import SCENARIO, Graph, assert_graph_error

USERS = "/users"
DEVICES = "/deviceManagement/managedDevices"


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


# --- auth ------------------------------------------------------------------------------------


def test_a_missing_token_is_401(graph):
    response = graph.client.get(f"{graph.base}/users")
    assert_graph_error(response, 401, "InvalidAuthenticationToken", "empty")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nope", "Basic abc", "Bearer", "token"])
def test_a_wrong_token_is_401(graph, header):
    response = graph.client.get(f"{graph.base}/users", headers={"Authorization": header})
    assert_graph_error(response, 401, "InvalidAuthenticationToken")


def test_a_token_of_another_tenant_never_reads_or_writes_it(graph, new_tenant):
    other = Graph(graph.client, new_tenant({"users": [SCENARIO["users"][0]]}))
    assert_graph_error(
        graph.get(USERS, token=other.tenant["token"]), 401, "InvalidAuthenticationToken"
    )
    body = {
        "accountEnabled": True,
        "displayName": "Intruder",
        "mailNickname": "intruder",
        "userPrincipalName": "intruder@contoso.com",
        "passwordProfile": {"password": "x"},
    }
    response = graph.post(USERS, json=body, token=other.tenant["token"])
    assert_graph_error(response, 401, "InvalidAuthenticationToken")
    assert [u["userPrincipalName"] for u in graph.values(USERS)] == [
        "alex@contoso.com",
        "megan@contoso.com",
        "nestor@contoso.com",
    ]
    assert [u["userPrincipalName"] for u in other.values(USERS)] == ["alex@contoso.com"]


def test_the_default_tenant_is_served_at_beta(client, app):
    from app.store import Tenant, db

    with app.app_context():
        token = db.session.get(Tenant, "default").token
    auth = {"Authorization": f"Bearer {token}"}
    response = client.get("/beta/users", headers=auth)
    assert response.status_code == 200
    assert response.get_json()["@odata.context"] == "http://localhost/beta/$metadata#users"
    # Every collection answers in place at the default tenant (no redirect to a sibling rule).
    for path in (
        "/beta/groups",
        "/beta/deviceManagement/managedDevices",
        "/beta/deviceManagement/appleUserInitiatedEnrollmentProfiles",
        "/beta/deviceManagement/importedDeviceIdentities",
    ):
        assert client.get(path, headers=auth).status_code == 200, path
    eventual = {**auth, "ConsistencyLevel": "eventual"}  # Graph counts users only then
    assert client.get("/beta/users/$count", headers=eventual).get_data(as_text=True) == "7"


def test_a_deleted_tenant_answers_404_in_graph_shape(graph):
    assert graph.client.delete(f"/_sim/tenants/{graph.tenant['id']}").status_code == 204
    assert_graph_error(graph.get(USERS), 404, "ResourceNotFound", "No tenant")


# --- error shape, ids, unknown URLs and methods ----------------------------------------------


def test_client_request_id_is_echoed_in_headers_and_errors(graph):
    response = graph.get("/users/nobody@contoso.com", headers={"client-request-id": "abc-123"})
    error = assert_graph_error(response, 404, "Request_ResourceNotFound", "nobody@contoso.com")
    assert error["innerError"]["client-request-id"] == "abc-123"
    assert response.headers["client-request-id"] == "abc-123"
    assert response.headers["request-id"] == error["innerError"]["request-id"]
    assert error["innerError"]["date"].endswith("Z")


@pytest.mark.parametrize(
    "path", ["/nothing", "/deviceManagement/nothing", "/users/x/nothing", "/users/"]
)
def test_unknown_urls_are_graph_shaped_404s(graph, path):
    assert_graph_error(graph.get(path), 404, "ResourceNotFound")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", USERS, "GET, POST"),
        ("PUT", "/deviceManagement", "GET, PATCH"),
        ("GET", "/organization/x/setMobileDeviceManagementAuthority", "POST"),
        ("PATCH", DEVICES, "GET"),
    ],
)
def test_a_wrong_method_is_405_with_allow(graph, method, path, allowed):
    response = graph.call(method, path)
    assert_graph_error(response, 405, "MethodNotAllowed", method)
    assert response.headers["Allow"] == allowed


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_415(graph, content_type):
    response = graph.post(USERS, data='{"displayName": "x"}', content_type=content_type)
    assert_graph_error(response, 415, "UnsupportedMediaType", content_type)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("{", "not valid JSON"),
        ('{"a": }', "line 1, column 7"),
        ("[1, 2]", "JSON object"),
        ("", "request body is required"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_malformed_bodies_are_400(graph, data, words):
    response = graph.post(USERS, data=data, content_type="application/json")
    assert_graph_error(response, 400, "BadRequest", words)


def test_unknown_properties_in_a_body_are_ignored(graph):
    body = {
        "accountEnabled": True,
        "displayName": "Lee Gu",
        "mailNickname": "lee",
        "userPrincipalName": "lee@contoso.com",
        "passwordProfile": {"password": "Passw0rd!", "somethingNew": 1},
        "jobTitle": "Engineer",
        "favouriteColour": "teal",
        "@odata.type": "#microsoft.graph.user",
    }
    user = graph.ok("POST", USERS, 201, json=body)
    assert user["userPrincipalName"] == "lee@contoso.com"
    assert "favouriteColour" not in user  # not a property of user: ignored
    # jobTitle is one (graph-api.md, fidelity: "writes keep what they are given"): kept.
    assert user["jobTitle"] == "Engineer"


def test_a_bug_is_a_graph_shaped_500_that_bad_input_never_reaches(graph, monkeypatch):
    import app.graph.users as users

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(users, "user_json", broken)
    response = graph.get(USERS)
    assert_graph_error(response, 500, "InternalServerError")


# --- $filter -----------------------------------------------------------------------------------


def _names(graph: Graph, query: str, key: str = "deviceName") -> list[str]:
    return [item[key] for item in graph.values(f"{DEVICES}?{query}")]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ("userPrincipalName eq 'megan@contoso.com'", ["Megan's iPad", "Megan's iPhone"]),
        ("userPrincipalName eq 'MEGAN@contoso.com'", ["Megan's iPad", "Megan's iPhone"]),
        ("userPrincipalName ne 'megan@contoso.com'", ["Alex's iPhone"]),
        ("enrollmentProfileName eq 'BYOD Choice'", ["Alex's iPhone", "Megan's iPhone"]),
        ("managedDeviceOwnerType eq 'company'", ["Megan's iPad"]),
        ("deviceEnrollmentType eq 'userEnrollment'", ["Megan's iPad"]),
        (
            "deviceEnrollmentType eq 'appleUserEnrollment'"
            " and userPrincipalName eq 'alex@contoso.com'",
            ["Alex's iPhone"],
        ),
        (
            "managedDeviceOwnerType eq 'company' or userPrincipalName eq 'alex@contoso.com'",
            ["Alex's iPhone", "Megan's iPad"],
        ),
        ("startswith(deviceName, 'megan')", ["Megan's iPad", "Megan's iPhone"]),
        ("startswith(deviceName,'Megan''s iP')", ["Megan's iPad", "Megan's iPhone"]),
        ("not (managedDeviceOwnerType eq 'personal')", ["Megan's iPad"]),
        (
            "(userPrincipalName eq 'megan@contoso.com' or userPrincipalName eq 'alex@contoso.com')"
            " and managedDeviceOwnerType eq 'personal'",
            ["Alex's iPhone", "Megan's iPhone"],
        ),
        ("enrollmentProfileName eq 'Nothing'", []),
    ],
)
def test_filter_managed_devices(graph, flt, expected):
    assert _names(graph, f"$filter={flt}") == expected


@pytest.mark.parametrize(
    ("flt", "words"),
    [
        # (gt, endswith, contains, in and every managedDevice property are read since the
        # spec's "Fidelity" section: tests/test_graph_query.py holds their answers)
        ("shoeSize eq '17.4'", "Could not find a property named 'shoeSize'"),
        ("enrolledDateTime gt '2026-01-01'", "can't be compared"),
        ("tolower(deviceName) eq 'a'", "unknown function 'tolower()'"),
        ("userPrincipalName eq 'x", "never closed"),
        ("userPrincipalName eq", "expected a value"),
        ("userPrincipalName", "expected eq or ne"),
        ("(userPrincipalName eq 'x'", "expected ')'"),
        ("userPrincipalName eq 'x' xor 1", "unexpected 'xor'"),
        ("", "empty"),
        ("userPrincipalName eq 1", "can't be compared"),
        ("startswith(userPrincipalName)", "expected ','"),
    ],
)
def test_unsupported_or_bad_filters_are_400_never_a_wrong_result(graph, flt, words):
    assert_graph_error(graph.get(f"{DEVICES}?$filter={flt}"), 400, "BadRequest", words)


def test_filter_types_booleans_and_numbers(graph):
    graph.ok("PATCH", "/users/nestor@contoso.com", 204, json={"accountEnabled": False})
    disabled = graph.values(f"{USERS}?$filter=accountEnabled eq false")
    assert [u["userPrincipalName"] for u in disabled] == ["nestor@contoso.com"]
    profiles = graph.values(
        "/deviceManagement/appleUserInitiatedEnrollmentProfiles?$filter=priority eq 1"
    )
    assert [p["displayName"] for p in profiles] == ["Everyone"]
    response = graph.get(f"{USERS}?$filter=accountEnabled eq 'no'")
    assert_graph_error(response, 400, "BadRequest", "Edm.Boolean")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("abdeilnoqrstuwPN()',  =1@.")), min_size=0, max_size=40
    )
)
def test_no_filter_text_reaches_the_500_handler(graph, text):
    response = graph.get(DEVICES, query_string={"$filter": text})
    assert response.status_code in (200, 400), response.get_data(as_text=True)


# --- $select, $orderby, $top, $count --------------------------------------------------------


def test_select_projects_and_names_the_context(graph):
    body = graph.ok("GET", f"{USERS}?$select=userPrincipalName,displayName")
    assert body["@odata.context"].endswith("/$metadata#users(userPrincipalName,displayName)")
    assert body["value"][0] == {
        "@odata.type": "#microsoft.graph.user",
        "userPrincipalName": "alex@contoso.com",
        "displayName": "Alex Wilber",
    }
    one = graph.ok("GET", "/users/alex@contoso.com?$select=displayName")
    assert one["@odata.context"].endswith("/$metadata#users(displayName)/$entity")
    assert set(one) == {"@odata.context", "@odata.type", "displayName"}


def test_select_of_an_unknown_property_is_400(graph):
    response = graph.get(f"{USERS}?$select=shoeSize")
    assert_graph_error(response, 400, "BadRequest", "shoeSize", "microsoft.graph.user")


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("deviceName", ["Alex's iPhone", "Megan's iPad", "Megan's iPhone"]),
        ("deviceName desc", ["Megan's iPhone", "Megan's iPad", "Alex's iPhone"]),
        ("enrolledDateTime desc", ["Megan's iPhone", "Megan's iPad", "Alex's iPhone"]),
        ("managedDeviceOwnerType asc", ["Megan's iPad", "Alex's iPhone", "Megan's iPhone"]),
    ],
)
def test_orderby_one_property(graph, order, expected):
    assert _names(graph, f"$orderby={order}") == expected


@pytest.mark.parametrize(
    ("order", "words"),
    [
        ("deviceName,osVersion", "one property"),
        ("deviceName sideways", "asc or desc"),
        ("shoeSize", "shoeSize"),
    ],
)
def test_bad_orderby_is_400(graph, order, words):
    assert_graph_error(graph.get(f"{DEVICES}?$orderby={order}"), 400, "BadRequest", words)


def test_top_pages_with_next_links_until_the_end(graph):
    first = graph.ok("GET", f"{DEVICES}?$top=2&$count=true&$orderby=deviceName desc")
    assert first["@odata.count"] == 3
    assert [d["deviceName"] for d in first["value"]] == ["Megan's iPhone", "Megan's iPad"]
    next_link = first["@odata.nextLink"]
    assert next_link.startswith(f"http://localhost{graph.base}{DEVICES}?")
    second = graph.client.get(next_link, headers=graph.headers).get_json()
    assert [d["deviceName"] for d in second["value"]] == ["Alex's iPhone"]
    assert "@odata.nextLink" not in second
    assert second["@odata.count"] == 3


def test_paging_keeps_the_filter(graph):
    query = "$filter=userPrincipalName eq 'megan@contoso.com'&$top=1"
    first = graph.ok("GET", f"{DEVICES}?{query}")
    second = graph.client.get(first["@odata.nextLink"], headers=graph.headers).get_json()
    names = [d["deviceName"] for d in first["value"] + second["value"]]
    assert names == ["Megan's iPad", "Megan's iPhone"]
    assert "@odata.nextLink" not in second


def test_count_without_top(graph):
    body = graph.ok(
        "GET",
        f"{USERS}?$count=true&$filter=startswith(displayName,'M')",
        headers={"ConsistencyLevel": "eventual"},  # Graph counts directory objects only then
    )
    assert body["@odata.count"] == 1
    assert "@odata.nextLink" not in body


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("$top=0", "from 1 to 999"),
        ("$top=1000", "from 1 to 999"),
        ("$top=two", "whole number"),
        ("$skiptoken=garbage", "$skiptoken"),
        ("$count=yes", "$count=true"),
        ("$expand=manager", "navigation property named 'manager'"),
        ("$top=1&$top=2", "more than once"),
    ],
)
def test_bad_query_options_are_400(graph, query, words):
    assert_graph_error(graph.get(f"{USERS}?{query}"), 400, "BadRequest", words)


def test_a_forged_skiptoken_is_400(graph):
    import base64

    token = base64.urlsafe_b64encode(b"skip:-2").decode()
    assert_graph_error(graph.get(f"{USERS}?$skiptoken={token}"), 400, "BadRequest", "$skiptoken")


def test_a_deeply_nested_body_is_400(graph):
    response = graph.post(USERS, data="[" * 100_000, content_type="application/json")
    assert_graph_error(response, 400, "BadRequest")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/users/$count", "3"),
        ("/users/$count?$filter=startswith(userPrincipalName,'m')", "1"),
        ("/groups/$count", "3"),
        (f"{DEVICES}/$count?$filter=managedDeviceOwnerType eq 'personal'", "2"),
        ("/deviceManagement/appleUserInitiatedEnrollmentProfiles/$count", "2"),
        ("/deviceManagement/importedDeviceIdentities/$count", "1"),
    ],
)
def test_count_segment_answers_a_number_as_text(graph, path, expected):
    response = graph.get(path, headers={"ConsistencyLevel": "eventual"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == expected


def test_count_segment_refuses_other_options(graph):
    assert_graph_error(graph.get("/users/$count?$top=1"), 400, "BadRequest", "'$top'")


def test_service_root_lists_entity_sets(graph):
    body = graph.ok("GET", "/")
    assert {e["name"] for e in body["value"]} >= {"users", "groups", "deviceManagement"}
