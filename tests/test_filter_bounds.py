"""`$filter` is bounded before it is parsed, on every Graph collection (issue 13, item 2): 500
nested parentheses used to exhaust the parser's stack and answer a 500."""

from __future__ import annotations

import pytest

from app.graph.errors import GraphError
from app.graph.filter_bounds import (
    MAX_FILTER_DEPTH,
    MAX_FILTER_LENGTH,
    MAX_FILTER_OPERATORS,
    check_filter_bounds,
)
from tests.graph_support import SCENARIO, Graph

TOP = [
    "/users",
    "/groups",
    "/organization",
    "/deviceManagement/managedDevices",
    "/deviceManagement/importedDeviceIdentities",
    "/deviceManagement/appleUserInitiatedEnrollmentProfiles",
    "/deviceManagement/intuneBrandingProfiles",
]
DEEP_PARENS = "(" * 500 + "displayName eq 'a'" + ")" * 500
MANY_NOTS = "not " * 300 + "displayName eq 'a'"
HOSTILE = {
    DEEP_PARENS: "parentheses nest 500 deep",
    MANY_NOTS: "it holds 301 operators",
    "displayName eq '" + "x" * 5000 + "'": "5,017 characters long",
}


def every_collection(graph: Graph) -> list[str]:
    """Every collection URL of the tenant, nested ones with real ids, and each `$count`."""
    group = graph.get("/groups").get_json()["value"][0]["id"]
    profile = graph.get(TOP[5]).get_json()["value"][0]["id"]
    branding = graph.get(TOP[6]).get_json()["value"][0]["id"]
    nested = [
        f"{TOP[5]}/{profile}/assignments",
        f"{TOP[6]}/{branding}/assignments",
        f"/groups/{group}/members",
        "/users/alex@contoso.com/memberOf",
    ]
    counted = [f"{path}/$count" for path in TOP if path != "/organization"]
    return TOP + nested + counted


@pytest.fixture
def graph(client, new_tenant) -> Graph:
    return Graph(client, new_tenant(SCENARIO))


def test_hostile_filters_are_400s_on_every_collection(graph):
    paths = every_collection(graph)
    assert len(paths) == 17
    for path in paths:
        for text, message in HOSTILE.items():
            response = graph.get(path, query_string={"$filter": text})
            assert response.status_code == 400, (path, response.status_code)
            error = response.get_json()["error"]
            assert error["code"] == "BadRequest" and message in error["message"], path


def test_filters_at_the_bounds_are_read(graph):
    name = "displayName eq 'Contoso'"
    at_depth = "(" * MAX_FILTER_DEPTH + name + ")" * MAX_FILTER_DEPTH
    nots = "not not " * ((MAX_FILTER_OPERATORS - 1) // 2) + name
    long_string = "displayName eq '" + "y" * (MAX_FILTER_LENGTH - 17) + "'"
    for text in (at_depth, nots, long_string):
        assert len(text) <= MAX_FILTER_LENGTH
        response = graph.get("/organization", query_string={"$filter": text})
        assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize(
    "text",
    [
        "displayName eq '" + "(" * 100 + "'",  # parentheses inside a string are data
        "displayName eq '" + " and" * 150 + "'",  # and so are keywords
        "displayName eq 'it''s ((('",  # a doubled quote stays inside the string
    ],
)
def test_quoted_strings_do_not_count(text):
    check_filter_bounds(text)


@pytest.mark.parametrize(
    "text, message",
    [
        ("(" * (MAX_FILTER_DEPTH + 1) + "a eq 1" + ")" * (MAX_FILTER_DEPTH + 1), "nest 33 deep"),
        (" or ".join(["a eq 1"] * 51), "101 operators"),
        ("startswith(a,'x') and " * 50 + "a eq 1", "101 operators"),
        ("a" * (MAX_FILTER_LENGTH + 1), "2,049 characters long"),
    ],
)
def test_one_past_each_bound_is_refused(text, message):
    with pytest.raises(GraphError) as refused:
        check_filter_bounds(text)
    assert message in str(refused.value.message)


def _alternating(depth: int) -> str:
    text = "displayName eq 'a'"
    for level in range(depth):
        text = f"(displayName eq 'b' {'and' if level % 2 else 'or'} not ({text}))"
    return text


def test_filters_at_the_bounds_run_in_sql_on_every_collection(graph):
    """SQLite's parser overflows on some 40 nested NOTs: a chain of `not` within the bounds was
    a 500 on the collections that filter in SQL (found by the fuzz suite) until `not not x`
    became x."""
    nots = "not " * (MAX_FILTER_OPERATORS - 1) + "displayName eq 'Contoso'"
    for path in ("/users", "/groups", *every_collection(graph)):
        for text in (nots, _alternating(MAX_FILTER_DEPTH // 2)):
            response = graph.get(path, query_string={"$filter": text})
            assert response.status_code < 500, (path, text[:40], response.get_data(as_text=True))
            if path in ("/users", "/groups"):
                assert response.status_code == 200, (path, response.get_json())
