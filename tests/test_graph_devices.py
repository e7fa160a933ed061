"""Managed devices, tenant settings (organization, deviceManagement, APNs) and imported device
identities through Graph."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.store import JournalEvent, Tenant, db
from tests.graph_support import SCENARIO, Graph, assert_graph_error

DEVICES = "/deviceManagement/managedDevices"
IDENTITIES = "/deviceManagement/importedDeviceIdentities"


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def stored_tenant(app, graph: Graph) -> Tenant:
    return db.session.get(Tenant, graph.tenant["id"])


# --- managed devices -----------------------------------------------------------------------------


def test_list_and_get_devices(graph):
    body = graph.ok("GET", DEVICES)
    assert body["@odata.context"].endswith("/$metadata#deviceManagement/managedDevices")
    first = body["value"][0]
    assert first["@odata.type"] == "#microsoft.graph.managedDevice"
    assert first["deviceName"] == "Alex's iPhone"
    assert first["userPrincipalName"] == "alex@contoso.com"
    assert first["userId"] == graph.id_of("/users", userPrincipalName="alex@contoso.com")
    assert first["deviceEnrollmentType"] == "appleUserEnrollment"
    assert first["managedDeviceOwnerType"] == "personal"
    assert first["enrollmentProfileName"] == "BYOD Choice"
    assert first["managementState"] == "managed"
    assert first["enrolledDateTime"] == "2026-01-01T10:00:00Z"
    assert first["operatingSystem"] == "iOS"
    ipad = graph.ok("GET", f"{DEVICES}/{body['value'][1]['id']}")
    assert (ipad["model"], ipad["operatingSystem"], ipad["serialNumber"]) == (
        "iPad",
        "iPadOS",
        "F2LXC0RP0001",
    )


def test_patch_ownership_is_the_admins_change(graph, app):
    did = graph.id_of(DEVICES, deviceName="Alex's iPhone")
    patched = graph.ok(
        "PATCH",
        f"{DEVICES}/{did}",
        json={"managedDeviceOwnerType": "company", "deviceName": "Not writable here"},
    )
    assert patched["managedDeviceOwnerType"] == "company"
    assert patched["deviceName"] == "Alex's iPhone"
    assert graph.ok("GET", f"{DEVICES}/{did}")["managedDeviceOwnerType"] == "company"
    with app.app_context():
        event = db.session.scalars(
            select(JournalEvent).where(
                JournalEvent.tenant_id == graph.tenant["id"], JournalEvent.type == "graph.write"
            )
        ).one()
        assert event.detail["action"] == "setOwnership"
        assert (event.actor, event.user) == ("graph", "alex@contoso.com")
        assert (event.detail["before"], event.detail["after"]) == ("personal", "company")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"managedDeviceOwnerType": "corporate"}, "allowed values: company, personal"),
        ({"managedDeviceOwnerType": None}, "managedDeviceOwnerType"),
        ({"managedDeviceOwnerType": 1}, "managedDeviceOwnerType"),
    ],
)
def test_bad_ownership_patches_are_400(graph, body, words):
    did = graph.id_of(DEVICES, deviceName="Alex's iPhone")
    assert_graph_error(graph.patch(f"{DEVICES}/{did}", json=body), 400, "BadRequest", words)
    assert graph.ok("GET", f"{DEVICES}/{did}")["managedDeviceOwnerType"] == "personal"


def test_retire_and_delete(graph):
    did = graph.id_of(DEVICES, deviceName="Megan's iPad")
    assert graph.post(f"{DEVICES}/{did}/retire").status_code == 204
    assert graph.ok("GET", f"{DEVICES}/{did}")["managementState"] == "retirePending"
    assert graph.values(f"{DEVICES}?$filter=managementState eq 'retirePending'")[0]["id"] == did
    assert graph.delete(f"{DEVICES}/{did}").status_code == 204
    assert_graph_error(graph.get(f"{DEVICES}/{did}"), 404, "ResourceNotFound", did)
    assert len(graph.values(DEVICES)) == 2


@pytest.mark.parametrize(
    ("method", "suffix"), [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/retire")]
)
def test_unknown_device_is_404(graph, method, suffix):
    response = graph.call(
        method, f"{DEVICES}/nope{suffix}", json={"managedDeviceOwnerType": "company"}
    )
    assert_graph_error(response, 404, "ResourceNotFound", "nope")


def test_devices_of_another_tenant_are_invisible(graph, new_tenant):
    other = Graph(graph.client, new_tenant({}))
    did = graph.id_of(DEVICES, deviceName="Alex's iPhone")
    assert other.values(DEVICES) == []
    assert_graph_error(other.get(f"{DEVICES}/{did}"), 404, "ResourceNotFound")
    assert_graph_error(
        other.patch(f"{DEVICES}/{did}", json={"managedDeviceOwnerType": "company"}),
        404,
        "ResourceNotFound",
    )


# --- organization, deviceManagement, APNs ----------------------------------------------------


def test_organization_and_mdm_authority(graph, app, client):
    client.post(
        f"/_sim/tenants/{graph.tenant['id']}/reset", json={"settings": {"mdmAuthority": "unknown"}}
    )
    orgs = graph.values("/organization")
    assert len(orgs) == 1
    org = orgs[0]
    assert org["@odata.type"] == "#microsoft.graph.organization"
    assert org["mobileDeviceManagementAuthority"] == "unknown"
    assert graph.ok("GET", f"/organization/{org['id']}")["id"] == org["id"]
    result = graph.ok("POST", f"/organization/{org['id']}/setMobileDeviceManagementAuthority")
    assert result["value"] == 1
    assert graph.values("/organization")[0]["mobileDeviceManagementAuthority"] == "intune"
    with app.app_context():
        assert stored_tenant(app, graph).mdm_authority == "intune"
    response = graph.post("/organization/nope/setMobileDeviceManagementAuthority")
    assert_graph_error(response, 404, "Request_ResourceNotFound", "nope")


def test_device_management_brand(graph, app):
    dm = graph.ok("GET", "/deviceManagement")
    assert dm["@odata.type"] == "#microsoft.graph.deviceManagement"
    assert dm["intuneBrand"]["displayName"] == "Contoso"
    assert dm["intuneBrand"]["themeColor"] == {"r": 0, "g": 120, "b": 212}
    patched = graph.ok(
        "PATCH",
        "/deviceManagement",
        json={
            "intuneBrand": {
                "displayName": "Fabrikam <Ltd>",
                "themeColor": {"r": 255, "g": 16, "b": 1},
            }
        },
    )
    assert patched["intuneBrand"]["displayName"] == "Fabrikam <Ltd>"
    assert patched["intuneBrand"]["themeColor"] == {"r": 255, "g": 16, "b": 1}
    with app.app_context():
        tenant = stored_tenant(app, graph)
        assert (tenant.company, tenant.theme_color) == ("Fabrikam <Ltd>", "#FF1001")
    only_name = graph.ok(
        "PATCH", "/deviceManagement", json={"intuneBrand": {"displayName": "Tailspin"}}
    )
    assert only_name["intuneBrand"]["themeColor"] == {"r": 255, "g": 16, "b": 1}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"intuneBrand": {"themeColor": {"r": 256, "g": 0, "b": 0}}}, "intuneBrand.themeColor.r"),
        (
            {"intuneBrand": {"themeColor": {"r": 1, "g": 2}}},
            "'intuneBrand.themeColor.b' is required",
        ),
        ({"intuneBrand": {"themeColor": "#FF0000"}}, "intuneBrand.themeColor"),
        ({"intuneBrand": {"displayName": ""}}, "intuneBrand.displayName"),
    ],
)
def test_bad_brand_is_400(graph, body, words):
    assert_graph_error(graph.patch("/deviceManagement", json=body), 400, "BadRequest", words)
    assert graph.ok("GET", "/deviceManagement")["intuneBrand"]["displayName"] == "Contoso"


def test_apns_certificate(graph, app):
    path = "/deviceManagement/applePushNotificationCertificate"
    cert = graph.ok("GET", path)
    assert cert["@odata.type"] == "#microsoft.graph.applePushNotificationCertificate"
    assert cert["expirationDateTime"] == "2030-01-01T00:00:00Z"
    expired = graph.ok(
        "PATCH",
        path,
        json={"expirationDateTime": "2020-05-01T12:00:00Z", "appleIdentifier": "it@contoso.com"},
    )
    assert expired["expirationDateTime"] == "2020-05-01T00:00:00Z"
    assert expired["appleIdentifier"] == "it@contoso.com"
    with app.app_context():
        assert str(stored_tenant(app, graph).apns_expires) == "2020-05-01"
    removed = graph.ok("PATCH", path, json={"expirationDateTime": None})
    assert removed["expirationDateTime"] is None
    bad = graph.patch(path, json={"expirationDateTime": "next year"})
    assert_graph_error(bad, 400, "BadRequest", "expirationDateTime")


# --- imported device identities ----------------------------------------------------------------


def identifiers(graph: Graph) -> list[tuple[str, str]]:
    return [
        (i["importedDeviceIdentityType"], i["importedDeviceIdentifier"])
        for i in graph.values(IDENTITIES)
    ]


def test_list_identities_with_enrollment_state(graph):
    [ident] = graph.values(IDENTITIES)
    assert ident["@odata.type"] == "#microsoft.graph.importedDeviceIdentity"
    assert ident["importedDeviceIdentifier"] == "F2LXC0RP0001"
    assert ident["enrollmentState"] == "enrolled"  # Megan's iPad reported this serial
    assert ident["platform"] == "ios"


def test_create_and_delete_identity(graph):
    body = {
        "importedDeviceIdentifier": "35 209900 176148 1",
        "importedDeviceIdentityType": "imei",
        "description": "Kiosk",
    }
    made = graph.ok("POST", IDENTITIES, 201, json=body)
    assert made["enrollmentState"] == "notContacted"
    duplicate = graph.post(IDENTITIES, json={**body, "importedDeviceIdentifier": "352099001761481"})
    assert_graph_error(duplicate, 409, "Conflict", "already imported")
    assert graph.ok("GET", f"{IDENTITIES}/{made['id']}")["description"] == "Kiosk"
    assert graph.delete(f"{IDENTITIES}/{made['id']}").status_code == 204
    assert identifiers(graph) == [("serialNumber", "F2LXC0RP0001")]
    assert_graph_error(graph.delete(f"{IDENTITIES}/{made['id']}"), 404, "ResourceNotFound")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"importedDeviceIdentityType": "serialNumber"}, "'importedDeviceIdentifier' is required"),
        ({"importedDeviceIdentifier": "X"}, "'importedDeviceIdentityType' is required"),
        (
            {
                "importedDeviceIdentifier": "X",
                "importedDeviceIdentityType": "manufacturerModelSerial",
            },
            "allowed values: serialNumber, imei",
        ),
        ({"importedDeviceIdentifier": "   ", "importedDeviceIdentityType": "imei"}, "empty"),
        (
            {
                "importedDeviceIdentifier": "X",
                "importedDeviceIdentityType": "imei",
                "platform": "iOS",
            },
            "platform",
        ),
    ],
)
def test_bad_identities_are_400(graph, body, words):
    assert_graph_error(graph.post(IDENTITIES, json=body), 400, "BadRequest", words)


def test_import_device_identity_list(graph):
    body = {
        "overwriteImportedDeviceIdentities": False,
        "importedDeviceIdentities": [
            {
                "importedDeviceIdentifier": "DMPXC0RP0002",
                "importedDeviceIdentityType": "serialNumber",
                "platform": "ios",
            },
            {
                "importedDeviceIdentifier": "f2lxc0rp0001",
                "importedDeviceIdentityType": "serialNumber",
                "description": "again",
            },
            {
                "importedDeviceIdentifier": "DMPXC0RP0002",
                "importedDeviceIdentityType": "serialNumber",
            },
        ],
    }
    result = graph.ok("POST", f"{IDENTITIES}/importDeviceIdentityList", json=body)
    assert [
        (r["@odata.type"], r["importedDeviceIdentifier"], r["status"]) for r in result["value"]
    ] == [
        ("#microsoft.graph.importedDeviceIdentityResult", "DMPXC0RP0002", True),
        ("#microsoft.graph.importedDeviceIdentityResult", "F2LXC0RP0001", False),
        ("#microsoft.graph.importedDeviceIdentityResult", "DMPXC0RP0002", False),
    ]
    assert identifiers(graph) == [
        ("serialNumber", "F2LXC0RP0001"),
        ("serialNumber", "DMPXC0RP0002"),
    ]
    body["overwriteImportedDeviceIdentities"] = True
    result = graph.ok("POST", f"{IDENTITIES}/importDeviceIdentityList", json=body)
    assert [r["status"] for r in result["value"]] == [True, True, True]
    descriptions = {
        i["importedDeviceIdentifier"]: i["description"] for i in graph.values(IDENTITIES)
    }
    assert descriptions["F2LXC0RP0001"] == "again"


def test_a_bad_entry_in_an_import_list_writes_nothing(graph):
    body = {
        "importedDeviceIdentities": [
            {"importedDeviceIdentifier": "NEW1", "importedDeviceIdentityType": "serialNumber"},
            {"importedDeviceIdentifier": "NEW2", "importedDeviceIdentityType": "macAddress"},
        ]
    }
    response = graph.post(f"{IDENTITIES}/importDeviceIdentityList", json=body)
    assert_graph_error(
        response, 400, "BadRequest", "importedDeviceIdentities[1].importedDeviceIdentityType"
    )
    assert identifiers(graph) == [("serialNumber", "F2LXC0RP0001")]


def test_filter_identities(graph):
    graph.ok(
        "POST",
        IDENTITIES,
        201,
        json={"importedDeviceIdentifier": "356938035643809", "importedDeviceIdentityType": "imei"},
    )
    found = graph.values(f"{IDENTITIES}?$filter=importedDeviceIdentityType eq 'imei'")
    assert [i["importedDeviceIdentifier"] for i in found] == ["356938035643809"]
