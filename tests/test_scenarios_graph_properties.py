"""Kept Graph properties survive a scenario round trip and a reset: the optional, additive
`graphProperties` key of users, groups and devices (app/scenarios/schema.py)."""

from __future__ import annotations

import copy

import pytest

from tests.graph_support import SCENARIO, Graph

DEVICES = "/deviceManagement/managedDevices"


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def exported(graph: Graph) -> dict:
    return graph.client.get(f"/_sim/tenants/{graph.tenant['id']}/scenario").get_json()


def write_through_graph(graph: Graph) -> str:
    graph.ok(
        "PATCH",
        "/users/megan@contoso.com",
        204,
        json={"department": "Sales", "businessPhones": ["+1 555 0100"], "usageLocation": "US"},
    )
    gid = graph.id_of("/groups", displayName="BYOD Users")
    graph.ok("PATCH", f"/groups/{gid}", 204, json={"classification": "Internal"})
    device = graph.id_of(DEVICES, deviceName="Megan's iPad")
    graph.ok(
        "PATCH", f"{DEVICES}/{device}", 200, json={"notes": "Loaner", "roleScopeTagIds": ["0"]}
    )
    graph.ok("POST", f"{DEVICES}/{device}/remoteLock", 204)
    return device


def test_export_writes_graph_properties_only_where_kept(graph):
    before = exported(graph)
    assert all(
        "graphProperties" not in item
        for key in ("users", "groups", "devices")
        for item in before[key]
    )
    write_through_graph(graph)
    doc = exported(graph)
    megan = next(u for u in doc["users"] if u["upn"] == "megan@contoso.com")
    assert megan["graphProperties"] == {
        "department": "Sales",
        "businessPhones": ["+1 555 0100"],
        "usageLocation": "US",
    }
    byod = next(g for g in doc["groups"] if g["name"] == "BYOD Users")
    assert byod["graphProperties"] == {"classification": "Internal"}
    ipad = next(d for d in doc["devices"] if d["deviceName"] == "Megan's iPad")
    kept = ipad["graphProperties"]
    assert (kept["notes"], kept["roleScopeTagIds"]) == ("Loaner", ["0"])
    assert [(r["actionName"], r["actionState"]) for r in kept["deviceActionResults"]] == [
        ("remoteLock", "done")
    ]
    others = [u for u in doc["users"] if u["upn"] != "megan@contoso.com"]
    assert others and all("graphProperties" not in u for u in others)


def test_export_then_load_reads_back_the_same_properties(graph, client, new_tenant):
    write_through_graph(graph)
    doc = exported(graph)
    copy_graph = Graph(client, new_tenant(doc))
    assert exported(copy_graph) == doc
    user = copy_graph.ok("GET", "/users/megan@contoso.com")
    assert (user["department"], user["usageLocation"]) == ("Sales", "US")
    group = copy_graph.values("/groups")
    assert {g["displayName"]: g["classification"] for g in group}["BYOD Users"] == "Internal"
    ipad_id = copy_graph.id_of(DEVICES, deviceName="Megan's iPad")
    ipad = copy_graph.ok("GET", f"{DEVICES}/{ipad_id}")
    assert (
        ipad["notes"] == "Loaner" and ipad["deviceActionResults"][0]["actionName"] == "remoteLock"
    )


def test_reset_restores_the_scenario_graph_properties(graph, client):
    write_through_graph(graph)
    doc = exported(graph)
    tid = graph.tenant["id"]
    graph.ok(
        "PATCH", "/users/megan@contoso.com", 204, json={"department": None, "jobTitle": "Lead"}
    )
    assert client.post(f"/_sim/tenants/{tid}/reset", json=doc).status_code == 200
    user = graph.ok("GET", "/users/megan@contoso.com")
    assert (user["department"], user["jobTitle"]) == ("Sales", None)
    assert exported(graph) == doc


@pytest.mark.parametrize(
    ("where", "value", "words"),
    [
        ("users", {"department": 7}, ["users[0].graphProperties", "department"]),
        (
            "users",
            {"createdDateTime": "2020-01-01T00:00:00Z"},
            ["users[0].graphProperties", "createdDateTime"],
        ),
        ("users", {"favouriteColour": "blue"}, ["users[0].graphProperties", "favouriteColour"]),
        ("groups", {"visibility": 1}, ["groups[0].graphProperties", "visibility"]),
        ("devices", {"notes": "x", "colour": "red"}, ["devices[0].graphProperties", "colour"]),
        (
            "devices",
            {
                "deviceActionResults": [
                    {
                        "actionName": "remoteLock",
                        "actionState": "done",
                        "startDateTime": "yesterday",
                        "lastUpdatedDateTime": "now",
                    }
                ]
            },
            ["devices[0].graphProperties", "startDateTime"],
        ),
    ],
)
def test_bad_graph_properties_are_400_naming_where(client, where, value, words):
    doc = copy.deepcopy(SCENARIO)
    doc[where][0]["graphProperties"] = value
    response = client.post("/_sim/tenants", json=doc)
    assert response.status_code == 400, response.get_data(as_text=True)
    message = response.get_json()["error"]["message"]
    for word in words:
        assert word in message, message


def test_documents_without_the_key_load_as_before(client, new_tenant):
    tenant = new_tenant(SCENARIO)
    user = Graph(client, tenant).ok("GET", "/users/megan@contoso.com")
    assert user["department"] is None
