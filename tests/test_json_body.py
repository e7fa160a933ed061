"""Graph's response bodies are written by orjson (app/serving/json_body.py) with exactly the bytes
Flask's own encoder wrote: the same values, key order, escapes, dates and trailing newline."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import request
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from app.serving.json_body import FastJSONProvider
from tests.graph_support import SCENARIO, Graph


@dataclasses.dataclass
class Point:
    x: int
    label: str


VALUES = [
    {"b": 1, "a": [True, False, None], "@odata.type": "#x", "nested": {"z": {}, "y": []}},
    {"int": -(2**63), "big": 2**63 - 1, "zero": 0, "floats": [0.5, 1.25, 100.0, 12345.678]},
    {"beyond 64 bits": 2**64},
    {"quotes": 'say "hi"\\ / </script>', "controls": "".join(chr(c) for c in range(32))},
    {"separators": "\u2028\u2029", "del": "\x7f"},
    {"accents": "Zoë Müller", "emoji": "📱", "cjk": "東京"},
    {"when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "day": date(2026, 1, 2)},
    {"id": uuid.UUID("6f1c1e4e-3c55-4d7e-9a51-2f3e1f0b7a10"), "amount": Decimal("1.10")},
    {"point": Point(1, "a"), "markup": Markup("<b>bold</b>")},
    {1: "an int key", "x": 2},
    ["a", "list", 1, None],
    "a string",
    12,
    None,
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
@pytest.mark.parametrize("sort_keys", [False, True])
def test_a_graph_body_has_flasks_exact_bytes(app, value, sort_keys):
    fast, flask_own = FastJSONProvider(app), DefaultJSONProvider(app)
    fast.sort_keys = flask_own.sort_keys = sort_keys
    with app.test_request_context("/beta/deviceManagement/managedDevices"):
        assert request.blueprint.startswith("graph")
        if sort_keys and isinstance(value, dict) and any(not isinstance(k, str) for k in value):
            for provider in (fast, flask_own):  # mixed keys cannot be sorted: both refuse
                with pytest.raises(TypeError):
                    provider.response(value)
            return
        assert fast.response(value).get_data() == flask_own.response(value).get_data()


def test_other_faces_keep_flasks_encoder(app):
    fast = FastJSONProvider(app)
    with app.test_request_context("/_sim/health"):
        assert fast.response({"x": 1e-05}).get_data() == b'{"x":1e-05}\n'
    with app.test_request_context("/beta/deviceManagement/managedDevices"):
        # The one difference, for floats Graph never answers with (app/serving/json_body.py).
        assert fast.response({"x": 1e-05}).get_data() == b'{"x":0.00001}\n'


def test_a_graph_list_answers_the_bytes_flask_wrote(client, new_tenant):
    graph = Graph(client, new_tenant(SCENARIO))
    for path in ("/deviceManagement/managedDevices?$top=2", "/users", "/groups?$count=true"):
        answer = graph.get(path, headers={"ConsistencyLevel": "eventual"})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        expected = json.dumps(answer.get_json(), separators=(",", ":")) + "\n"
        assert answer.get_data(as_text=True) == expected
        assert answer.mimetype == "application/json"


def test_the_control_trace_answers_the_bytes_flask_wrote(client, new_tenant):
    """The decision trace (every profile of the tenant) is written by orjson too, as Flask did."""
    tenant = new_tenant(SCENARIO)
    upn = SCENARIO["users"][0]["upn"]
    answer = client.get(f"/_sim/tenants/{tenant['id']}/resolve?upn={upn}&osVersion=17.5")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["candidates"]
    expected = json.dumps(answer.get_json(), separators=(",", ":")) + "\n"
    assert answer.get_data(as_text=True) == expected
    with client.application.test_request_context(f"/_sim/tenants/{tenant['id']}/resolve"):
        assert request.endpoint == "control.resolve"  # the name json_body.OTHERS holds
