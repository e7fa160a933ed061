"""managedDevice as Graph has it (graph-api.md, "Fidelity with real Graph tools": managedDevice):
every property of the beta type with values an enrolled iPhone or iPad reports, v1.0's property
set under /v1.0, users/{id}/managedDevices, and the device actions with their statuses, journal
entries and effects."""

from __future__ import annotations

import uuid

import pytest

from app.graph import schema
from tests.graph_support import SCENARIO, Graph, assert_graph_error

DEVICES = "/deviceManagement/managedDevices"


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def v1(graph: Graph, method: str, path: str, **kwargs):
    return graph.client.open(
        f"/t/{graph.tenant['id']}/v1.0{path}", method=method, headers=graph.headers, **kwargs
    )


def device_id(graph: Graph, name: str) -> str:
    return graph.id_of(DEVICES, deviceName=name)


def device_path(graph: Graph, name: str) -> str:
    return f"{DEVICES}/{device_id(graph, name)}"


def events(graph: Graph, action: str) -> list[dict]:
    answer = graph.client.get(f"/_sim/tenants/{graph.tenant['id']}/events?type=graph.write")
    return [e for e in answer.get_json()["value"] if e["detail"]["action"] == action]


def test_every_property_of_the_beta_type(graph):
    device = graph.ok("GET", device_path(graph, "Megan's iPad"))
    names = {name for name in device if not name.startswith("@")}
    assert names == set(schema.beta_properties("managedDevice"))
    assert len(names) >= 80
    hardware = set(device["hardwareInformation"]) - {"@odata.type"}
    assert hardware == set(schema.complex_properties("hardwareInformation"))


def test_values_an_enrolled_ipad_reports(graph):
    device = graph.ok("GET", device_path(graph, "Megan's iPad"))
    assert device["deviceType"] == "iPad"
    assert device["chassisType"] == "tablet"
    assert device["operatingSystem"] in ("iOS", "iPadOS")
    assert device["manufacturer"] == "Apple"
    assert device["complianceState"] == "compliant"
    assert device["managementAgent"] == "mdm"
    assert device["joinType"] == "azureADRegistered"
    assert device["deviceRegistrationState"] == "registered"
    assert device["isSupervised"] is False
    assert device["jailBroken"] == "False"
    assert device["azureADRegistered"] is True
    assert str(uuid.UUID(device["azureADDeviceId"])) == device["azureADDeviceId"]
    assert device["azureActiveDirectoryDeviceId"] == device["azureADDeviceId"]
    assert device["userDisplayName"] == "Megan Bowen"
    assert device["hardwareInformation"]["serialNumber"] == "F2LXC0RP0001"
    assert device["hardwareInformation"]["manufacturer"] == "Apple"
    assert device["totalStorageSpaceInBytes"] > device["freeStorageSpaceInBytes"] > 0
    assert device["managedDeviceName"].startswith("megan_iPad_1/2/2026_")
    assert device["deviceActionResults"] == []
    again = graph.ok("GET", f"{DEVICES}/{device['id']}")
    assert again["azureADDeviceId"] == device["azureADDeviceId"]  # stable, not random per read
    assert again["wiFiMacAddress"] == device["wiFiMacAddress"]


def test_user_enrollment_reports_no_hardware_identifiers(graph):
    device = graph.ok("GET", device_path(graph, "Alex's iPhone"))
    assert device["deviceEnrollmentType"] == "appleUserEnrollment"
    assert device["deviceType"] == "iPhone"
    assert device["chassisType"] == "phone"
    assert device["serialNumber"] == "" and device["udid"] == ""
    assert device["hardwareInformation"]["serialNumber"] is None


def test_v1_shows_v1_properties_only(graph):
    ident = device_id(graph, "Megan's iPad")
    response = v1(graph, "GET", f"{DEVICES}/{ident}")
    assert response.status_code == 200
    device = response.get_json()
    names = {name for name in device if not name.startswith("@")}
    assert names == set(schema.v1_properties("managedDevice"))
    assert "hardwareInformation" not in device and "joinType" not in device
    assert "/v1.0/$metadata#deviceManagement/managedDevices" in device["@odata.context"]


def test_a_beta_only_enum_member_reads_unknown_future_value_in_v1(app):
    from app.graph.versions import view_of

    beta = {
        "@odata.type": "#microsoft.graph.managedDevice",
        "deviceEnrollmentType": "appleAccountDrivenUserEnrollment",  # beta only
        "managementState": "retirePending",
        "joinType": "azureADRegistered",  # a beta-only property
    }
    with app.test_request_context("/v1.0/deviceManagement/managedDevices"):
        assert view_of("managedDevice", beta) == {
            "@odata.type": "#microsoft.graph.managedDevice",
            "deviceEnrollmentType": "unknownFutureValue",
            "managementState": "retirePending",
        }
    with app.test_request_context("/beta/deviceManagement/managedDevices"):
        assert view_of("managedDevice", beta) == beta


def test_users_managed_devices(graph):
    megan = graph.id_of("/users", userPrincipalName="megan@contoso.com")
    for key in (megan, "megan@contoso.com", "MEGAN@contoso.com"):
        answer = graph.ok("GET", f"/users/{key}/managedDevices")
        assert sorted(d["deviceName"] for d in answer["value"]) == [
            "Megan's iPad",
            "Megan's iPhone",
        ]
        assert f"users('{megan}')/managedDevices" in answer["@odata.context"]
    assert graph.values("/users/nestor@contoso.com/managedDevices") == []
    response = graph.get("/users/nobody@contoso.com/managedDevices")
    assert_graph_error(response, 404, "Request_ResourceNotFound")
    response = v1(graph, "GET", f"/users/{megan}/managedDevices")
    assert len(response.get_json()["value"]) == 2


def test_sync_device_moves_last_sync(graph):
    ident = device_id(graph, "Megan's iPad")
    before = graph.ok("GET", f"{DEVICES}/{ident}")["lastSyncDateTime"]
    response = graph.post(f"{DEVICES}/{ident}/syncDevice")
    assert response.status_code == 204
    assert response.data == b"" and "Content-Type" not in response.headers
    after = graph.ok("GET", f"{DEVICES}/{ident}")["lastSyncDateTime"]
    assert after > before
    assert [e["detail"]["id"] for e in events(graph, "syncDevice")] == [ident]


@pytest.mark.parametrize(
    ("action", "state"), [("retire", "retirePending"), ("wipe", "wipePending")]
)
def test_retire_and_wipe_are_pending_until_the_device_checks_in(graph, action, state):
    ident = device_id(graph, "Megan's iPad")
    assert graph.post(f"{DEVICES}/{ident}/{action}").status_code == 204
    device = graph.ok("GET", f"{DEVICES}/{ident}")
    assert device["managementState"] == state
    [result] = device["deviceActionResults"]
    assert result["actionName"] == action and result["actionState"] == "pending"
    assert graph.post(f"{DEVICES}/{ident}/syncDevice").status_code == 204
    assert_graph_error(graph.get(f"{DEVICES}/{ident}"), 404, "ResourceNotFound")
    [entry] = events(graph, "syncDevice")
    assert entry["detail"]["removed"] is True
    assert entry["user"] == "megan@contoso.com"


def test_wipe_takes_its_parameters(graph):
    ident = device_id(graph, "Megan's iPad")
    body = {"keepEnrollmentData": True, "keepUserData": False, "persistEsimDataPlan": True}
    assert graph.post(f"{DEVICES}/{ident}/wipe", json=body).status_code == 204
    [entry] = events(graph, "wipe")
    assert entry["detail"]["keepEnrollmentData"] is True
    response = graph.post(f"{DEVICES}/{ident}/wipe", json={"keepUserData": "yes"})
    assert_graph_error(response, 400, "BadRequest", "keepUserData")


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("remoteLock", "done"),
        ("resetPasscode", "done"),
        ("rebootNow", "notSupported"),
        ("shutDown", "notSupported"),
    ],
)
def test_actions_are_recorded_on_the_device(graph, action, state):
    ident = device_id(graph, "Megan's iPad")
    response = graph.post(f"{DEVICES}/{ident}/{action}")
    assert response.status_code == 204
    device = graph.ok("GET", f"{DEVICES}/{ident}")
    assert [(r["actionName"], r["actionState"]) for r in device["deviceActionResults"]] == [
        (action, state)
    ]
    assert device["managementState"] == "managed"
    assert len(events(graph, action)) == 1


def test_actions_by_qualified_name_and_in_v1(graph):
    ident = device_id(graph, "Megan's iPad")
    assert graph.post(f"{DEVICES}('{ident}')/microsoft.graph.remoteLock").status_code == 204
    assert v1(graph, "POST", f"{DEVICES}/{ident}/syncdevice").status_code == 204


@pytest.mark.parametrize(
    ("device", "action", "words"),
    [
        ("Megan's iPad", "updateWindowsDeviceAccount", ["only for Windows", "iPadOS"]),
        ("Megan's iPad", "windowsDefenderScan", ["only for Windows"]),
        ("Alex's iPhone", "wipe", ["User Enrollment"]),
        ("Alex's iPhone", "resetPasscode", ["User Enrollment"]),
    ],
)
def test_actions_that_do_not_apply_are_400_and_change_nothing(graph, device, action, words):
    ident = device_id(graph, device)
    response = graph.post(f"{DEVICES}/{ident}/{action}")
    assert_graph_error(response, 400, "BadRequest", *words)
    assert graph.ok("GET", f"{DEVICES}/{ident}")["deviceActionResults"] == []
    assert events(graph, action) == []


def test_user_enrollment_devices_take_retire_sync_and_lock(graph):
    ident = device_id(graph, "Alex's iPhone")
    for action in ("remoteLock", "syncDevice", "retire"):
        assert graph.post(f"{DEVICES}/{ident}/{action}").status_code == 204, action


def test_actions_on_unknown_devices_are_404(graph):
    response = graph.post(f"{DEVICES}/{uuid.uuid4()}/syncDevice")
    assert_graph_error(response, 404, "ResourceNotFound")


def test_patch_keeps_notes_and_the_device_name(graph):
    ident = device_id(graph, "Megan's iPad")
    body = {"notes": "Loaner, desk 4", "managedDeviceName": "Front desk iPad", "model": "x"}
    graph.ok("PATCH", f"{DEVICES}/{ident}", json=body)
    device = graph.ok("GET", f"{DEVICES}/{ident}")
    assert device["notes"] == "Loaner, desk 4"
    assert device["managedDeviceName"] == "Front desk iPad"
    assert device["model"] == "iPad"  # read-only: ignored, as Intune ignores it
    graph.ok("PATCH", f"{DEVICES}/{ident}", json={"notes": None})
    assert graph.ok("GET", f"{DEVICES}/{ident}")["notes"] is None
