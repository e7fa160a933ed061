"""JSON batching (graph-api.md, "Fidelity with real Graph tools": `POST /$batch`): up to 20
requests, ids as strings or numbers, dependsOn with 424, relative URLs, per-request headers and
bodies, each sub-request answered exactly as the same direct call."""

from __future__ import annotations

import pytest

from tests.graph_support import SCENARIO, Graph, assert_graph_error


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def batch(graph: Graph, requests: list, version: str = "beta", status: int = 200, **kwargs):
    root = f"/t/{graph.tenant['id']}/{version}"
    response = graph.client.post(
        f"{root}/$batch", json={"requests": requests}, headers=graph.headers, **kwargs
    )
    assert response.status_code == status, response.get_data(as_text=True)
    return response


def by_id(response) -> dict:
    return {str(answer["id"]): answer for answer in response.get_json()["responses"]}


@pytest.mark.parametrize("version", ["beta", "v1.0", "Beta", "V1.0"])
def test_a_batch_answers_each_request_as_the_direct_call(graph, version):
    direct = graph.ok("GET", "/users?$select=userPrincipalName")
    answers = by_id(
        batch(
            graph,
            [
                {"id": "1", "method": "GET", "url": "/users?$select=userPrincipalName"},
                {"id": 2, "method": "GET", "url": "organization"},
            ],
            version=version,
        )
    )
    first = answers["1"]
    assert first["status"] == 200
    assert first["headers"]["Content-Type"].startswith("application/json")
    assert [u["userPrincipalName"] for u in first["body"]["value"]] == [
        u["userPrincipalName"] for u in direct["value"]
    ]
    assert f"/{version.lower()}/$metadata#users" in first["body"]["@odata.context"]
    assert answers["2"]["status"] == 200
    assert answers["2"]["body"]["value"][0]["displayName"] == "Contoso"


def test_ids_keep_their_json_type(graph):
    answers = batch(
        graph,
        [
            {"id": 7, "method": "GET", "url": "/users"},
            {"id": "seven", "method": "GET", "url": "/groups"},
        ],
    ).get_json()["responses"]
    assert [a["id"] for a in answers] == [7, "seven"]


def test_bodies_headers_and_writes_go_through_the_views(graph):
    answers = by_id(
        batch(
            graph,
            [
                {
                    "id": "create",
                    "method": "POST",
                    "url": "/groups",
                    "headers": {"Content-Type": "application/json"},
                    "body": {
                        "displayName": "Batch Group",
                        "mailEnabled": False,
                        "mailNickname": "batch",
                        "securityEnabled": True,
                    },
                },
                {
                    "id": "read",
                    "dependsOn": ["create"],
                    "method": "GET",
                    "url": "/groups?$filter=displayName eq 'Batch Group'",
                    "headers": {"client-request-id": "sub-1"},
                },
            ],
        )
    )
    assert answers["create"]["status"] == 201
    assert answers["create"]["body"]["displayName"] == "Batch Group"
    assert answers["read"]["headers"]["client-request-id"] == "sub-1"
    assert [g["displayName"] for g in answers["read"]["body"]["value"]] == ["Batch Group"]
    events = graph.client.get(f"/_sim/tenants/{graph.tenant['id']}/events?type=graph.write")
    assert any(e["detail"]["resource"] == "group" for e in events.get_json()["value"])


def test_a_failed_dependency_is_424_and_not_run(graph):
    answers = by_id(
        batch(
            graph,
            [
                {"id": "1", "method": "GET", "url": "/users/nobody@contoso.com"},
                {
                    "id": "2",
                    "dependsOn": ["1"],
                    "method": "DELETE",
                    "url": "/users/alex@contoso.com",
                },
                {"id": "3", "dependsOn": ["2"], "method": "GET", "url": "/users"},
            ],
        )
    )
    assert answers["1"]["status"] == 404
    assert answers["1"]["body"]["error"]["code"] == "Request_ResourceNotFound"
    assert answers["2"]["status"] == 424
    assert answers["3"]["status"] == 424
    assert graph.ok("GET", "/users/alex@contoso.com")["userPrincipalName"] == "alex@contoso.com"


def test_dependencies_run_first_and_answers_keep_the_given_order(graph):
    answers = batch(
        graph,
        [
            {
                "id": "b",
                "dependsOn": ["a"],
                "method": "GET",
                "url": "/groups?$filter=displayName eq 'Late'",
            },
            {
                "id": "a",
                "method": "POST",
                "url": "/groups",
                "headers": {"content-type": "application/json"},
                "body": {
                    "displayName": "Late",
                    "mailEnabled": False,
                    "mailNickname": "late",
                    "securityEnabled": True,
                },
            },
        ],
    ).get_json()["responses"]
    assert [a["id"] for a in answers] == ["b", "a"]
    assert [g["displayName"] for g in answers[0]["body"]["value"]] == ["Late"]


def test_a_204_sub_response_has_no_body(graph):
    [answer] = batch(
        graph,
        [
            {
                "id": "1",
                "method": "PATCH",
                "url": "/users/alex@contoso.com",
                "headers": {"Content-Type": "application/json"},
                "body": {"displayName": "Alex W."},
            }
        ],
    ).get_json()["responses"]
    assert answer["status"] == 204
    assert "body" not in answer
    assert "Content-Type" not in answer["headers"]


def test_sub_requests_use_the_batch_token_and_tenant(graph, new_tenant):
    other = new_tenant({"company": "Fabrikam"})
    [answer] = batch(
        graph,
        [
            {
                "id": "1",
                "method": "GET",
                "url": "/organization",
                "headers": {"Authorization": f"Bearer {other['token']}"},
            }
        ],
    ).get_json()["responses"]
    assert answer["status"] == 401
    response = graph.client.post(
        f"/t/{graph.tenant['id']}/beta/$batch",
        json={"requests": [{"id": "1", "method": "GET", "url": "/users"}]},
    )
    assert_graph_error(response, 401, "InvalidAuthenticationToken")


def test_twenty_requests_at_most(graph):
    twenty = [{"id": str(n), "method": "GET", "url": "/users"} for n in range(20)]
    assert len(batch(graph, twenty).get_json()["responses"]) == 20
    response = batch(graph, [*twenty, {"id": "20", "method": "GET", "url": "/users"}], status=400)
    assert_graph_error(response, 400, "BadRequest", "21 requests", "at most 20")


@pytest.mark.parametrize(
    ("requests", "words"),
    [
        ([{"id": "1", "method": "GET", "url": "/users"}] * 2, ["'1'", "more than once"]),
        (
            [
                {"id": 1, "method": "GET", "url": "/users"},
                {"id": "1", "method": "GET", "url": "/groups"},
            ],
            ["more than once"],
        ),
        ([{"id": "1", "method": "GET", "url": "/users", "dependsOn": ["9"]}], ["dependsOn", "'9'"]),
        (
            [
                {"id": "1", "method": "GET", "url": "/users", "dependsOn": ["2"]},
                {"id": "2", "method": "GET", "url": "/users", "dependsOn": ["1"]},
            ],
            ["cycle"],
        ),
        ([{"id": "1", "method": "GET"}], ["url", "required"]),
        ([{"method": "GET", "url": "/users"}], ["id", "required"]),
        ([{"id": 1.5, "method": "GET", "url": "/users"}], ["id"]),
        ([{"id": "1", "method": "TRACE", "url": "/users"}], ["method"]),
        (
            [{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/t/other/beta/users"}],
            ["another tenant"],
        ),
        (
            [
                {
                    "id": "1",
                    "method": "POST",
                    "url": "/$batch",
                    "body": {},
                    "headers": {"Content-Type": "application/json"},
                }
            ],
            ["batch cannot contain"],
        ),
        (
            [{"id": "1", "method": "POST", "url": "/groups", "body": {"displayName": "x"}}],
            ["Content-Type"],
        ),
        ([], ["requests"]),
    ],
)
def test_malformed_batches_are_400(graph, requests, words):
    response = batch(graph, requests, status=400)
    assert_graph_error(response, 400, "BadRequest", *words)


@pytest.mark.parametrize("body", [{}, {"requests": {}}, {"requests": "x"}])
def test_a_batch_without_a_requests_array_is_400(graph, body):
    response = graph.client.post(
        f"/t/{graph.tenant['id']}/beta/$batch", json=body, headers=graph.headers
    )
    assert_graph_error(response, 400, "BadRequest", "requests")


@pytest.mark.parametrize(
    "url",
    [
        "users?$select=id",
        "/users?$select=id",
        "/beta/users?$select=id",
        "/v1.0/users?$select=id",
        "https://graph.microsoft.com/v1.0/users?$select=id",
        "http://localhost/t/{tenant}/beta/users?$select=id",
    ],
)
def test_relative_versioned_and_absolute_urls_name_the_same_collection(graph, url):
    url = url.replace("{tenant}", graph.tenant["id"])
    [answer] = batch(graph, [{"id": "1", "method": "GET", "url": url}]).get_json()["responses"]
    assert answer["status"] == 200, answer
    assert len(answer["body"]["value"]) == 3
    version = "v1.0" if "v1.0" in url else "beta"
    assert f"/{version}/$metadata#users" in answer["body"]["@odata.context"]


def test_the_default_tenant_batches_too(client, app):
    from app.store import Tenant, db

    with app.app_context():
        token = db.session.get(Tenant, "default").token
    response = client.post(
        "/v1.0/$batch",
        json={"requests": [{"id": "1", "method": "GET", "url": "/users?$top=1"}]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.get_json()["responses"][0]["status"] == 200
