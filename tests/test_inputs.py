"""A NUL character (PostgreSQL cannot store one) is a clear 400 on every face and database."""

from __future__ import annotations

import pytest

from app.inputs import bad_text_location
from app.scenarios import ScenarioError, parse_document
from tests.admin_helpers import admin_base, text, token
from tests.graph_support import SCENARIO, Graph, assert_graph_error
from tests.portal_walker import Walker, scenario


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def test_graph_body_with_nul_is_a_400_that_names_the_property(graph):
    before = graph.call("GET", "/users").get_json()["value"]
    body = {
        "userPrincipalName": "nul@contoso.com",
        "displayName": "A\x00B",
        "accountEnabled": True,
        "mailNickname": "nul",
        "passwordProfile": {"password": "Passw0rd!"},
    }
    response = graph.call("POST", "/users", json=body)
    assert_graph_error(response, 400, "BadRequest", "displayName", "NUL character")
    assert graph.call("GET", "/users").get_json()["value"] == before


@pytest.mark.parametrize(
    ("path", "where"),
    [("/users/a%00b@contoso.com", "URL path"), ("/users?$filter=displayName eq 'a%00'", "$filter")],
)
def test_graph_url_with_nul_is_a_400(graph, path, where):
    assert_graph_error(graph.call("GET", path), 400, "BadRequest", where, "NUL character")


def test_control_api_scenario_with_nul_is_a_400_naming_the_path(client):
    doc = {"users": [{"upn": "a@b.c", "password": "Passw0rd!", "displayName": "x\x00"}]}
    response = client.post("/_sim/tenants", json=doc)
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert message == (
        "The JSON body at users[0].displayName: contains a NUL character (\\u0000), "
        "which no field accepts."
    )
    assert client.get("/_sim/tenants/a%00b").status_code == 400


def test_scenario_file_with_nul_names_the_path() -> None:
    doc = {"groups": [{"name": "ok"}, {"name": "bad\x00"}]}
    with pytest.raises(ScenarioError, match=r"^groups\[1\]\.name: contains a NUL character"):
        parse_document(doc)


def test_admin_form_with_nul_is_a_400_page(client, new_tenant):
    base = admin_base(new_tenant)
    url = f"{base}/users/new"
    data = {"upn": "nul-user@contoso.com", "display_name": "<b>N</b>\x00", "password": "longenough"}
    response = client.post(url, data={"csrf_token": token(client, url), **data})
    assert response.status_code == 400
    assert "Form field &#39;display_name&#39;: contains a NUL character" in text(response)
    assert "nul-user@contoso.com" not in text(client.get(f"{base}/users"))


def test_portal_sign_in_with_nul_is_a_400_page(client, new_tenant):
    walker = Walker(client, new_tenant(scenario()))
    walker.sign_in("alex\x00@contoso.com")
    assert walker.status == 400
    assert "Form field &#39;email&#39;: contains a NUL character" in walker.page


def test_bad_text_location_walks_deep_documents_without_recursion() -> None:
    deep: list = ["a\x00"]
    for _ in range(5_000):
        deep = [deep]
    assert bad_text_location(deep)[0] == "[0]" * 5_000 + "[0]"
    assert bad_text_location({"a": [{"b": "ok"}, {"c\x00": 1}]})[0] == "a[1].c\x00"
    assert bad_text_location({"a": ["fine", {"b": 2}]}) is None
