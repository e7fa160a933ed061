"""/v1.0 as a view of /beta for every resource (graph-api.md, "Fidelity with real Graph tools":
both versions): v1.0's property sets, nested complex values and enums from Microsoft's published
lists, and Graph's JSON error for a resource v1.0 does not have."""

from __future__ import annotations

import pytest

from app.graph import schema
from tests.graph_support import SCENARIO, Graph, assert_graph_error

EXTENSIONS = {"enrollmentSimulatorHasManagedAppleId", "enrollmentSimulatorGroupKind"}


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def v1(graph: Graph, method: str, path: str, **kwargs):
    return graph.client.open(
        f"/t/{graph.tenant['id']}/v1.0{path}", method=method, headers=graph.headers, **kwargs
    )


def names(entity: dict) -> set[str]:
    return {name for name in entity if "@" not in name}


@pytest.mark.parametrize(
    ("path", "type_name"),
    [
        ("/users/megan@contoso.com", "user"),
        ("/organization", "organization"),
        ("/deviceManagement", "deviceManagement"),
        ("/deviceManagement/applePushNotificationCertificate", "applePushNotificationCertificate"),
    ],
)
def test_v1_shows_only_v1_properties(graph, path, type_name):
    answer = v1(graph, "GET", path)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    entity = body["value"][0] if "value" in body else body
    assert names(entity) - EXTENSIONS <= schema.v1_properties(type_name)
    assert "/v1.0/$metadata#" in body["@odata.context"]


def test_v1_user_hides_beta_only_kept_properties_and_keeps_v1_ones(graph):
    graph.ok(
        "PATCH",
        "/users/megan@contoso.com",
        204,
        json={"department": "Sales", "jobTitle": "Buyer"},
    )
    beta = graph.ok("GET", "/users/megan@contoso.com")
    user = v1(graph, "GET", "/users/megan@contoso.com").get_json()
    assert (user["department"], user["jobTitle"]) == ("Sales", "Buyer")
    assert user["enrollmentSimulatorHasManagedAppleId"] is True  # the simulator's extension
    assert names(user) == names(beta) & (schema.v1_properties("user") | EXTENSIONS)


def test_v1_groups_and_members(graph):
    beta = graph.values("/groups")
    answer = v1(graph, "GET", "/groups").get_json()["value"]
    assert [g["id"] for g in answer] == [g["id"] for g in beta]
    for group in answer:
        assert names(group) - EXTENSIONS <= schema.v1_properties("group")
        assert group["enrollmentSimulatorGroupKind"] in ("user", "device")
    gid = graph.id_of("/groups", displayName="BYOD Users")
    members = v1(graph, "GET", f"/groups/{gid}/members").get_json()["value"]
    assert members and all(names(m) <= schema.v1_properties("user") | EXTENSIONS for m in members)


def test_v1_intune_brand_has_v1_complex_properties_only(graph):
    beta = graph.ok("GET", "/deviceManagement")["intuneBrand"]
    brand = v1(graph, "GET", "/deviceManagement").get_json()["intuneBrand"]
    v1_names = schema.v1_complex_properties("intuneBrand")
    assert set(brand) == set(beta) & v1_names
    assert "customPrivacyMessage" in beta and "customPrivacyMessage" not in brand
    assert brand["displayName"] == beta["displayName"]
    alone = v1(graph, "GET", "/deviceManagement/intuneBrand").get_json()
    assert names(alone) == set(brand)


def test_a_beta_only_enum_member_reads_unknown_future_value_at_any_depth(app):
    from app.graph.versions import view_of

    beta = {"deviceEnrollmentType": "appleAccountDrivenUserEnrollment", "complianceState": "error"}
    with app.test_request_context("/v1.0/users"):
        assert view_of("managedDevice", beta) == {
            "deviceEnrollmentType": "unknownFutureValue",
            "complianceState": "error",
        }


@pytest.mark.parametrize(
    "path",
    [
        "/deviceManagement/intuneBrandingProfiles",
        "/deviceManagement/intuneBrandingProfiles/$count",
        "/deviceManagement/appleUserInitiatedEnrollmentProfiles",
    ],
)
def test_resources_v1_does_not_have_answer_graph_json_errors(graph, path):
    assert graph.get(path).status_code == 200
    response = v1(graph, "GET", path)
    assert_graph_error(response, 404, "ResourceNotFound", "Resource not found for the segment")


def test_v1_cannot_write_a_beta_only_resource(graph):
    response = v1(graph, "POST", "/deviceManagement/intuneBrandingProfiles", json={})
    assert_graph_error(response, 404, "ResourceNotFound", "intuneBrandingProfiles")
    assert len(graph.values("/deviceManagement/intuneBrandingProfiles")) == 1
