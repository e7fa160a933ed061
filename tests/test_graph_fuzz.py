"""Bad input of any shape gets a Graph error with a 4xx status, never the 500 handler."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.graph_support import SCENARIO, Graph

PROFILES = "/deviceManagement/appleUserInitiatedEnrollmentProfiles"
KEYS = [
    "displayName",
    "description",
    "priority",
    "defaultEnrollmentType",
    "availableEnrollmentTypeOptions",
    "ownerType",
    "enrollmentType",
    "platform",
    "target",
    "@odata.type",
    "@odata.id",
    "groupId",
    "accountEnabled",
    "mailNickname",
    "userPrincipalName",
    "passwordProfile",
    "password",
    "groupTypes",
    "membershipRule",
    "mailEnabled",
    "securityEnabled",
    "enrollmentSimulatorGroupKind",
    "managedDeviceOwnerType",
    "intuneBrand",
    "themeColor",
    "r",
    "expirationDateTime",
    "importedDeviceIdentities",
    "importedDeviceIdentifier",
    "importedDeviceIdentityType",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        ["", "iOS", "user", "device", "company", "#microsoft.graph.groupAssignmentTarget"]
    ),
    st.text(max_size=12),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=4),
    ),
    max_leaves=12,
)
bodies = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=6)

WRITES = [
    ("POST", PROFILES),
    ("PATCH", f"{PROFILES}/{{profile}}"),
    ("POST", f"{PROFILES}/{{profile}}/setPriority"),
    ("POST", f"{PROFILES}/{{profile}}/assignments"),
    ("POST", "/users"),
    ("PATCH", "/users/alex@contoso.com"),
    ("POST", "/groups"),
    ("PATCH", "/groups/{group}"),
    ("POST", "/groups/{group}/members/$ref"),
    ("PATCH", "/deviceManagement/managedDevices/{device}"),
    ("PATCH", "/deviceManagement"),
    ("PATCH", "/deviceManagement/applePushNotificationCertificate"),
    ("POST", "/deviceManagement/importedDeviceIdentities"),
    ("POST", "/deviceManagement/importedDeviceIdentities/importDeviceIdentityList"),
]


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


@pytest.mark.parametrize(("method", "template"), WRITES)
def test_no_body_reaches_the_500_handler(graph, method, template):
    ids = {
        "profile": graph.id_of(PROFILES, displayName="Everyone"),
        "group": graph.id_of("/groups", displayName="BYOD Users"),
        "device": graph.id_of("/deviceManagement/managedDevices", deviceName="Alex's iPhone"),
    }
    path = template.format(**ids)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=bodies)
    def check(body):
        response = graph.call(method, path, json=body)
        assert response.status_code < 500, (body, response.get_data(as_text=True))
        if response.status_code >= 400:
            assert response.get_json()["error"]["code"]

    check()
