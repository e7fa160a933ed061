"""The control API's OpenAPI 3.1 document, and schemathesis fuzzing the API against it.

The fuzz run checks every operation for server errors and for any answer (status, content type,
body) that the document does not allow. It runs twice: with the generated tenant ids (so nearly
all of them are unknown: the 404 paths) and with every tenant id pinned to a real, seeded tenant.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack

import pytest

from app import create_app
from app.automation.faults import FaultConfig
from app.control.schemas import EventsQuery, TenantCreated
from app.scenarios import ScenarioDoc
from app.store import db
from app.testing.database import fresh_database, is_postgresql

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    negative_data_rejection,
    positive_data_acceptance,
)

SEED = {
    "company": "Fabrikam",
    "users": [{"upn": "ana@fabrikam.com", "password": "Passw0rd!"}],
    "groups": [{"name": "BYOD", "members": ["ana@fabrikam.com"]}],
    "profiles": [{"name": "Choice", "requireUserChoice": True, "assign": {"include": ["BYOD"]}}],
}
FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def test_document_is_openapi_3_1_with_every_control_call(client):
    doc = client.get("/_sim/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": "http://localhost"}]
    operations = {(path, method) for path, item in doc["paths"].items() for method in item}
    tenant = "/_sim/tenants/{tenant_id}"
    assert operations == {
        ("/_sim/health", "get"),
        ("/_sim/ready", "get"),
        ("/_sim/tenants", "post"),
        (tenant, "get"),
        (tenant, "delete"),
        (f"{tenant}/reset", "post"),
        (f"{tenant}/scenario", "get"),
        (f"{tenant}/events", "get"),
        (f"{tenant}/resolve", "get"),
        (f"{tenant}/faults", "get"),
        (f"{tenant}/faults", "put"),
        (f"{tenant}/faults", "delete"),
    }


def test_schemas_are_the_validating_models(client):
    """Not a copy beside the code: the components are what pydantic says of the same models."""
    doc = client.get("/_sim/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    faults_put = doc["paths"]["/_sim/tenants/{tenant_id}/faults"]["put"]
    ref = faults_put["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/FaultConfig"
    assert set(schemas["FaultConfig"]["properties"]) == set(FaultConfig.model_fields)
    assert schemas["GraphFaults"]["properties"]["errorRate"]["maximum"] == 1
    assert schemas["ScenarioDoc"]["additionalProperties"] is False
    assert set(schemas["ScenarioDoc"]["properties"]) == set(ScenarioDoc.model_fields)
    assert set(schemas["TenantCreated"]["required"]) == set(TenantCreated.model_fields)
    events = doc["paths"]["/_sim/tenants/{tenant_id}/events"]["get"]
    query = {p["name"] for p in events["parameters"] if p["in"] == "query"}
    assert query == set(EventsQuery.model_fields)


def test_document_states_what_every_call_refuses(client):
    doc = client.get("/_sim/openapi.json").get_json()
    description = doc["info"]["description"]
    for refused in ("NUL character", "lone UTF-16 surrogate", "1,024", "3,072", "`after`: 20",
                    "booleans are `true`/`false`", "is a 413",
                    "decodes to no UTF-8 text"):  # fmt: skip
        assert refused in description, refused
    schemas = doc["components"]["schemas"]  # strict types, as the validation is
    assert schemas["UserDoc"]["properties"]["enabled"]["type"] == "boolean"
    assert schemas["GraphFaults"]["properties"]["latencyMs"]["type"] == "integer"
    assert schemas["FaultConfig"]["properties"]["seed"]["anyOf"][0] == {"type": "integer"}
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert "400" in operation["responses"], (path, method)
            assert ("413" in operation["responses"]) == ("requestBody" in operation), path
    events = doc["paths"]["/_sim/tenants/{tenant_id}/events"]["get"]["parameters"]
    after = next(p for p in events if p["name"] == "after")
    assert after["schema"]["anyOf"][0]["maxLength"] == 20 and "20" in after["description"]


@pytest.mark.parametrize(
    ("url", "method", "body", "message"),
    [
        ("/_sim/tenants", "post", {"settings": {"fastProfileInstall": "true"}}, "true or false"),
        ("/_sim/tenants", "post", {"users": [{"upn": "a@b.c", "enabled": 0}]}, "true or false"),
        ("/_sim/tenants/default/faults", "put", {"seed": "3"}, "valid integer"),
        ("/_sim/tenants/default/faults", "put", {"graph": {"latencyMs": 1.5}}, "valid integer"),
        ("/_sim/tenants/default/faults", "put", {"graph": {"errorRate": "0.5"}}, "valid number"),
    ],
)
def test_booleans_and_integers_are_strict_as_the_document_says(client, url, method, body, message):
    doc = client.get("/_sim/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    assert schemas["SettingsDoc"]["properties"]["fastProfileInstall"]["type"] == "boolean"
    response = getattr(client, method)(url, json=body)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]


def test_document_is_valid_for_schemathesis(app):
    schema = schemathesis.openapi.from_wsgi("/_sim/openapi.json", app)
    assert len(list(schema.get_all_operations())) == 12  # 11 calls and /_sim/ready


# The bar is no 5xx and no answer the document does not allow. Two checks ask more than that and
# are left out: dates are read leniently (a Unix time for a date-time) and query parameters are
# text read as numbers, where the JSON Schema is stricter — negative_data_rejection; and a
# scenario can be schema-valid yet name a group it does not define — positive_data_acceptance.
LENIENT = [negative_data_rejection, positive_data_acceptance]

# One app for the fuzz runs, built at import: schemathesis parametrizes from a loaded schema. Its
# database is in memory, or a schema of its own when the tests run against PostgreSQL.
_FUZZ_DATABASE = ExitStack()
FUZZ_APP = create_app(
    {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": (
            _FUZZ_DATABASE.enter_context(fresh_database("unused"))
            if is_postgresql()
            else "sqlite://"
        ),
        "SECRET_KEY": "t",
    }
)


@atexit.register
def _drop_fuzz_database() -> None:
    with FUZZ_APP.app_context():
        db.engine.dispose()
    _FUZZ_DATABASE.close()


control_schema = schemathesis.openapi.from_wsgi("/_sim/openapi.json", FUZZ_APP)


@control_schema.parametrize()
@FUZZ
def test_fuzz_with_generated_ids(case):
    case.call_and_validate(excluded_checks=LENIENT)


@pytest.fixture(scope="module")
def seeded():
    """A function that gives a seeded tenant's id, making a new one if a case deleted it."""
    client = FUZZ_APP.test_client()
    made: dict[str, str] = {}

    def tenant_id() -> str:
        if "id" not in made or client.get(f"/_sim/tenants/{made['id']}").status_code == 404:
            made["id"] = client.post("/_sim/tenants", json=SEED).get_json()["id"]
        return made["id"]

    return tenant_id


@control_schema.parametrize()
@FUZZ
def test_fuzz_against_a_real_tenant(case, seeded):
    if "tenant_id" in (case.path_parameters or {}):
        case.path_parameters["tenant_id"] = seeded()
    case.call_and_validate(excluded_checks=LENIENT)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # found by the fuzz run: an empty passwordHash passed validation and then failed the load
        (
            '{"users": [{"upn": "a@b.c", "passwordHash": ""}]}',
            "users[0].passwordHash: String should have at least 1 character",
        ),
        # found by the fuzz run: a literal null was taken for "no scenario"
        ("null", "(document): a scenario is a mapping of keys, not null"),
    ],
)
def test_fuzz_findings_are_400s(client, body, message):
    for url in ("/_sim/tenants", "/_sim/tenants/default/reset"):
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 400
        assert response.get_json()["error"] == {"code": "InvalidScenario", "message": message}
