"""A lone UTF-16 surrogate (issue 13: a 500 in a group, profile or identity `description` and an
assignment's `groupId`) is a 400 that says where, on every face, and writes nothing: Graph
bodies and URLs, control API scenarios (JSON, JSON under another type, YAML) and URLs, scenario
files. Console and portal forms: tests/test_form_refusals.py."""

from __future__ import annotations

import json

import pytest

from app.scenarios import ScenarioError, parse_text
from tests.admin_helpers import text
from tests.graph_support import SCENARIO, Graph, assert_graph_error

PROFILES = "/deviceManagement/appleUserInitiatedEnrollmentProfiles"
IDENTITIES = "/deviceManagement/importedDeviceIdentities"
GROUP_TARGET = '{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", '
# (method, path, raw JSON body, where the message says the surrogate is): each stored text
# property the issue names, written by every Graph call that writes it.
SURROGATE_BODIES = [
    ("PATCH", "/groups/{group}", '{"description": "ok \\udc00"}', "description"),
    ("POST", PROFILES, '{"displayName": "P", "description": "\\ud800"}', "description"),
    ("PATCH", PROFILES + "/{profile}", '{"description": "\\udbff!"}', "description"),
    (
        "POST",
        IDENTITIES,
        '{"importedDeviceIdentifier": "F2LXC0RP0042", "importedDeviceIdentityType": '
        '"serialNumber", "description": "\\ud800"}',
        "description",
    ),
    (
        "POST",
        IDENTITIES + "/importDeviceIdentityList",
        '{"overwriteImportedDeviceIdentities": false, "importedDeviceIdentities": '
        '[{"importedDeviceIdentifier": "F2LXC0RP0043", "importedDeviceIdentityType": '
        '"serialNumber", "description": "x\\udfff"}]}',
        "importedDeviceIdentities[0].description",
    ),
    (
        "POST",
        PROFILES + "/{profile}/assignments",
        GROUP_TARGET + '"groupId": "\\ud800"}}',
        "target.groupId",
    ),  # fmt: skip
    (
        "POST",
        PROFILES + "/{profile}/assign",
        '{"enrollmentProfileAssignments": [' + GROUP_TARGET + '"groupId": "\\ud800"}}]}',
        "enrollmentProfileAssignments[0].target.groupId",
    ),
    (
        "POST",
        "/deviceManagement/intuneBrandingProfiles/{branding}/assign",
        '{"assignments": [' + GROUP_TARGET + '"groupId": "\\udc00"}}]}',
        "assignments[0].target.groupId",
    ),
]


def graph_state(graph: Graph) -> list:
    paths = ["/groups", PROFILES, IDENTITIES, "/deviceManagement/intuneBrandingProfiles"]
    profile = graph.id_of(PROFILES, displayName="Everyone")
    paths.append(f"{PROFILES}/{profile}/assignments")
    return [graph.values(path) for path in paths]


@pytest.mark.parametrize(("method", "template", "body", "where"), SURROGATE_BODIES)
def test_lone_surrogate_in_every_stored_graph_text_is_a_400_that_writes_nothing(
    client, new_tenant, method, template, body, where
):
    graph = Graph(client, new_tenant(SCENARIO))
    ids = {
        "group": graph.id_of("/groups", displayName="BYOD Users"),
        "profile": graph.id_of(PROFILES, displayName="Everyone"),
        "branding": graph.values("/deviceManagement/intuneBrandingProfiles")[0]["id"],
    }
    before = graph_state(graph)
    response = graph.call(
        method, template.format(**ids), data=body, content_type="application/json"
    )
    assert_graph_error(response, 400, "BadRequest", f"The JSON body at {where}:", "lone UTF-16")
    assert graph_state(graph) == before


@pytest.mark.parametrize(
    "path",
    [
        "/groups/%ED%A0%80",  # an id
        "/users/a%ed%b0%80b/memberOf",
        "/groups?$filter=displayName eq '%ED%A0%80'",  # a query value
        "/groups?%ED%BF%BF=1",  # a query name
    ],
)
def test_lone_surrogate_in_a_graph_url_is_a_400_in_graph_json(client, new_tenant, path):
    graph = Graph(client, new_tenant(SCENARIO))
    assert_graph_error(graph.get(path), 400, "BadRequest", "lone UTF-16 surrogate")


def test_other_undecodable_escapes_are_a_400_too(client, new_tenant):
    graph = Graph(client, new_tenant(SCENARIO))
    assert_graph_error(graph.get("/groups?$filter=displayName eq '%FF'"), 400, "BadRequest",
                       "Query parameter '$filter': is not UTF-8 text")  # fmt: skip
    url = f"/t/{graph.tenant['id']}/portal/"
    response = client.post(url, data="email=%C3", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "is not UTF-8 text" in text(response)


SCENARIO_TEXTS = [
    ({"company": "\ud800"}, "company"),
    (
        {"users": [{"upn": "a@b.cd", "password": "Passw0rd!", "displayName": "\udfff"}]},
        "users[0].displayName",
    ),  # fmt: skip
    ({"groups": [{"name": "G", "description": "\ud800"}]}, "groups[0].description"),
    ({"profiles": [{"name": "P", "description": "\udc00"}]}, "profiles[0].description"),
    (
        {
            "corporateIdentifiers": [
                {"type": "serialNumber", "value": "F2LXC0RP0001", "description": "\ud800"}
            ]
        },
        "corporateIdentifiers[0].description",
    ),  # fmt: skip
    (
        {"brandingProfiles": [{"profileName": "B", "contactITNotes": "\ud800"}]},
        "brandingProfiles[0].contactITNotes",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("doc", "where"), SCENARIO_TEXTS)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/yaml"])
@pytest.mark.parametrize("url", ["/_sim/tenants", "/_sim/tenants/default/reset"])
def test_lone_surrogate_in_a_scenario_is_a_400_that_writes_nothing(
    client, doc, where, content_type, url
):
    """As JSON (checked before the view), as JSON under another type and as YAML (checked by
    the scenario parser): each names the path of the text."""
    before = client.get("/_sim/tenants").get_json()
    default = client.get("/_sim/tenants/default/scenario").get_json()
    raw = json.dumps(doc)  # `\udxxx` escapes: JSON and YAML's double-quoted strings alike
    response = client.post(url, data=raw, content_type=content_type)
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert where in message and "lone UTF-16 surrogate" in message, message
    assert client.get("/_sim/tenants").get_json() == before
    assert client.get("/_sim/tenants/default/scenario").get_json() == default


@pytest.mark.parametrize(
    "url",
    [
        "/_sim/tenants/default/events?type=%ED%A0%80",
        "/_sim/tenants/default/resolve?upn=a%ED%A0%80@contoso.com",
        "/_sim/tenants/%ED%A0%80",
    ],
)
def test_lone_surrogate_in_a_control_api_url_is_a_400_in_json(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "lone UTF-16 surrogate" in response.get_json()["error"]["message"]


def test_lone_surrogate_in_a_scenario_file_names_the_path() -> None:
    with pytest.raises(ScenarioError, match=r"^groups\[0\]\.description: contains a lone"):
        parse_text('groups:\n  - name: G\n    description: "\\ud800"\n')
