"""Company Portal branding profiles through Graph: intuneBrandingProfiles (every property kept by
create and PATCH, the undeletable default, the limit of 25, assign and assignments) and
deviceManagement/intuneBrand as the default profile's legacy view."""

from __future__ import annotations

import base64

import pytest

from app.store import DEFAULT_BRANDING_ID
from tests.graph_support import SCENARIO, Graph, assert_graph_error

PROFILES = "/deviceManagement/intuneBrandingProfiles"
DEFAULT = f"{PROFILES}/{DEFAULT_BRANDING_ID}"
LOGO = {"type": "image/png", "value": base64.b64encode(b"\x89PNG\r\n\x1a\nlogo").decode()}
# Every writable property of intuneBrandingProfile, each with a value unlike a new profile's.
EVERYTHING = {
    "profileName": "Contractors",
    "profileDescription": "Branding for contractors",
    "displayName": "Contoso Contracting",
    "themeColor": {"r": 16, "g": 124, "b": 16},
    "showLogo": True,
    "showDisplayNameNextToLogo": False,
    "contactITName": "Contractor desk",
    "contactITPhoneNumber": "+1 425 555 0100",
    "contactITEmailAddress": "desk@contoso.com",
    "contactITNotes": "Weekdays 8-17",
    "onlineSupportSiteUrl": "https://help.contoso.com",
    "onlineSupportSiteName": "Contoso Help",
    "privacyUrl": "https://contoso.com/privacy",
    "customPrivacyMessage": "We can't see your photos.",
    "customCanSeePrivacyMessage": "We can see the device model.",
    "customCantSeePrivacyMessage": "We can't see your messages.",
    "enrollmentAvailability": "availableWithoutPrompts",
    "themeColorLogo": LOGO,
    "lightBackgroundLogo": LOGO,
    "landingPageCustomizedImage": {"type": "image/jpeg", "value": LOGO["value"]},
    "companyPortalBlockedActions": [{"platform": "iOS", "ownerType": "company", "action": "reset"}],
    "isRemoveDeviceDisabled": True,
    "isFactoryResetDisabled": True,
    "showAzureADEnterpriseApps": True,
    "showOfficeWebApps": True,
    "showConfigurationManagerApps": True,
    "sendDeviceOwnershipChangePushNotification": True,
    "disableClientTelemetry": True,
    "disableDeviceCategorySelection": True,
    "roleScopeTagIds": ["0", "7"],
}


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def group_id(graph: Graph, name: str) -> str:
    return graph.id_of("/groups", displayName=name)


def create(graph: Graph, name: str = "Contractors", **fields) -> dict:
    return graph.ok("POST", PROFILES, 201, json={"profileName": name, **fields})


def assign(graph: Graph, profile_id: str, *group_ids: str, status: int = 204):
    body = {
        "assignments": [
            {"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": g}}
            for g in group_ids
        ]
    }
    return graph.post(f"{PROFILES}/{profile_id}/assign", json=body)


def test_every_tenant_has_the_default_profile_with_its_company_and_colour(graph):
    (default,) = graph.values(PROFILES)
    assert default["@odata.type"] == "#microsoft.graph.intuneBrandingProfile"
    assert default["id"] == DEFAULT_BRANDING_ID and default["isDefaultProfile"] is True
    assert (default["displayName"], default["themeColor"]) == (
        "Contoso",
        {"r": 0, "g": 120, "b": 212},
    )
    assert default["enrollmentAvailability"] == "availableWithPrompts"
    assert graph.ok("GET", DEFAULT)["profileName"] == "Default"


def test_create_keeps_every_property_and_answers_201_with_location(graph):
    response = graph.post(PROFILES, json={**EVERYTHING, "id": "ignored", "isDefaultProfile": False})
    assert response.status_code == 201, response.get_data(as_text=True)
    made = response.get_json()
    assert response.headers["Location"].endswith(f"{PROFILES}('{made['id']}')")
    assert made["id"] != "ignored" and made["isDefaultProfile"] is False
    again = graph.ok("GET", f"{PROFILES}/{made['id']}")
    assert {k: again[k] for k in EVERYTHING} == EVERYTHING
    assert again["createdDateTime"].endswith("Z")


@pytest.mark.parametrize("name", sorted(EVERYTHING))
def test_patch_keeps_each_property_and_leaves_the_others(graph, name):
    made = create(graph)
    before = graph.ok("GET", f"{PROFILES}/{made['id']}")
    answer = graph.ok("PATCH", f"{PROFILES}/{made['id']}", json={name: EVERYTHING[name]})
    after = graph.ok("GET", f"{PROFILES}/{made['id']}")
    assert answer[name] == after[name] == EVERYTHING[name]
    unchanged = {k for k in EVERYTHING if k != name} | {"createdDateTime", "isDefaultProfile"}
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}


def test_patch_null_clears_a_text_property(graph):
    made = create(graph, contactITName="Desk")
    graph.ok("PATCH", f"{PROFILES}/{made['id']}", json={"contactITName": None})
    assert graph.ok("GET", f"{PROFILES}/{made['id']}")["contactITName"] is None


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"themeColor": {"r": 300, "g": 0, "b": 0}}, ["themeColor.r"]),
        ({"themeColor": "#FF0000"}, ["themeColor"]),
        ({"enrollmentAvailability": "sometimes"}, ["enrollmentAvailability", "unavailable"]),
        ({"privacyUrl": "contoso.com/privacy"}, ["privacyUrl", "https://"]),
        ({"onlineSupportSiteUrl": "ftp://x"}, ["onlineSupportSiteUrl"]),
        ({"contactITEmailAddress": "desk"}, ["contactITEmailAddress"]),
        ({"showLogo": "yes"}, ["showLogo"]),
        ({"displayName": None}, ["displayName"]),
        ({"displayName": ""}, ["displayName"]),
        ({"themeColorLogo": {"type": "image/gif", "value": "AA=="}}, ["themeColorLogo.type"]),
        ({"themeColorLogo": {"type": "image/png", "value": "not base64!"}}, ["themeColorLogo"]),
        (
            {
                "companyPortalBlockedActions": [
                    {"platform": "iOS", "ownerType": "x", "action": "reset"}
                ]
            },
            ["companyPortalBlockedActions[0].ownerType"],
        ),
        ({"isDefaultProfile": True}, ["isDefaultProfile", DEFAULT_BRANDING_ID]),
    ],
)
def test_bad_values_are_400_naming_the_property(graph, body, words):
    made = create(graph)
    assert_graph_error(
        graph.patch(f"{PROFILES}/{made['id']}", json=body), 400, "BadRequest", *words
    )
    assert_graph_error(
        graph.post(PROFILES, json={"profileName": "X", **body}), 400, "BadRequest", *words
    )
    assert len(graph.values(PROFILES)) == 2  # nothing half-made


def test_create_needs_a_profile_name(graph):
    assert_graph_error(
        graph.post(PROFILES, json={"displayName": "X"}), 400, "BadRequest", "profileName"
    )


def test_default_profile_cannot_be_deleted_or_assigned(graph):
    assert_graph_error(graph.delete(DEFAULT), 400, "BadRequest", "default branding profile")
    response = assign(graph, DEFAULT_BRANDING_ID, group_id(graph, "BYOD Users"))
    assert_graph_error(response, 400, "BadRequest", "default branding profile")
    assert [p["id"] for p in graph.values(PROFILES)] == [DEFAULT_BRANDING_ID]


def test_delete_removes_a_profile_and_its_assignments(graph):
    made = create(graph)
    assert assign(graph, made["id"], group_id(graph, "BYOD Users")).status_code == 204
    response = graph.delete(f"{PROFILES}/{made['id']}")
    assert response.status_code == 204 and response.get_data() == b""
    assert_graph_error(graph.get(f"{PROFILES}/{made['id']}"), 404, "ResourceNotFound")


def test_at_most_25_profiles_besides_the_default(graph):
    for n in range(25):
        create(graph, f"Profile {n}")
    response = graph.post(PROFILES, json={"profileName": "One too many"})
    assert_graph_error(response, 400, "BadRequest", "at most 25")
    assert len(graph.values(PROFILES)) == 26


def test_assign_replaces_the_assignments(graph):
    made = create(graph)
    byod, contractors = group_id(graph, "BYOD Users"), group_id(graph, "Contractors")
    assert assign(graph, made["id"], byod).status_code == 204
    assert assign(graph, made["id"], contractors, byod).status_code == 204
    listed = graph.values(f"{PROFILES}/{made['id']}/assignments")
    assert [a["target"]["groupId"] for a in listed] == [contractors, byod]
    first = listed[0]
    assert first["@odata.type"] == "#microsoft.graph.intuneBrandingProfileAssignment"
    assert first["target"]["@odata.type"] == "#microsoft.graph.groupAssignmentTarget"
    one = graph.ok("GET", f"{PROFILES}/{made['id']}/assignments/{first['id']}")
    assert one["target"]["groupId"] == contractors
    expanded = graph.ok("GET", f"{PROFILES}/{made['id']}?$expand=assignments")
    assert [a["id"] for a in expanded["assignments"]] == [a["id"] for a in listed]
    assert assign(graph, made["id"]).status_code == 204
    assert graph.values(f"{PROFILES}/{made['id']}/assignments") == []


def test_assign_keeps_the_filter_it_is_given(graph):
    made = create(graph)
    target = {
        "@odata.type": "microsoft.graph.groupAssignmentTarget",
        "groupId": group_id(graph, "BYOD Users"),
        "deviceAndAppManagementAssignmentFilterId": "5b1b8bd4-5e5b-4e6b-9e2b-2b1f0d0e8a11",
        "deviceAndAppManagementAssignmentFilterType": "include",
    }
    body = {"assignments": [{"target": target}]}
    assert graph.post(f"{PROFILES}/{made['id']}/assign", json=body).status_code == 204
    (listed,) = graph.values(f"{PROFILES}/{made['id']}/assignments")
    assert listed["target"] == {**target, "@odata.type": "#microsoft.graph.groupAssignmentTarget"}


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ({"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}, ["user groups"]),
        (
            {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "x"},
            ["@odata.type"],
        ),
        ({"@odata.type": "#microsoft.graph.groupAssignmentTarget"}, ["groupId", "required"]),
        (
            {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "nope"},
            ["No such group"],
        ),
        ({"groupId": "x"}, ["@odata.type"]),
    ],
)
def test_assign_refuses_what_cannot_be_assigned(graph, target, words):
    made = create(graph)
    response = graph.post(
        f"{PROFILES}/{made['id']}/assign", json={"assignments": [{"target": target}]}
    )
    assert_graph_error(response, 400, "BadRequest", *words)
    assert graph.values(f"{PROFILES}/{made['id']}/assignments") == []


def test_assign_refuses_device_groups_and_a_group_twice(graph):
    made = create(graph)
    response = assign(graph, made["id"], group_id(graph, "BYOD Devices"))
    assert_graph_error(response, 400, "BadRequest", "device group")
    byod = group_id(graph, "BYOD Users")
    assert_graph_error(assign(graph, made["id"], byod, byod), 400, "BadRequest", "twice")


def test_a_logo_reads_back_as_its_own_property(graph):
    made = create(graph, themeColorLogo=LOGO)
    logo = graph.ok("GET", f"{PROFILES}/{made['id']}/themeColorLogo")
    assert (logo["type"], logo["value"]) == (LOGO["type"], LOGO["value"])
    assert graph.get(f"{PROFILES}/{made['id']}/lightBackgroundLogo").status_code == 204


def test_filter_and_select_on_profiles(graph):
    create(graph, "Contractors")
    found = graph.values(f"{PROFILES}?$filter=profileName eq 'Contractors'&$select=id,profileName")
    assert [p["profileName"] for p in found] == ["Contractors"]
    defaults = graph.values(f"{PROFILES}?$filter=isDefaultProfile eq true")
    assert [p["id"] for p in defaults] == [DEFAULT_BRANDING_ID]


# deviceManagement/intuneBrand: the default profile's legacy view.
BRAND = {
    **{k: v for k, v in EVERYTHING.items() if k not in {"profileName", "profileDescription"}},
    "displayName": "Fabrikam",
}
BRAND.pop("showConfigurationManagerApps")
BRAND.pop("disableDeviceCategorySelection")


def test_intune_brand_patch_keeps_every_property_in_the_default_profile(graph):
    answer = graph.ok("PATCH", "/deviceManagement", json={"intuneBrand": BRAND})
    for view in (
        answer["intuneBrand"],
        graph.ok("GET", "/deviceManagement")["intuneBrand"],
        graph.ok("GET", "/deviceManagement/intuneBrand"),
    ):
        assert {k: view[k] for k in BRAND} == BRAND
        assert view["darkBackgroundLogo"] == BRAND["themeColorLogo"]
        assert view["showNameNextToLogo"] is BRAND["showDisplayNameNextToLogo"]
    default = graph.ok("GET", DEFAULT)
    assert {k: default[k] for k in BRAND} == BRAND
    assert graph.ok("GET", "/organization")["value"][0]["displayName"] == "Fabrikam"


def test_intune_brand_aliases_and_profile_edits_show_in_the_legacy_view(graph):
    body = {"intuneBrand": {"showNameNextToLogo": False, "darkBackgroundLogo": LOGO}}
    graph.ok("PATCH", "/deviceManagement", json=body)
    default = graph.ok("GET", DEFAULT)
    assert default["showDisplayNameNextToLogo"] is False and default["themeColorLogo"] == LOGO
    graph.ok("PATCH", DEFAULT, json={"contactITName": "Helpdesk", "displayName": "Tailspin"})
    brand = graph.ok("GET", "/deviceManagement")["intuneBrand"]
    assert (brand["contactITName"], brand["displayName"]) == ("Helpdesk", "Tailspin")


def test_intune_brand_round_trip_of_its_own_get_is_accepted(graph):
    """IntuneManagement exports GET deviceManagement/intuneBrand and PATCHes it back whole."""
    graph.ok("PATCH", "/deviceManagement", json={"intuneBrand": BRAND})
    exported = graph.ok("GET", "/deviceManagement/intuneBrand")
    exported.pop("@odata.context")
    graph.ok("PATCH", "/deviceManagement", json={"intuneBrand": exported})
    again = graph.ok("GET", "/deviceManagement/intuneBrand")
    again.pop("@odata.context")
    assert again == exported


def test_intune_brand_bad_value_names_the_property(graph):
    body = {"intuneBrand": {"privacyUrl": "nope"}}
    assert_graph_error(
        graph.patch("/deviceManagement", json=body), 400, "BadRequest", "intuneBrand.privacyUrl"
    )
