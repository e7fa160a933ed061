"""The /_sim control API (control-api.md) through the Flask test client."""

from __future__ import annotations

import re

import pytest
import yaml

from app import create_app
from app.store import db
from app.version import __version__

SEEDED = {
    "company": "Northwind",
    "users": [
        {"upn": "ann@northwind.com", "password": "Passw0rd!"},
        {"upn": "bob@northwind.com", "password": "Passw0rd!"},
    ],
    "groups": [
        {"name": "Staff", "members": ["ann@northwind.com", "bob@northwind.com"]},
        {"name": "iPads", "kind": "device"},
    ],
    "profiles": [
        {"name": "Choose", "requireUserChoice": True, "assign": {"include": ["Staff"]}},
        {"name": "Fallback", "defaultEnrollmentType": "device", "assign": {"include": "all"}},
    ],
    "corporateIdentifiers": [{"type": "serialNumber", "value": "F2LX1234"}],
    "devices": [
        {
            "userPrincipalName": "ann@northwind.com",
            "deviceName": "Ann's iPhone",
            "osVersion": "17.0",
            "serialNumber": "F2LX1234",
            "deviceEnrollmentType": "userEnrollment",
            "enrollmentProfileName": "Choose",
            "managedDeviceOwnerType": "company",
            "enrolledDateTime": "2026-03-04T05:06:07Z",
            "ownerAnswer": "personal",
            "securityScope": "entireDevice",
        }
    ],
}


def tenant_count(client) -> int:
    return client.get("/_sim/health").get_json()["tenants"]


def assert_error(response, status: int, code: str, message: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert body["error"]["message"] == message


def test_health(client) -> None:
    response = client.get("/_sim/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "version": __version__, "tenants": 1}


def test_create_empty_tenant(client) -> None:
    response = client.post("/_sim/tenants")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "token", "portalUrl", "adminUrl", "graphBaseUrl"}
    tid = body["id"]
    assert re.fullmatch(r"[0-9a-f]{32}", tid)  # 128 random bits ≥ 122
    assert len(body["token"]) >= 32
    assert body["portalUrl"] == f"http://localhost/t/{tid}/portal/"
    assert body["adminUrl"] == f"http://localhost/t/{tid}/admin/"
    assert body["graphBaseUrl"] == f"http://localhost/t/{tid}/beta"
    summary = client.get(f"/_sim/tenants/{tid}").get_json()
    assert summary["company"] == "Contoso"
    assert summary["counts"] == {"users": 0, "groups": 0, "profiles": 0, "devices": 0}
    assert tenant_count(client) == 2


def test_urls_are_absolute_for_the_host_asked(client) -> None:
    body = client.post("/_sim/tenants", base_url="https://sim.example:8443").get_json()
    assert body["portalUrl"] == f"https://sim.example:8443/t/{body['id']}/portal/"
    default = client.get("/_sim/tenants/default", base_url="https://sim.example").get_json()
    assert default["portalUrl"] == "https://sim.example/portal/"
    assert default["graphBaseUrl"] == "https://sim.example/beta"


def test_tenant_ids_and_tokens_are_unique(client) -> None:
    made = [client.post("/_sim/tenants").get_json() for _ in range(5)]
    assert len({m["id"] for m in made}) == 5
    assert len({m["token"] for m in made}) == 5


def test_create_seeded_and_summarise(client) -> None:
    response = client.post("/_sim/tenants", json=SEEDED)
    assert response.status_code == 201
    tid = response.get_json()["id"]
    summary = client.get(f"/_sim/tenants/{tid}").get_json()
    assert summary["id"] == tid
    assert summary["company"] == "Northwind"
    assert summary["counts"] == {"users": 2, "groups": 2, "profiles": 2, "devices": 1}
    assert summary["portalUrl"] == f"http://localhost/t/{tid}/portal/"
    assert summary["createdDateTime"].endswith("Z")


def test_create_from_yaml_with_a_yaml_content_type(client) -> None:
    for mimetype in ("application/yaml", "application/x-yaml", "text/yaml"):
        response = client.post("/_sim/tenants", data=yaml.safe_dump(SEEDED), content_type=mimetype)
        assert response.status_code == 201, response.get_data(as_text=True)
        counts = client.get(f"/_sim/tenants/{response.get_json()['id']}").get_json()["counts"]
        assert counts["users"] == 2


def test_export_includes_devices_and_round_trips(client) -> None:
    tid = client.post("/_sim/tenants", json=SEEDED).get_json()["id"]
    exported = client.get(f"/_sim/tenants/{tid}/scenario").get_json()
    (device,) = exported["devices"]
    assert device["deviceEnrollmentType"] == "userEnrollment"
    assert device["managedDeviceOwnerType"] == "company"
    assert device["ownerAnswer"] == "personal" and device["securityScope"] == "entireDevice"
    assert device["enrolledDateTime"] == "2026-03-04T05:06:07Z"
    copy = client.post("/_sim/tenants", json=exported).get_json()["id"]
    assert client.get(f"/_sim/tenants/{copy}/scenario").get_json() == exported


def test_reset_with_and_without_body_keeps_id_and_token(client) -> None:
    made = client.post("/_sim/tenants", json=SEEDED).get_json()
    tid = made["id"]
    response = client.post(f"/_sim/tenants/{tid}/reset", json={"company": "Tailspin"})
    assert response.status_code == 200
    assert response.get_json()["id"] == tid
    assert response.get_json()["company"] == "Tailspin"
    assert response.get_json()["counts"] == {"users": 0, "groups": 0, "profiles": 0, "devices": 0}

    response = client.post(
        f"/_sim/tenants/{tid}/reset", data=yaml.safe_dump(SEEDED), content_type="application/yaml"
    )
    assert response.status_code == 200
    assert response.get_json()["counts"]["devices"] == 1

    response = client.post(f"/_sim/tenants/{tid}/reset")
    assert response.status_code == 200
    exported = client.get(f"/_sim/tenants/{tid}/scenario").get_json()
    assert exported["company"] == "Contoso" and exported["users"] == []
    with client.application.app_context():
        from app.store import Tenant

        assert db.session.get(Tenant, tid).token == made["token"]
    assert tenant_count(client) == 2


def test_delete_then_every_url_of_the_tenant_is_404(client) -> None:
    tid = client.post("/_sim/tenants", json=SEEDED).get_json()["id"]
    face_urls = [f"/t/{tid}/portal/", f"/t/{tid}/admin/", f"/t/{tid}/beta/"]
    for url in face_urls:
        assert client.get(url).status_code != 404, url
    response = client.delete(f"/_sim/tenants/{tid}")
    assert response.status_code == 204 and response.data == b""
    missing = f"No tenant with id '{tid}'."
    for method, url in [
        ("get", f"/_sim/tenants/{tid}"),
        ("get", f"/_sim/tenants/{tid}/scenario"),
        ("post", f"/_sim/tenants/{tid}/reset"),
        ("delete", f"/_sim/tenants/{tid}"),
    ]:
        assert_error(getattr(client, method)(url), 404, "NotFound", missing)
    for url in face_urls + [f"/t/{tid}/portal/?model=iPad", f"/t/{tid}/beta/users"]:
        assert client.get(url).status_code == 404, url
    assert tenant_count(client) == 1
    with client.application.app_context():
        from app.store import EnrollmentProfile, User

        assert User.query.filter_by(tenant_id=tid).count() == 0
        assert EnrollmentProfile.query.filter_by(tenant_id=tid).count() == 0


def test_deleting_one_tenant_leaves_the_others(client) -> None:
    keep = client.post("/_sim/tenants", json=SEEDED).get_json()["id"]
    drop = client.post("/_sim/tenants", json=SEEDED).get_json()["id"]
    before = client.get(f"/_sim/tenants/{keep}/scenario").get_json()
    assert client.delete(f"/_sim/tenants/{drop}").status_code == 204
    assert client.get(f"/_sim/tenants/{keep}/scenario").get_json() == before


BAD_BODIES = [
    pytest.param(
        {"data": '{"company": ', "content_type": "application/json"},
        "MalformedJson",
        "body: Expecting value at line 1, column 13",
        id="malformed json",
    ),
    pytest.param(
        {"data": '{\n  "company": "x",\n  "users": [}\n', "content_type": "application/json"},
        "MalformedJson",
        "body: Expecting value at line 3, column 13",
        id="malformed json line 3",
    ),
    pytest.param(
        {"data": "company: [unclosed", "content_type": "application/yaml"},
        "MalformedYaml",
        "body: expected ',' or ']', but got '<stream end>' at line 1, column 19",
        id="malformed yaml",
    ),
    pytest.param(
        {"data": b"\xff\xfe", "content_type": "application/json"},
        "MalformedJson",
        "body: not UTF-8 text (byte 1)",
        id="json not utf-8",
    ),
    pytest.param(
        {"data": b"company: \xff", "content_type": "application/yaml"},
        "MalformedYaml",
        "The body is not UTF-8 text.",
        id="yaml not utf-8",
    ),
    pytest.param(
        {"data": "null", "content_type": "application/json"},
        "InvalidScenario",
        "(document): a scenario is a mapping of keys, not null",
        id="json null",
    ),
    pytest.param(
        {"json": [1, 2]},
        "InvalidScenario",
        "(document): a scenario is a mapping of keys (company, users, ...)",
        id="not a mapping",
    ),
    pytest.param(
        {"json": {"company": "x", "colour": "red"}},
        "InvalidScenario",
        "colour: unknown key",
        id="unknown key",
    ),
    pytest.param(
        {"json": {"profiles": [{"name": "P", "colour": "red"}]}},
        "InvalidScenario",
        "profiles[0].colour: unknown key",
        id="nested unknown key",
    ),
    pytest.param(
        {
            "json": {
                "groups": [{"name": "G"}],
                "profiles": [
                    {"name": "P", "assign": {"include": ["G"]}},
                    {"name": "Q", "assign": {"include": ["X"]}},
                ],
            }
        },
        "InvalidScenario",
        "profiles[1].assign.include[0]: no group named 'X'",
        id="unknown group",
    ),
    pytest.param(
        {"json": {"settings": {"ownershipBehavior": "ga-2021"}}},
        "InvalidScenario",
        "settings.ownershipBehavior: 'ga-2021' is not one of 'preview-2019' or 'ga-2020'",
        id="wrong enum",
    ),
    pytest.param(
        {
            "json": {
                "groups": [{"name": "iPads", "kind": "device"}],
                "profiles": [{"name": "P", "assign": {"include": ["iPads"]}}],
            }
        },
        "InvalidScenario",
        "profiles[0].assign.include[0]: 'iPads' is a device group. Device groups aren't "
        "supported for User Enrollment scenarios because the feature is based on user "
        "identities, rather than devices.",
        id="device group",
    ),
    pytest.param(
        {"json": {"users": [{"upn": "a@b.c", "password": "x"}, {"upn": "A@b.c", "password": "y"}]}},
        "InvalidScenario",
        "users[1].upn: duplicate userPrincipalName 'A@b.c'",
        id="duplicate upn",
    ),
]


@pytest.mark.parametrize(("body", "code", "message"), BAD_BODIES)
def test_bad_create_is_400_and_creates_nothing(client, body, code, message) -> None:
    before = tenant_count(client)
    assert_error(client.post("/_sim/tenants", **body), 400, code, message)
    assert tenant_count(client) == before


@pytest.mark.parametrize(("body", "code", "message"), BAD_BODIES)
def test_bad_reset_is_400_and_changes_nothing(client, body, code, message) -> None:
    tid = client.post("/_sim/tenants", json=SEEDED).get_json()["id"]
    before = client.get(f"/_sim/tenants/{tid}/scenario").get_json()
    assert_error(client.post(f"/_sim/tenants/{tid}/reset", **body), 400, code, message)
    assert client.get(f"/_sim/tenants/{tid}/scenario").get_json() == before


def test_unknown_tenant_is_a_json_404(client) -> None:
    assert_error(client.get("/_sim/tenants/nope"), 404, "NotFound", "No tenant with id 'nope'.")


@pytest.fixture
def guarded(database_url, monkeypatch):
    """An app started with ENROLLSIM_CONTROL_TOKEN set."""
    monkeypatch.setenv("ENROLLSIM_CONTROL_TOKEN", "s3cret-token")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test",
        }
    )
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong", "s3cret-token", "Basic s3cret-token", "Bearer s3cret-token "],
)
def test_control_token_is_required_when_set(guarded, header) -> None:
    headers = {"Authorization": header} if header else {}
    for method, url in [
        ("post", "/_sim/tenants"),
        ("get", "/_sim/tenants/default"),
        ("get", "/_sim/tenants/default/scenario"),
        ("post", "/_sim/tenants/default/reset"),
        ("delete", "/_sim/tenants/default"),
    ]:
        response = getattr(guarded, method)(url, headers=headers)
        assert_error(
            response, 401, "Unauthorized", "Control calls need 'Authorization: Bearer <token>'."
        )
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    auth = {"Authorization": "Bearer s3cret-token"}
    assert guarded.get("/_sim/tenants/default", headers=auth).get_json()["counts"]["users"] == 7


@pytest.mark.parametrize("header", [None, "Bearer wrong"])
def test_probes_answer_without_the_token_and_reveal_no_tenant(guarded, header) -> None:
    """Probes carry no token: /_sim/health and /_sim/ready answer them, with no tenant data."""
    headers = {"Authorization": header} if header else {}
    health = guarded.get("/_sim/health", headers=headers)
    assert health.status_code == 200
    assert health.get_json() == {"status": "ok", "version": __version__}
    ready = guarded.get("/_sim/ready", headers=headers)
    assert ready.status_code == 200
    assert set(ready.get_json()) == {"status", "revision"}
    auth = {"Authorization": "Bearer s3cret-token"}
    assert guarded.get("/_sim/health", headers=auth).get_json()["tenants"] == 1


def test_ready_is_a_503_with_the_reason_when_the_database_is_gone(app, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    import app.control.views as views

    def refused(_connection):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(views, "readiness", refused)
    response = app.test_client().get("/_sim/ready")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "revision": None,
        "reason": "The database cannot be reached (OperationalError).",
    }


def test_ready_is_a_503_when_the_database_is_not_migrated(app) -> None:
    with app.app_context():
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM alembic_version")
    body = app.test_client().get("/_sim/ready").get_json()
    assert body["status"] == "unavailable"
    assert body["reason"].startswith("The database is at revision (none), not ")


def test_control_token_lets_calls_through(guarded) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    assert guarded.get("/_sim/health", headers=auth).status_code == 200
    created = guarded.post("/_sim/tenants", json=SEEDED, headers=auth)
    assert created.status_code == 201
    tid = created.get_json()["id"]
    assert guarded.post(f"/_sim/tenants/{tid}/reset", headers=auth).status_code == 200
    assert guarded.delete(f"/_sim/tenants/{tid}", headers=auth).status_code == 204


def test_control_api_needs_no_csrf_token(app) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    assert client.post("/_sim/tenants").status_code == 201


@pytest.mark.parametrize(
    ("method", "url", "allow", "message"),
    [
        ("put", "/_sim/tenants", "POST", "PUT is not allowed on /_sim/tenants; use POST."),
        ("post", "/_sim/health", "GET", "POST is not allowed on /_sim/health; use GET."),
        (
            "post",
            "/_sim/tenants/default",
            "GET, DELETE",
            "POST is not allowed on /_sim/tenants/default; use GET, DELETE.",
        ),
        (
            "get",
            "/_sim/tenants/default/reset",
            "POST",
            "GET is not allowed on /_sim/tenants/default/reset; use POST.",
        ),
    ],
)
def test_wrong_method_is_a_json_405_with_allow(client, method, url, allow, message) -> None:
    response = getattr(client, method)(url)
    assert_error(response, 405, "MethodNotAllowed", message)
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert set(allow.split(", ")) <= allowed


@pytest.mark.parametrize("url", ["/_sim", "/_sim/nope", "/_sim/tenants/", "/_sim/tenants/a/b/c"])
def test_unknown_control_url_is_a_json_404(client, url) -> None:
    assert_error(
        client.get(url),
        404,
        "NotFound",
        f"No control API call at {url}; see GET /_sim/openapi.json.",
    )


def test_a_failing_control_call_is_a_json_500(app) -> None:
    def boom():
        raise RuntimeError("bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.view_functions["control.health"] = boom
    response = app.test_client().get("/_sim/health")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "InternalServerError"


def test_errors_outside_the_control_api_are_left_alone(client) -> None:
    """The JSON shape is for /_sim only: a look-alike path or a page keeps its own answer."""
    for response in (client.get("/_simulator"), client.post("/")):
        assert response.status_code in {404, 405}
        assert not response.is_json
