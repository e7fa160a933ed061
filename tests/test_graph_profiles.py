"""Enrollment type profiles through Graph: create, read, update, delete, setPriority and
assignments — stored through the same functions as the console, so they apply in the portal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.directory.profiles import DEVICE_GROUPS_REFUSED, ordered, resolve_for_user
from app.store import JournalEvent, User, db
from tests.graph_support import SCENARIO, Graph, assert_graph_error

PROFILES = "/deviceManagement/appleUserInitiatedEnrollmentProfiles"
CHOICE = [
    {
        "@odata.type": "microsoft.graph.appleOwnerTypeEnrollmentType",
        "ownerType": "company",
        "enrollmentType": "device",
    },
    {
        "@odata.type": "microsoft.graph.appleOwnerTypeEnrollmentType",
        "ownerType": "personal",
        "enrollmentType": "user",
    },
]


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def order(graph: Graph) -> list[tuple[str, int]]:
    return [(p["displayName"], p["priority"]) for p in graph.values(PROFILES)]


def profile_id(graph: Graph, name: str) -> str:
    return graph.id_of(PROFILES, displayName=name)


def group_id(graph: Graph, name: str) -> str:
    return graph.id_of("/groups", displayName=name)


def create(graph: Graph, name: str, **fields) -> dict:
    return graph.ok("POST", PROFILES, 201, json={"displayName": name, **fields})


def test_list_shows_profiles_highest_priority_first(graph):
    body = graph.ok("GET", PROFILES)
    assert body["@odata.context"].endswith(
        "/$metadata#deviceManagement/appleUserInitiatedEnrollmentProfiles"
    )
    first = body["value"][0]
    assert first["@odata.type"] == "#microsoft.graph.appleUserInitiatedEnrollmentProfile"
    assert first["displayName"] == "BYOD Choice"
    assert first["priority"] == 0
    assert first["availableEnrollmentTypeOptions"] == CHOICE
    assert first["defaultEnrollmentType"] == "user"
    assert first["platform"] == "iOS"
    assert first["createdDateTime"].endswith("Z")
    assert body["value"][1]["availableEnrollmentTypeOptions"] == []


def test_create_goes_to_the_end_and_shows_in_the_console_order(graph, app):
    created = create(graph, "Sales", description="For sales", availableEnrollmentTypeOptions=CHOICE)
    assert created["priority"] == 2
    assert created["description"] == "For sales"
    assert created["defaultEnrollmentType"] == "device"
    assert created["@odata.context"].endswith("/$entity")
    assert order(graph) == [("BYOD Choice", 0), ("Everyone", 1), ("Sales", 2)]
    with app.app_context():
        stored = ordered(graph.tenant["id"])
        assert [(p.name, p.priority) for p in stored] == order(graph)
        assert stored[2].require_user_choice is True
        events = db.session.scalars(
            select(JournalEvent).where(
                JournalEvent.tenant_id == graph.tenant["id"], JournalEvent.type == "graph.write"
            )
        ).all()
        assert [(e.actor, e.detail["action"]) for e in events] == [("graph", "create")]


def test_create_at_an_explicit_priority_inserts_there(graph):
    create(graph, "Top", priority=0)
    create(graph, "Far", priority=99)  # clamped to the end
    assert order(graph) == [("Top", 0), ("BYOD Choice", 1), ("Everyone", 2), ("Far", 3)]


def test_a_profile_made_through_graph_applies_in_the_portal_at_once(graph, app):
    top = create(graph, "Contractor devices", defaultEnrollmentType="device", priority=0)
    path = f"{PROFILES}/{top['id']}/assignments"
    target = {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        "groupId": group_id(graph, "BYOD Users"),
    }
    graph.ok("POST", path, 201, json={"target": target})
    with app.app_context():
        alex = db.session.scalar(
            select(User).where(
                User.upn_key == "alex@contoso.com", User.tenant_id == graph.tenant["id"]
            )
        )
        resolution = resolve_for_user(alex)
        assert resolution.applied.name == "Contractor devices"
        assert resolution.applied.default_enrollment_type == "device"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "'displayName' is required"),
        ({"displayName": ""}, "displayName"),
        ({"displayName": 5}, "displayName"),
        (
            {"displayName": "X", "defaultEnrollmentType": "both"},
            "allowed values: unknown, device, user",
        ),
        ({"displayName": "X", "platform": "iPhone"}, "allowed values"),
        ({"displayName": "X", "priority": -1}, "priority"),
        ({"displayName": "X", "priority": "1"}, "priority"),
        (
            {
                "displayName": "X",
                "availableEnrollmentTypeOptions": [
                    {"ownerType": "corporate", "enrollmentType": "device"}
                ],
            },
            "availableEnrollmentTypeOptions[0].ownerType",
        ),
        (
            {"displayName": "X", "availableEnrollmentTypeOptions": [{"ownerType": "company"}]},
            "availableEnrollmentTypeOptions[0].enrollmentType' is required",
        ),
        (
            {"displayName": "X", "availableEnrollmentTypeOptions": CHOICE + CHOICE[:1]},
            "each ownerType",
        ),
    ],
)
def test_bad_profiles_are_400_and_nothing_is_written(graph, body, words):
    assert_graph_error(graph.post(PROFILES, json=body), 400, "BadRequest", words)
    assert order(graph) == [("BYOD Choice", 0), ("Everyone", 1)]


def test_get_patch_delete_one_profile(graph):
    pid = profile_id(graph, "Everyone")
    assert graph.ok("GET", f"{PROFILES}/{pid}")["displayName"] == "Everyone"
    patched = graph.ok(
        "PATCH",
        f"{PROFILES}/{pid}",
        json={"displayName": "All staff", "availableEnrollmentTypeOptions": CHOICE, "priority": 0},
    )
    assert patched["displayName"] == "All staff"
    assert patched["availableEnrollmentTypeOptions"] == CHOICE
    assert patched["priority"] == 0
    assert order(graph) == [("All staff", 0), ("BYOD Choice", 1)]
    cleared = graph.ok("PATCH", f"{PROFILES}/{pid}", json={"availableEnrollmentTypeOptions": []})
    assert cleared["availableEnrollmentTypeOptions"] == []
    assert cleared["displayName"] == "All staff"
    assert graph.delete(f"{PROFILES}/{pid}").status_code == 204
    assert order(graph) == [("BYOD Choice", 0)]
    assert_graph_error(graph.get(f"{PROFILES}/{pid}"), 404, "ResourceNotFound", pid)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"displayName": None}, "displayName"),
        ({"defaultEnrollmentType": "Device"}, "allowed values"),
        ({"priority": None}, "priority"),
    ],
)
def test_bad_patches_are_400(graph, body, words):
    pid = profile_id(graph, "Everyone")
    assert_graph_error(graph.patch(f"{PROFILES}/{pid}", json=body), 400, "BadRequest", words)


def test_delete_closes_the_gap(graph):
    create(graph, "Third")
    graph.delete(f"{PROFILES}/{profile_id(graph, 'BYOD Choice')}")
    assert order(graph) == [("Everyone", 0), ("Third", 1)]


def test_set_priority_up_and_down_keeps_0_to_n_minus_1(graph):
    create(graph, "Third")
    create(graph, "Fourth")
    fourth = profile_id(graph, "Fourth")
    response = graph.post(f"{PROFILES}/{fourth}/setPriority", json={"priority": 0})
    assert response.status_code == 204
    assert order(graph) == [("Fourth", 0), ("BYOD Choice", 1), ("Everyone", 2), ("Third", 3)]
    graph.post(f"{PROFILES}/{fourth}/setPriority", json={"priority": 2})
    assert order(graph) == [("BYOD Choice", 0), ("Everyone", 1), ("Fourth", 2), ("Third", 3)]
    graph.post(f"{PROFILES}/{fourth}/setPriority", json={"priority": 50})
    assert order(graph) == [("BYOD Choice", 0), ("Everyone", 1), ("Third", 2), ("Fourth", 3)]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "'priority' is required"),
        ({"priority": -2}, "priority"),
        ({"priority": "top"}, "priority"),
    ],
)
def test_bad_set_priority_is_400(graph, body, words):
    pid = profile_id(graph, "Everyone")
    response = graph.post(f"{PROFILES}/{pid}/setPriority", json=body)
    assert_graph_error(response, 400, "BadRequest", words)


def test_unknown_profile_is_404_everywhere(graph):
    for method, path, body in [
        ("GET", "/nope", None),
        ("PATCH", "/nope", {"displayName": "x"}),
        ("DELETE", "/nope", None),
        ("POST", "/nope/setPriority", {"priority": 0}),
        ("GET", "/nope/assignments", None),
        (
            "POST",
            "/nope/assignments",
            {"target": {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}},
        ),
    ]:
        response = graph.call(method, f"{PROFILES}{path}", json=body)
        assert_graph_error(response, 404, "ResourceNotFound", "nope")


def test_a_profile_of_another_tenant_is_404(graph, new_tenant):
    other = Graph(graph.client, new_tenant({"profiles": [{"name": "Theirs"}]}))
    theirs = profile_id(other, "Theirs")
    assert_graph_error(graph.get(f"{PROFILES}/{theirs}"), 404, "ResourceNotFound")
    assert_graph_error(graph.delete(f"{PROFILES}/{theirs}"), 404, "ResourceNotFound")
    assert order(other) == [("Theirs", 0)]


# --- assignments --------------------------------------------------------------------------------


def assignments(graph: Graph, pid: str) -> list[tuple[str, str | None]]:
    return [
        (a["target"]["@odata.type"], a["target"].get("groupId"))
        for a in graph.values(f"{PROFILES}/{pid}/assignments")
    ]


def target(kind: str, gid: str | None = None) -> dict:
    body = {"@odata.type": f"#microsoft.graph.{kind}"}
    if gid:
        body["groupId"] = gid
    return {"target": body}


def test_list_assignments(graph):
    pid = profile_id(graph, "BYOD Choice")
    body = graph.ok("GET", f"{PROFILES}/{pid}/assignments")
    assert body["@odata.context"].endswith(
        f"appleUserInitiatedEnrollmentProfiles('{pid}')/assignments"
    )
    assert body["value"][0]["@odata.type"] == "#microsoft.graph.appleEnrollmentProfileAssignment"
    assert assignments(graph, pid) == [
        ("#microsoft.graph.groupAssignmentTarget", group_id(graph, "BYOD Users"))
    ]
    everyone = profile_id(graph, "Everyone")
    assert assignments(graph, everyone) == [
        ("#microsoft.graph.allLicensedUsersAssignmentTarget", None)
    ]


def test_assign_include_exclude_and_all_users(graph, app):
    pid = create(graph, "New")["id"]
    byod, contractors = group_id(graph, "BYOD Users"), group_id(graph, "Contractors")
    made = graph.ok(
        "POST", f"{PROFILES}/{pid}/assignments", 201, json=target("groupAssignmentTarget", byod)
    )
    assert made["target"]["groupId"] == byod
    graph.ok(
        "POST",
        f"{PROFILES}/{pid}/assignments",
        201,
        json=target("exclusionGroupAssignmentTarget", contractors),
    )
    # The SDK may send @odata.type without the leading '#'.
    graph.ok(
        "POST",
        f"{PROFILES}/{pid}/assignments",
        201,
        json={"target": {"@odata.type": "microsoft.graph.allLicensedUsersAssignmentTarget"}},
    )
    assert assignments(graph, pid) == [
        ("#microsoft.graph.groupAssignmentTarget", byod),
        ("#microsoft.graph.exclusionGroupAssignmentTarget", contractors),
        ("#microsoft.graph.allLicensedUsersAssignmentTarget", None),
    ]
    one = graph.ok("GET", f"{PROFILES}/{pid}/assignments/{made['id']}")
    assert one["id"] == made["id"]
    assert one["@odata.context"].endswith("/assignments/$entity")


def test_patch_and_delete_an_assignment(graph):
    pid = profile_id(graph, "BYOD Choice")
    aid = graph.values(f"{PROFILES}/{pid}/assignments")[0]["id"]
    contractors = group_id(graph, "Contractors")
    patched = graph.ok(
        "PATCH",
        f"{PROFILES}/{pid}/assignments/{aid}",
        json=target("exclusionGroupAssignmentTarget", contractors),
    )
    assert patched["target"] == {
        "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget",
        "deviceAndAppManagementAssignmentFilterId": None,
        "deviceAndAppManagementAssignmentFilterType": "none",
        "groupId": contractors,
    }
    assert graph.delete(f"{PROFILES}/{pid}/assignments/{aid}").status_code == 204
    assert assignments(graph, pid) == []
    assert_graph_error(graph.get(f"{PROFILES}/{pid}/assignments/{aid}"), 404, "ResourceNotFound")


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({}, 400, "'target' is required"),
        ({"target": {"groupId": "x"}}, 400, "'target.@odata.type' is required"),
        (
            {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}},
            400,
            DEVICE_GROUPS_REFUSED,
        ),
        (
            {"target": {"@odata.type": "#microsoft.graph.somethingElse"}},
            400,
            "allowed values: #microsoft.graph.groupAssignmentTarget",
        ),
        (
            {"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget"}},
            400,
            "'target.groupId' is required",
        ),
        (
            {
                "target": {
                    "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                    "groupId": "nope",
                }
            },
            400,
            "No group with id 'nope'",
        ),
    ],
)
def test_bad_assignments_are_refused(graph, body, status, words):
    pid = profile_id(graph, "Everyone")
    response = graph.post(f"{PROFILES}/{pid}/assignments", json=body)
    assert_graph_error(response, status, "BadRequest", words)


def test_a_device_group_cannot_be_assigned(graph):
    pid = profile_id(graph, "Everyone")
    devices = group_id(graph, "BYOD Devices")
    for kind in ("groupAssignmentTarget", "exclusionGroupAssignmentTarget"):
        response = graph.post(f"{PROFILES}/{pid}/assignments", json=target(kind, devices))
        assert_graph_error(response, 400, "BadRequest", DEVICE_GROUPS_REFUSED)
    assert len(assignments(graph, pid)) == 1


def test_a_group_of_another_tenant_cannot_be_assigned(graph, new_tenant):
    other = Graph(graph.client, new_tenant({"groups": [{"name": "Theirs"}]}))
    theirs = group_id(other, "Theirs")
    pid = profile_id(graph, "Everyone")
    response = graph.post(
        f"{PROFILES}/{pid}/assignments", json=target("groupAssignmentTarget", theirs)
    )
    assert_graph_error(response, 400, "BadRequest", "No group with id")


def test_the_same_assignment_twice_is_a_conflict(graph):
    pid = profile_id(graph, "Everyone")
    response = graph.post(
        f"{PROFILES}/{pid}/assignments", json=target("allLicensedUsersAssignmentTarget")
    )
    assert_graph_error(response, 409, "Conflict", "All users")


def test_html_in_a_name_is_stored_as_text(graph):
    made = create(graph, "<script>alert(1)</script>")
    assert graph.ok("GET", f"{PROFILES}/{made['id']}")["displayName"] == "<script>alert(1)</script>"


def test_expand_assignments(graph):
    listed = graph.values(f"{PROFILES}?$expand=assignments")
    assert [len(p["assignments"]) for p in listed] == [1, 1]
    assert listed[1]["assignments"][0]["target"]["@odata.type"] == (
        "#microsoft.graph.allLicensedUsersAssignmentTarget"
    )
    pid = profile_id(graph, "BYOD Choice")
    one = graph.ok("GET", f"{PROFILES}/{pid}?$expand=assignments&$select=displayName")
    assert set(one) == {"@odata.context", "@odata.type", "displayName", "assignments"}
    assert "assignments" not in graph.ok("GET", f"{PROFILES}/{pid}")
    response = graph.get(f"{PROFILES}?$expand=owners")
    assert_graph_error(response, 400, "BadRequest", "'owners'", "expandable: assignments")


def test_concurrent_set_priority_calls_keep_priorities_0_to_n_minus_1(tmp_path):
    import json
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from app.testing.server import live_server

    def call(method: str, url: str, token: str | None = None, body: dict | None = None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None

    scenario = {"profiles": [{"name": f"P{i}"} for i in range(5)]}
    with live_server(tmp_path / "sim.sqlite") as base:
        _, tenant = call("POST", f"{base}/_sim/tenants", body=scenario)
        url, token = f"{tenant['graphBaseUrl']}{PROFILES}", tenant["token"]
        ids = [p["id"] for p in call("GET", url, token)[1]["value"]]
        moves = [(ids[i % 5], (i * 3) % 5) for i in range(20)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(
                pool.map(
                    lambda m: call("POST", f"{url}/{m[0]}/setPriority", token, {"priority": m[1]})[
                        0
                    ],
                    moves,
                )
            )
        assert statuses == [204] * 20
        priorities = sorted(p["priority"] for p in call("GET", url, token)[1]["value"])
        assert priorities == [0, 1, 2, 3, 4]
