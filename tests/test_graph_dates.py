"""DateTimeOffset values as each Graph service writes them (graph-api.md, "Fidelity with real
Graph tools": response details): whole seconds for directory objects, managed devices and the
APNs certificate (as real Intune captures of an enrolled iPhone show), seven fractional digits for
Intune configuration objects."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.graph.dates import seven_digits, whole_seconds
from tests.graph_support import SCENARIO, Graph

WHOLE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
SEVEN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z")
DEVICES = "/deviceManagement/managedDevices"


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def test_the_two_formats():
    when = datetime(2019, 10, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert whole_seconds(when) == "2019-10-01T12:00:00Z"
    assert seven_digits(when) == "2019-10-01T12:00:00.1234560Z"
    assert seven_digits(when.replace(microsecond=0)) == "2019-10-01T12:00:00.0000000Z"
    assert whole_seconds(when.replace(tzinfo=None)) == "2019-10-01T12:00:00Z"  # stored UTC
    assert whole_seconds(None) is None and seven_digits(None) is None


def test_directory_objects_write_whole_seconds(graph):
    user = graph.ok("GET", "/users/alex@contoso.com")
    group = graph.values("/groups")[0]
    [organization] = graph.values("/organization")
    for stamp in (
        user["createdDateTime"],
        group["createdDateTime"],
        organization["createdDateTime"],
    ):
        assert WHOLE.fullmatch(stamp), stamp


def test_managed_devices_and_the_apns_certificate_write_whole_seconds(graph):
    device = graph.values(DEVICES)[0]
    for name in ("enrolledDateTime", "lastSyncDateTime", "managementCertificateExpirationDate"):
        assert WHOLE.fullmatch(device[name]), (name, device[name])
    graph.ok("POST", f"{DEVICES}/{device['id']}/syncDevice", 204)
    synced = graph.ok("GET", f"{DEVICES}/{device['id']}")
    assert WHOLE.fullmatch(synced["lastSyncDateTime"])
    graph.ok("POST", f"{DEVICES}/{device['id']}/remoteLock", 204)
    [result] = graph.ok("GET", f"{DEVICES}/{device['id']}")["deviceActionResults"]
    assert WHOLE.fullmatch(result["startDateTime"]) and WHOLE.fullmatch(
        result["lastUpdatedDateTime"]
    )
    cert = graph.ok("GET", "/deviceManagement/applePushNotificationCertificate")
    assert WHOLE.fullmatch(cert["expirationDateTime"]) and WHOLE.fullmatch(
        cert["lastModifiedDateTime"]
    )


def test_intune_configuration_objects_write_seven_digits(graph):
    profile = graph.values("/deviceManagement/appleUserInitiatedEnrollmentProfiles")[0]
    branding = graph.values("/deviceManagement/intuneBrandingProfiles")[0]
    ident = graph.ok(
        "POST",
        "/deviceManagement/importedDeviceIdentities",
        201,
        json={
            "importedDeviceIdentityType": "serialNumber",
            "importedDeviceIdentifier": "DMPXY0000001",
            "platform": "ios",
        },
    )
    for entity in (profile, branding, ident):
        for name in ("createdDateTime", "lastModifiedDateTime"):
            assert SEVEN.fullmatch(entity[name]), (entity["@odata.type"], name, entity[name])
