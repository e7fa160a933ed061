"""Fault injection: PUT/GET/DELETE /_sim/tenants/<id>/faults and what the faces answer then.

Faults fire before any view (and before Graph's own authentication), so they are tested on any
URL under a tenant's /beta and /portal prefixes, whatever those faces serve.
"""

from __future__ import annotations

import asyncio
import time

import pytest

ALWAYS_429 = {"graph": {"errorRate": 1, "status": 429, "retryAfterSeconds": 7}}


def put(client, tenant_id: str, config: dict):
    return client.put(f"/_sim/tenants/{tenant_id}/faults", json=config)


def injected(client, tenant_id: str) -> list[dict]:
    page = client.get(f"/_sim/tenants/{tenant_id}/events", query_string={"type": "fault.*"})
    return page.get_json()["value"]


def statuses(client, url: str, n: int = 30) -> list[int]:
    return [client.get(url).status_code for _ in range(n)]


def test_config_is_stored_with_defaults_and_read_back(client, new_tenant):
    tenant = new_tenant()
    assert client.get(f"/_sim/tenants/{tenant['id']}/faults").get_json() == {
        "graph": None,
        "portal": None,
        "seed": None,
    }
    response = put(client, tenant["id"], {"graph": {"errorRate": 0.25}, "seed": 7})
    assert response.status_code == 200
    expected = {
        "graph": {"errorRate": 0.25, "status": 429, "retryAfterSeconds": 1, "latencyMs": 0},
        "portal": None,
        "seed": 7,
    }
    assert response.get_json() == expected
    assert client.get(f"/_sim/tenants/{tenant['id']}/faults").get_json() == expected


def test_graph_fault_uses_graphs_error_shape_and_retry_after(client, new_tenant):
    tenant = new_tenant()
    put(client, tenant["id"], ALWAYS_429)
    response = client.get(f"/t/{tenant['id']}/beta/users", headers={"client-request-id": "abc-123"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    error = response.get_json()["error"]
    assert error["code"] == "TooManyRequests"
    assert error["message"]
    assert set(error["innerError"]) == {"date", "request-id", "client-request-id"}
    assert error["innerError"]["client-request-id"] == "abc-123"
    assert error["innerError"]["date"].endswith("Z")


@pytest.mark.parametrize(
    ("status", "code", "retry_after"),
    [
        (500, "InternalServerError", None),
        (503, "ServiceUnavailable", "2"),
        (504, "GatewayTimeout", None),
    ],
)
def test_other_graph_statuses(client, new_tenant, status, code, retry_after):
    tenant = new_tenant()
    put(client, tenant["id"], {"graph": {"errorRate": 1, "status": status, "retryAfterSeconds": 2}})
    response = client.post(f"/t/{tenant['id']}/beta/deviceManagement", json={})
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert response.headers.get("Retry-After") == retry_after


def test_each_injected_fault_is_journaled(client, new_tenant):
    tenant = new_tenant()
    put(client, tenant["id"], {"graph": {"errorRate": 0.5}, "seed": 11})
    seen = statuses(client, f"/t/{tenant['id']}/beta/users", 20)
    events = injected(client, tenant["id"])
    assert 0 < seen.count(429) < 20
    assert len(events) == seen.count(429)
    assert events[0]["type"] == "fault.injected"
    assert events[0]["detail"] == {
        "method": "GET",
        "face": "graph",
        "status": 429,
        "path": f"/t/{tenant['id']}/beta/users",
        "retryAfterSeconds": 1,
    }


def test_a_seed_makes_the_sequence_repeatable(client, new_tenant):
    a, b = new_tenant(), new_tenant()
    config = {"graph": {"errorRate": 0.4}, "portal": {"errorRate": 0.4}, "seed": 42}
    put(client, a["id"], config)
    put(client, b["id"], config)
    first = statuses(client, f"/t/{a['id']}/beta/users")
    assert statuses(client, f"/t/{b['id']}/beta/users") == first
    put(client, a["id"], config)  # setting it again starts the sequence again
    assert statuses(client, f"/t/{a['id']}/beta/users") == first
    # portal traffic draws from its own sequence: it does not shift the Graph one
    put(client, a["id"], config)
    statuses(client, f"/t/{a['id']}/portal/", 5)
    assert statuses(client, f"/t/{a['id']}/beta/users") == first
    put(client, a["id"], {**config, "seed": 43})
    assert statuses(client, f"/t/{a['id']}/beta/users") != first


def test_portal_fault_is_a_page_with_the_company_escaped(client, new_tenant):
    tenant = new_tenant({"company": "<script>alert(1)</script> Corp"})
    put(client, tenant["id"], {"portal": {"errorRate": 1, "status": 502}})
    response = client.get(f"/t/{tenant['id']}/portal/")
    assert response.status_code == 502
    html = response.get_data(as_text=True)
    assert "Company Portal is temporarily unavailable" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Corp" in html
    assert "<script>" not in html
    # Graph has no fault configured: untouched
    assert client.get(f"/t/{tenant['id']}/beta/").status_code != 502


def test_latency_is_added_to_each_request(client, new_tenant):
    tenant = new_tenant()
    put(client, tenant["id"], {"graph": {"latencyMs": 120}})
    started = time.perf_counter()
    response = client.get(f"/t/{tenant['id']}/beta/")
    assert time.perf_counter() - started >= 0.12
    assert response.status_code != 429
    assert injected(client, tenant["id"]) == []  # latency alone is not a fault


def test_faults_stay_in_their_tenant_and_out_of_the_control_api(client, new_tenant):
    noisy, quiet = new_tenant(), new_tenant()
    put(client, noisy["id"], ALWAYS_429)
    assert client.get(f"/t/{quiet['id']}/beta/").status_code != 429
    assert client.get(f"/_sim/tenants/{noisy['id']}").status_code == 200
    assert client.get("/beta/").status_code != 429  # the default tenant has none either


def test_default_tenant_faults_apply_at_the_short_urls(client):
    assert put(client, "default", ALWAYS_429).status_code == 200
    assert client.get("/beta/users").status_code == 429
    assert client.get("/t/default/beta/users").status_code == 429


def test_delete_and_reset_clear_faults(client, new_tenant):
    tenant = new_tenant()
    put(client, tenant["id"], ALWAYS_429)
    assert client.delete(f"/_sim/tenants/{tenant['id']}/faults").status_code == 204
    assert client.get(f"/t/{tenant['id']}/beta/").status_code != 429
    put(client, tenant["id"], ALWAYS_429)
    client.post(f"/_sim/tenants/{tenant['id']}/reset")
    assert client.get(f"/t/{tenant['id']}/beta/").status_code != 429
    assert client.get(f"/_sim/tenants/{tenant['id']}/faults").get_json()["graph"] is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"graph": {"errorRate": 1.5}}, "graph.errorRate: Input should be less than or equal to 1"),
        ({"graph": {"status": 418}}, "graph.status: Input should be 429, 500, 502, 503 or 504"),
        (
            {"graph": {"latencyMs": -1}},
            "graph.latencyMs: Input should be greater than or equal to 0",
        ),
        ({"portal": {"retryAfterSeconds": 2}}, "portal.retryAfterSeconds: unknown key"),
        ({"graphs": {}}, "graphs: unknown key"),
        ({"seed": "seven"}, "seed: Input should be a valid integer"),
        ([1, 2], "(body): a JSON object"),
    ],
)
def test_bad_configs_are_refused_and_change_nothing(client, new_tenant, body, message):
    tenant = new_tenant()
    put(client, tenant["id"], ALWAYS_429)
    response = put(client, tenant["id"], body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "InvalidFaults"
    assert message in response.get_json()["error"]["message"]
    assert client.get(f"/_sim/tenants/{tenant['id']}/faults").get_json()["graph"]["status"] == 429


def test_malformed_json_and_unknown_tenant(client):
    response = client.put(
        "/_sim/tenants/default/faults", data="{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "MalformedJson"
    assert client.put("/_sim/tenants/nope/faults", json={}).status_code == 404


def test_graph_sdk_retry_handler_sees_429_with_retry_after(tmp_path):
    """The official msgraph-beta-sdk, pointed at a live simulator, retries after Retry-After."""
    pytest.importorskip("msgraph_beta", reason="the graph-sdk extra is not installed")
    import requests
    from kiota_abstractions.api_error import APIError
    from kiota_abstractions.authentication import AnonymousAuthenticationProvider
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from kiota_http.middleware.options import RetryHandlerOption
    from msgraph_beta import GraphRequestAdapter, GraphServiceClient

    from app.testing.server import live_server

    with live_server(tmp_path / "sdk.sqlite", SEED_DEFAULT_TENANT=False) as url:
        tenant = requests.post(f"{url}/_sim/tenants", timeout=10).json()
        config = {"graph": {"errorRate": 1, "status": 429, "retryAfterSeconds": 1}}
        requests.put(f"{url}/_sim/tenants/{tenant['id']}/faults", json=config, timeout=10)

        adapter = GraphRequestAdapter(AnonymousAuthenticationProvider())
        adapter.base_url = tenant["graphBaseUrl"]
        graph = GraphServiceClient(request_adapter=adapter)
        retry_once = RequestConfiguration(options=[RetryHandlerOption(delay=0, max_retries=1)])
        started = time.perf_counter()
        with pytest.raises(APIError) as caught:
            asyncio.run(graph.users.get(request_configuration=retry_once))
        elapsed = time.perf_counter() - started
        events = requests.get(
            f"{url}/_sim/tenants/{tenant['id']}/events",
            params={"type": "fault.injected"},
            timeout=10,
        ).json()["value"]

    assert caught.value.response_status_code == 429
    assert elapsed >= 1.0  # it waited the Retry-After second before retrying
    assert [e["detail"].get("retryAttempt") for e in events] == [None, "1"]
    assert all(e["detail"]["path"].endswith("/beta/users") for e in events)


def test_the_nth_number_of_a_seeded_sequence_is_the_same_in_any_order():
    """Workers are handed positions by the database and may ask for them out of order: each
    position still gets the number one process drawing in order would have got."""
    import random

    from app.automation.faults import nth_number

    rng = random.Random("5:graph")
    in_order = [rng.random() for _ in range(10)]
    order = [1, 2, 5, 3, 4, 10, 6, 7, 9, 8]
    assert [nth_number("t", 1, "graph", 5, p) for p in order] == [in_order[p - 1] for p in order]
