"""The OData query layer as Graph answers it (graph-api.md, "Fidelity with real Graph tools",
"Queries"): operators, functions, lambdas and literals; case-insensitive names; documented
filterable properties; $select of any property of the type; $expand with nested $select; $count
and ConsistencyLevel; server paging in SQL. Request shapes from real tools cite their source."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from app.store import db
from tests.graph_support import SCENARIO, Graph, assert_graph_error

USERS = "/users"
GROUPS = "/groups"
DEVICES = "/deviceManagement/managedDevices"
PROFILES = "/deviceManagement/appleUserInitiatedEnrollmentProfiles"
EVENTUAL = {"ConsistencyLevel": "eventual"}


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def _names(graph: Graph, path: str, key: str, **kwargs) -> list[str]:
    return [item[key] for item in graph.ok("GET", path, **kwargs)["value"]]


def _devices(graph: Graph, flt: str) -> list[str]:
    return _names(graph, f"{DEVICES}?$filter={flt}", "deviceName")


# --- operators, functions, literals --------------------------------------------------------


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ("enrolledDateTime ge 2026-01-02T00:00:00Z", ["Megan's iPad", "Megan's iPhone"]),
        ("enrolledDateTime gt 2026-01-02T10:00:00Z", ["Megan's iPhone"]),
        ("enrolledDateTime lt 2026-01-02", ["Alex's iPhone"]),
        ("enrolledDateTime le 2026-01-02T10:00:00%2B00:00", ["Alex's iPhone", "Megan's iPad"]),
        ("deviceName gt 'Megan'", ["Megan's iPad", "Megan's iPhone"]),
        ("model in ('iPad', 'Mac')", ["Megan's iPad"]),
        ("contains(deviceName, 'IPHONE')", ["Alex's iPhone", "Megan's iPhone"]),
        ("endswith(deviceName, 'pad')", ["Megan's iPad"]),
        ("startsWith(deviceName, 'alex')", ["Alex's iPhone"]),
        ("not startswith(deviceName, 'Megan')", ["Alex's iPhone"]),
        ("not(model eq 'iPhone') or osVersion eq '17.4'", ["Alex's iPhone", "Megan's iPad"]),
        (
            "managedDeviceOwnerType eq microsoft.graph.managedDeviceOwnerType'company'",
            ["Megan's iPad"],
        ),
        ("OSVERSION eq '17.4' AND Model EQ 'iPhone'", ["Alex's iPhone"]),
        ("manufacturer eq 'Apple' and managementAgent eq 'mdm'", None),
        ("complianceState eq 'compliant'", None),  # what every recorded device reports
        ("deviceType eq 'iPad'", ["Megan's iPad"]),
        ("isSupervised eq false and jailBroken eq 'False'", None),
        ("iccid eq null", None),  # a property an iPhone enrolled this way never reports
    ],
)
def test_filter_operators_functions_and_literals(graph, flt, expected):
    every = ["Alex's iPhone", "Megan's iPad", "Megan's iPhone"]
    assert _devices(graph, flt) == (every if expected is None else expected)


def test_guid_number_and_boolean_literals(graph):
    alex = graph.ok("GET", "/users/alex@contoso.com")["id"]
    assert _names(graph, f"{USERS}?$filter=id eq {alex}", "userPrincipalName") == [
        "alex@contoso.com"
    ]
    assert _names(graph, f"{USERS}?$filter=id in ('{alex}', 'nobody')", "id") == [alex]
    assert _names(graph, f"{PROFILES}?$filter=priority ge 1", "displayName") == ["Everyone"]
    enabled = _names(graph, f"{USERS}?$filter=accountEnabled eq true", "userPrincipalName")
    assert len(enabled) == 3


def test_lambdas_on_collections(graph):
    # Graph's docs ("Use query parameters"): ../groups?$filter=groupTypes/any(c:c eq 'Unified')
    assert graph.values(f"{GROUPS}?$filter=groupTypes/any(c:c eq 'Unified')") == []
    dynamic = _names(
        graph, f"{GROUPS}?$filter=groupTypes/any(c:c eq 'DynamicMembership')", "displayName"
    )
    assert dynamic == ["BYOD Devices"]
    static = _names(
        graph, f"{GROUPS}?$filter=not groupTypes/any(c:c eq 'DynamicMembership')", "displayName"
    )
    assert static == ["BYOD Users", "Contractors"]
    assert graph.values(f"{USERS}?$filter=proxyAddresses/any(p:startswith(p, 'smtp:'))") == []
    assert len(graph.values(f"{USERS}?$filter=otherMails/all(m:m eq 'x')")) == 3


def test_endswith_on_directory_objects_needs_an_advanced_query(graph):
    path = f"{USERS}?$filter=endswith(userPrincipalName,'n@contoso.com')"
    assert_graph_error(graph.get(path), 400, "Request_UnsupportedQuery", "ConsistencyLevel")
    assert_graph_error(graph.get(path, headers=EVENTUAL), 400, "Request_UnsupportedQuery")
    body = graph.ok("GET", f"{path}&$count=true", headers=EVENTUAL)
    assert [u["userPrincipalName"] for u in body["value"]] == ["megan@contoso.com"]
    assert body["@odata.count"] == 1


@pytest.mark.parametrize(
    ("path", "status", "code", "words"),
    [
        (f"{USERS}?$filter=aboutMe eq 'x'", 400, "Request_UnsupportedQuery", "'aboutMe'"),
        (f"{USERS}?$filter=shoeSize eq 'x'", 400, "BadRequest", "'shoeSize'"),
        (f"{USERS}?$filter=createdDateTime ge 'yesterday'", 400, "BadRequest", "compared"),
        (f"{USERS}?$filter=groupTypes eq 'x'", 400, "BadRequest", "'groupTypes'"),
        (f"{GROUPS}?$filter=groupTypes eq 'Unified'", 400, "BadRequest", "any()"),
        (f"{DEVICES}?$filter=managementState eq 'exploded'", 400, "BadRequest", "enumeration"),
        (f"{DEVICES}?$filter=deviceName/any(c:c eq 'x')", 400, "BadRequest", "collection"),
        (f"{DEVICES}?$filter=deviceName/length eq 1", 400, "BadRequest", "no property 'length'"),
    ],
)
def test_filters_graph_refuses(graph, path, status, code, words):
    assert_graph_error(graph.get(path), status, code, words)


def test_documented_filterable_properties_the_simulator_never_sets_are_null(graph):
    assert graph.values(f"{USERS}?$filter=department eq 'Sales'") == []
    assert len(graph.values(f"{USERS}?$filter=jobTitle eq null")) == 3
    assert len(graph.values(f"{USERS}?$filter=usageLocation ne 'US'")) == 3


# --- request shapes of real tools ----------------------------------------------------------


def test_microsoft365dsc_aadgroup_looks_a_group_up_by_display_name(graph):
    # Microsoft365DSC, Modules/Microsoft365DSC/DSCResources/MSFT_AADGroup/MSFT_AADGroup.psm1:
    #   $filter = "DisplayName eq '$DisplayName'"  (quotes doubled); Get-MgGroup -Filter $filter
    found = graph.values(f"{GROUPS}?$filter=DisplayName eq 'BYOD Users'")
    assert [g["displayName"] for g in found] == ["BYOD Users"]
    graph.ok("PATCH", f"{GROUPS}/{found[0]['id']}", 204, json={"displayName": "Alex's Team"})
    assert len(graph.values(f"{GROUPS}?$filter=DisplayName eq 'Alex''s Team'")) == 1


def test_intune_samples_managed_devices_get_filters(graph):
    # microsoftgraph/powershell-intune-samples, ManagedDevices/ManagedDevices_Get.ps1:
    #   ?$filter=managementAgent eq 'mdm' and managementAgent eq 'easmdm'   (default)
    #   ?$filter=managementAgent eq 'eas'                                   (-ExcludeMDM)
    #   deviceManagement/manageddevices('$DeviceID')?$select=userId        (Get-ManagedDeviceUser)
    assert (
        graph.values(f"{DEVICES}?$filter=managementAgent eq 'mdm' and managementAgent eq 'easmdm'")
        == []
    )
    assert graph.values(f"{DEVICES}?$filter=managementAgent eq 'eas'") == []
    device = graph.values(DEVICES)[0]
    one = graph.ok("GET", f"/deviceManagement/manageddevices('{device['id']}')?$select=userId")
    assert one["userId"] == device["userId"]


def test_graph_powershell_count_variable_with_eventual_consistency(graph):
    # microsoftgraph/msgraph-sdk-powershell, src/Groups/v1.0/examples/
    # Get-MgGroupTransitiveMemberAsUser.md: -Filter "startswith(displayName, 'a')"
    # -ConsistencyLevel eventual -CountVariable CountVar  => $count=true + ConsistencyLevel
    path = f"{USERS}?$filter=startswith(displayName, 'a')&$count=true"
    body = graph.ok("GET", path, headers=EVENTUAL)
    assert body["@odata.count"] == 1
    assert "@odata.count" not in graph.ok("GET", path)  # ignored without ConsistencyLevel


# --- $select, $expand, $count -----------------------------------------------------------------


def test_select_any_property_of_the_type(graph):
    body = graph.ok("GET", f"{USERS}?$select=id,Department,jobTitle,userPrincipalName")
    assert body["@odata.context"].endswith("#users(id,department,jobTitle,userPrincipalName)")
    first = body["value"][0]
    assert first["department"] is None and first["jobTitle"] is None
    assert first["userPrincipalName"] == "alex@contoso.com"
    groups = graph.ok("GET", f"{GROUPS}?$select=displayName,visibility")["value"]
    assert groups[0] == {
        "@odata.type": "#microsoft.graph.group",
        "displayName": "BYOD Users",
        "visibility": None,
    }
    device = graph.values(f"{DEVICES}?$select=deviceName,complianceState")[0]
    assert set(device) == {"@odata.type", "deviceName", "complianceState"}
    assert_graph_error(
        graph.get(f"{GROUPS}?$select=shoeSize"), 400, "BadRequest", "microsoft.graph.group"
    )


def test_expand_members_memberof_and_assignments_with_nested_select(graph):
    groups = graph.values(f"{GROUPS}?$expand=members($select=id,userPrincipalName)")
    byod = next(g for g in groups if g["displayName"] == "BYOD Users")
    assert [m["userPrincipalName"] for m in byod["members"]] == [
        "alex@contoso.com",
        "megan@contoso.com",
    ]
    assert set(byod["members"][0]) == {"@odata.type", "id", "userPrincipalName"}
    dynamic = next(g for g in groups if g["displayName"] == "BYOD Devices")
    assert [set(m) for m in dynamic["members"]] == [{"@odata.type", "id", "userPrincipalName"}] * 2
    user = graph.ok("GET", "/users/megan@contoso.com?$expand=memberOf($select=displayName)")
    assert user["memberOf"] == [
        {"@odata.type": "#microsoft.graph.group", "displayName": "BYOD Users"}
    ]
    users = graph.values(f"{USERS}?$select=userPrincipalName&$expand=memberOf")
    assert [len(u["memberOf"]) for u in users] == [1, 1, 1]
    profiles = graph.values(f"{PROFILES}?$expand=assignments($select=id)")
    assert set(profiles[0]["assignments"][0]) == {"@odata.type", "id"}
    bad = graph.get(f"{GROUPS}?$expand=members($select=shoeSize)")
    assert_graph_error(bad, 400, "BadRequest", "shoeSize")
    bad = graph.get(f"{GROUPS}?$expand=members($top=1)")
    assert_graph_error(bad, 400, "BadRequest", "$top")


def test_count_segment_on_directory_objects_needs_eventual_consistency(graph):
    assert_graph_error(graph.get("/users/$count"), 400, "Request_BadRequest", "$count")
    assert_graph_error(graph.get("/groups/$count"), 400, "Request_BadRequest", "$count")
    response = graph.get("/users/$count", headers=EVENTUAL)
    assert response.mimetype == "text/plain" and response.get_data(as_text=True) == "3"
    assert graph.get(f"{DEVICES}/$count").get_data(as_text=True) == "3"  # not a directory object


# --- paging in SQL --------------------------------------------------------------------------


def test_users_and_groups_are_paged_100_at_a_time(client, new_tenant):
    scenario = {
        "users": [
            {"upn": f"u{n:03}@contoso.com", "displayName": f"User {n:03}", "password": "x"}
            for n in range(150)
        ],
        "groups": [{"name": f"Group {n:03}"} for n in range(120)],
    }
    graph = Graph(client, new_tenant(scenario))
    first = graph.ok("GET", USERS)
    assert len(first["value"]) == 100
    link = first["@odata.nextLink"]
    assert "$skiptoken=" in link
    graph.ok(  # a user created between pages never shows twice, nor shifts the next page
        "POST",
        USERS,
        201,
        json={
            "accountEnabled": True,
            "displayName": "Late",
            "mailNickname": "late",
            "userPrincipalName": "late@contoso.com",
            "passwordProfile": {"password": "x"},
        },
    )
    second = client.get(link, headers=graph.headers).get_json()
    names = [u["userPrincipalName"] for u in first["value"] + second["value"]]
    assert len(second["value"]) == 51 and "@odata.nextLink" not in second
    assert len(set(names)) == 151 and names[-1] == "late@contoso.com"
    groups = graph.ok("GET", f"{GROUPS}?$select=displayName")
    assert len(groups["value"]) == 100 and "$skiptoken" in groups["@odata.nextLink"]
    assert len(graph.ok("GET", f"{USERS}?$top=999")["value"]) == 151


def test_a_device_page_is_one_limited_query_without_the_trace(app, graph):
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        body = graph.ok("GET", f"{DEVICES}?$top=2&$filter=model eq 'iPhone' or model eq 'iPad'")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(body["value"]) == 2 and "@odata.nextLink" in body
    listing = [s for s in statements if "FROM managed_devices" in s]
    assert len(listing) == 1
    assert "LIMIT" in listing[0] and "lower(managed_devices.model)" in listing[0]
    assert "managed_devices.trace" not in listing[0]


def test_a_skiptoken_from_elsewhere_is_400(graph):
    for token in ("eyJrIjpbMV19", "eyJvIjoiMSJ9", "x" * 2000):
        response = graph.get(f"{USERS}?$skiptoken={token}")
        assert_graph_error(response, 400, "BadRequest", "$skiptoken")


def test_imported_identities_filter_on_enrollment_state_in_sql(graph):
    identities = "/deviceManagement/importedDeviceIdentities"
    body = {
        "importedDeviceIdentities": [
            {
                "importedDeviceIdentifier": "F2LXC0RP0002",
                "importedDeviceIdentityType": "serialNumber",
            }
        ],
        "overwriteImportedDeviceIdentities": False,
    }
    graph.ok("POST", f"{identities}/importDeviceIdentityList", json=body)
    enrolled = graph.values(f"{identities}?$filter=enrollmentState eq 'enrolled'")
    assert [i["importedDeviceIdentifier"] for i in enrolled] == ["F2LXC0RP0001"]
    waiting = graph.values(f"{identities}?$filter=enrollmentState ne 'enrolled'&$top=1")
    assert [i["importedDeviceIdentifier"] for i in waiting] == ["F2LXC0RP0002"]
    assert graph.get(f"{identities}/$count").get_data(as_text=True) == "2"


def test_the_same_queries_under_v1(graph):
    v1 = graph.base.replace("/beta", "/v1.0")
    response = graph.client.get(
        f"{v1}/users?$filter=startswith(userPrincipalName,'m') or accountEnabled eq false"
        "&$select=userPrincipalName",
        headers=graph.headers,
    )
    assert response.status_code == 200
    assert [u["userPrincipalName"] for u in response.get_json()["value"]] == ["megan@contoso.com"]


def test_orderby_pages_by_offset_and_single_entities_expand(graph):
    first = graph.ok("GET", f"{USERS}?$orderby=displayName desc&$top=2&$select=displayName")
    assert [u["displayName"] for u in first["value"]] == ["Nestor Wilke", "Megan Bowen"]
    rest = graph.client.get(first["@odata.nextLink"], headers=graph.headers).get_json()
    assert [u["displayName"] for u in rest["value"]] == ["Alex Wilber"]
    group = graph.values(f"{GROUPS}?$filter=displayName eq 'Contractors'")[0]["id"]
    one = graph.ok("GET", f"{GROUPS}/{group}?$expand=members($select=userPrincipalName)")
    assert one["members"] == [
        {"@odata.type": "#microsoft.graph.user", "userPrincipalName": "nestor@contoso.com"}
    ]


def test_intune_management_lookups(graph):
    # IntuneManagement (Micke-K/IntuneManagement), Extensions/MSGraph.psm1 (migration table):
    #   Invoke-GraphRequest "/groups?`$filter=displayName eq '$($migTableGroupName)'"
    found = graph.values(f"{GROUPS}?$filter=displayName eq 'Contractors'")
    assert [g["displayName"] for g in found] == ["Contractors"]
    # Extensions/EndpointManager.psm1 (branding import): "/deviceManagement/
    #   intuneBrandingProfiles?`$filter=isDefaultProfile eq true&`$select=id,displayName"
    brands = "/deviceManagement/intuneBrandingProfiles"
    [default] = graph.values(f"{brands}?$filter=isDefaultProfile eq true&$select=id,displayName")
    assert set(default) == {"@odata.type", "id", "displayName"}


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "displayName",
                "groupTypes",
                "id",
                "createdDateTime",
                "accountEnabled",
                "c",
                "/",
                "any(",
                "all(",
                "c:",
                "eq",
                "ne",
                "gt",
                "in",
                "not",
                "and",
                "or",
                "(",
                ")",
                ",",
                "'a'",
                "1",
                "-2.5",
                "true",
                "null",
                "2026-01-01T00:00:00Z",
                "2026-02-30",
                "0f8fad5b-d9cb-469f-a165-70867728950e",
                "startswith(",
                "endswith(",
                "x'y'",
            ]
        ),
        max_size=12,
    ).map(" ".join)
)
def test_no_filter_over_sql_reaches_the_500_handler(graph, text):
    for path in (USERS, GROUPS):
        response = graph.get(path, query_string={"$filter": text}, headers=EVENTUAL)
        assert response.status_code in (200, 400), (text, response.get_data(as_text=True))


@pytest.mark.parametrize("prop", ["azureADDeviceId", "wiFiMacAddress", "notes"])
def test_a_filter_on_a_property_derived_at_read_time_is_refused_not_answered_wrongly(graph, prop):
    response = graph.call("GET", f"{DEVICES}?$filter={prop} eq 'x'")
    assert_graph_error(response, 400, "Request_UnsupportedQuery")
