"""The managedDevices list reads plain rows and keeps each device's JSON by its row's values
(app/graph/devices.py): it shows exactly what the device's own GET shows, in both versions, and
shows every change at once (a tool's PATCH, the admin's ownership change, a renamed user)."""

from __future__ import annotations

import pytest

from app.store import User, db, transaction
from tests.graph_support import SCENARIO, Graph

DEVICES = "/deviceManagement/managedDevices"


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def each_device_alone(graph: Graph, version: str = "beta") -> list[dict]:
    base = f"/t/{graph.tenant['id']}/{version}"
    listed = graph.client.get(f"{base}{DEVICES}", headers=graph.headers).get_json()["value"]
    alone = []
    for device in listed:
        answer = graph.client.get(f"{base}{DEVICES}/{device['id']}", headers=graph.headers)
        body = answer.get_json()
        body.pop("@odata.context")
        alone.append(body)
    return listed, alone


@pytest.mark.parametrize("version", ["beta", "v1.0"])
def test_the_list_shows_each_device_as_its_own_get_does(graph, version):
    listed, alone = each_device_alone(graph, version)
    assert len(listed) == 3
    assert listed == alone
    assert [list(d) for d in listed] == [list(d) for d in alone]  # the same key order too


def test_the_list_shows_a_tools_patch_at_once(graph):
    graph.get(DEVICES)  # the list has built (and kept) every device's JSON
    device_id = graph.id_of(DEVICES, deviceName="Alex's iPhone")
    graph.ok(
        "PATCH",
        f"{DEVICES}/{device_id}",
        json={"notes": "Lost on the train", "managedDeviceOwnerType": "company"},
    )
    shown = {d["id"]: d for d in graph.values(DEVICES)}[device_id]
    assert shown["notes"] == "Lost on the train"
    assert shown["managedDeviceOwnerType"] == shown["ownerType"] == "company"
    listed, alone = each_device_alone(graph)
    assert listed == alone


def test_the_list_shows_a_renamed_user_at_once(app, graph):
    before = graph.values(DEVICES)
    assert {d["userDisplayName"] for d in before} == {"Alex Wilber", "Megan Bowen"}
    with app.app_context():
        with transaction(graph.tenant["id"]):
            user = (
                db.session.query(User)
                .filter_by(tenant_id=graph.tenant["id"], upn_key="megan@contoso.com")
                .one()
            )
            user.display_name = "Megan Bowen-Smith"
    after = {d["deviceName"]: d["userDisplayName"] for d in graph.values(DEVICES)}
    assert after["Megan's iPad"] == after["Megan's iPhone"] == "Megan Bowen-Smith"
    assert after["Alex's iPhone"] == "Alex Wilber"


def test_pages_and_select_of_the_list_are_unchanged(graph):
    first = graph.ok("GET", f"{DEVICES}?$top=2&$select=deviceName,userDisplayName")
    kind = {"@odata.type": "#microsoft.graph.managedDevice"}
    assert first["value"] == [
        {**kind, "deviceName": "Alex's iPhone", "userDisplayName": "Alex Wilber"},
        {**kind, "deviceName": "Megan's iPad", "userDisplayName": "Megan Bowen"},
    ]
    link = first["@odata.nextLink"]
    rest = graph.client.get(link, headers=graph.headers).get_json()
    assert [d["deviceName"] for d in rest["value"]] == ["Megan's iPhone"]
    assert "@odata.nextLink" not in rest
