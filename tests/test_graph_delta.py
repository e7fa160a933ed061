"""`delta` on users and groups as Graph answers it: the first call lists everything and ends with
`@odata.deltaLink`; that link returns only what changed since, deleted objects as `@removed`."""

from __future__ import annotations

import pytest

from tests.graph_support import SCENARIO, Graph, assert_graph_error


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def _follow(graph: Graph, link: str) -> dict:
    response = graph.client.get(link, headers=graph.headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _new_user(graph: Graph, nickname: str) -> str:
    body = {
        "accountEnabled": True,
        "displayName": nickname.title(),
        "mailNickname": nickname,
        "userPrincipalName": f"{nickname}@contoso.com",
        "passwordProfile": {"password": "x"},
    }
    return graph.ok("POST", "/users", 201, json=body)["id"]


def test_users_delta_lists_everything_then_only_changes(graph):
    first = graph.ok("GET", "/users/delta?$select=userPrincipalName,displayName")
    assert [u["userPrincipalName"] for u in first["value"]] == [
        "alex@contoso.com",
        "megan@contoso.com",
        "nestor@contoso.com",
    ]
    assert "@odata.nextLink" not in first
    link = first["@odata.deltaLink"]
    assert "/users/delta?$deltatoken=" in link
    assert _follow(graph, link)["value"] == []  # nothing changed yet

    patti = _new_user(graph, "patti")
    graph.ok("PATCH", "/users/megan@contoso.com", 204, json={"displayName": "Megan B."})
    nestor = graph.ok("GET", "/users/nestor@contoso.com")["id"]
    graph.ok("DELETE", f"/users/{nestor}", 204)
    changes = _follow(graph, link)
    by_id = {item["id"]: item for item in changes["value"]}
    assert by_id[nestor] == {"id": nestor, "@removed": {"reason": "deleted"}}
    assert by_id[patti]["userPrincipalName"] == "patti@contoso.com"
    megan = next(i for i in changes["value"] if i.get("userPrincipalName") == "megan@contoso.com")
    assert megan["displayName"] == "Megan B."
    assert set(megan) == {"@odata.type", "id", "userPrincipalName", "displayName"}
    assert len(changes["value"]) == 3
    assert _follow(graph, changes["@odata.deltaLink"])["value"] == []


def test_groups_delta_and_the_function_call_spelling(graph):
    first = graph.ok("GET", "/groups/delta()")
    assert len(first["value"]) == 3
    group = first["value"][0]["id"]
    graph.ok("PATCH", f"/groups/{group}", 204, json={"description": "changed"})
    changes = _follow(graph, first["@odata.deltaLink"])
    assert [(g["id"], g["description"]) for g in changes["value"]] == [(group, "changed")]


def test_delta_pages_100_at_a_time(client, new_tenant):
    users = [
        {"upn": f"u{n:03}@contoso.com", "displayName": f"U{n}", "password": "x"} for n in range(130)
    ]
    graph = Graph(client, new_tenant({"users": users}))
    first = graph.ok("GET", "/users/delta")
    assert len(first["value"]) == 100 and "@odata.deltaLink" not in first
    second = _follow(graph, first["@odata.nextLink"])
    assert len(second["value"]) == 30 and "@odata.deltaLink" in second
    for n in range(105):
        graph.ok("PATCH", f"/users/u{n:03}@contoso.com", 204, json={"displayName": f"V{n}"})
    changed = _follow(graph, second["@odata.deltaLink"])
    assert len(changed["value"]) == 100
    rest = _follow(graph, changed["@odata.nextLink"])
    assert len(rest["value"]) == 5 and "@odata.deltaLink" in rest


def test_a_reset_tenant_asks_for_a_new_sync_and_bad_tokens_are_400(graph):
    link = graph.ok("GET", "/users/delta")["@odata.deltaLink"]
    assert graph.client.post(
        f"/_sim/tenants/{graph.tenant['id']}/reset", json=SCENARIO
    ).status_code in (200, 204)
    assert_graph_error(graph.client.get(link, headers=graph.headers), 410, "syncStateNotFound")
    assert_graph_error(
        graph.get("/users/delta?$deltatoken=nonsense"), 400, "BadRequest", "$deltatoken"
    )
    assert_graph_error(graph.get("/users/delta?$filter=id eq 'x'"), 400, "BadRequest", "$filter")
