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
    # what no stored text may hold: NUL, lone surrogates, control characters (issue 13)
    st.text(st.characters(codec=None, categories=["Cs", "Cc"]), min_size=1, max_size=4),
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


FILTER_WORDS = ["(", ")", " ", "'", "''", "displayName", "eq", "ne", "and", "or", "not",
                "startswith(", ",", "'a'", "1", "true", "null", "/", "any(", "x:"]  # fmt: skip
filters = st.one_of(
    st.lists(st.sampled_from(FILTER_WORDS), max_size=200).map("".join),
    st.integers(0, 600).map(lambda n: "(" * n + "displayName eq 'a'" + ")" * n),
    st.integers(0, 400).map(lambda n: "not " * n + "displayName eq 'a'"),
    st.text(max_size=40),
)
COLLECTIONS = ["/users", "/groups", PROFILES, "/deviceManagement/managedDevices", "/users/$count"]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=filters, path=st.sampled_from(COLLECTIONS))
def test_no_filter_reaches_the_500_handler(graph, text, path):
    """A $filter of 500 nested parentheses once exhausted the parser's stack (a 500)."""
    response = graph.get(path, query_string={"$filter": text})
    assert response.status_code < 500, (text[:80], response.get_data(as_text=True)[:300])
    if response.status_code >= 400:
        assert response.get_json()["error"]["code"]


segments = st.one_of(
    st.sampled_from(
        [
            "users",
            "groups",
            "deviceManagement",
            "managedDevices",
            "$ref",
            "$count",
            "members",
            "memberOf",
            "setPriority",
            "assign",
            "%0a",
            "a%0ab",
            "%0d%0a",
            "('x')",
            "%ED%A0%80",
            "%00",
            "%FF",
            "",
        ]
    ),  # fmt: skip
    st.text("abcXYZ019-_.~!$&'()*+,;=:@%", max_size=10),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    version=st.sampled_from(["beta", "v1.0", "Beta", "V1.0"]),
    parts=st.lists(segments, max_size=5),
    method=st.sampled_from(["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"]),
    trailing=st.booleans(),
)
def test_every_url_under_a_graph_root_is_graph_json(graph, version, parts, method, trailing):
    """`PATCH /beta/`, `DELETE /t/<id>/beta/` and ids holding `%0a` once answered HTML."""
    path = f"/t/{graph.tenant['id']}/{version}/" + "/".join(parts) + ("/" if trailing else "")
    response = graph.client.open(path, method=method, headers=graph.headers, json={})
    assert response.status_code < 500, (method, path, response.get_data(as_text=True)[:300])
    if method != "OPTIONS":
        assert response.content_type == "application/json", (method, path)
