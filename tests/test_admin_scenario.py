"""Presenter tools on the tenant page: Export scenario, Import scenario (all or nothing, errors
named by path) and Reset tenant (back to the scenario it was last loaded from)."""

from __future__ import annotations

import io

import yaml
from sqlalchemy import delete

from app.store import ScenarioSnapshot, db
from tests.admin_helpers import SCENARIO, admin_base, text, token


def _users(client, tenant_id: str) -> list[str]:
    doc = client.get(f"/_sim/tenants/{tenant_id}/scenario").get_json()
    return [u["upn"] for u in doc["users"]]


def _import(client, base: str, content: bytes, name: str = "scenario.yaml"):
    return client.post(
        f"{base}/tenant/scenario",
        data={
            "csrf_token": token(client, f"{base}/tenant"),
            "scenario_file": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )


def test_export_downloads_the_tenant_as_yaml(client, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = base.split("/")[2]
    response = client.get(f"{base}/tenant/scenario.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert response.headers["Content-Disposition"] == 'attachment; filename="scenario-contoso.yaml"'
    exported = yaml.safe_load(response.get_data(as_text=True))
    assert exported == client.get(f"/_sim/tenants/{tenant_id}/scenario").get_json()


def test_import_replaces_the_tenant_and_reset_goes_back_to_it(client, new_tenant):
    made = new_tenant(SCENARIO)
    tenant_id = made["id"]
    base = f"/t/{tenant_id}/admin"
    doc = {
        "company": "Fabrikam",
        "users": [{"upn": "kim@fabrikam.com", "displayName": "Kim", "password": "Passw0rd!"}],
    }
    response = _import(client, base, yaml.safe_dump(doc).encode(), "fabrikam.yaml")
    assert response.status_code == 302
    assert _users(client, tenant_id) == ["kim@fabrikam.com"]
    assert "Scenario fabrikam.yaml imported" in text(client.get(response.headers["Location"]))

    client.post(f"/_sim/tenants/{tenant_id}/reset", json=SCENARIO)  # loaded again elsewhere
    extra = {"upn": "extra@contoso.com", "displayName": "Extra"}
    assert client.post(f"/t/{tenant_id}/beta/users", json={
        "userPrincipalName": extra["upn"], "displayName": extra["displayName"],
        "accountEnabled": True, "mailNickname": "extra",
        "passwordProfile": {"password": "Passw0rd!x"},
    }, headers={"Authorization": f"Bearer {made['token']}"}).status_code == 201  # fmt: skip
    reset = client.post(
        f"{base}/tenant/reset", data={"csrf_token": token(client, f"{base}/tenant")}
    )
    assert reset.status_code == 302
    assert sorted(_users(client, tenant_id)) == sorted(u["upn"] for u in SCENARIO["users"])


def test_a_bad_document_imports_nothing_and_names_each_path(client, new_tenant):
    base = admin_base(new_tenant)
    tenant_id = base.split("/")[2]
    before = client.get(f"/_sim/tenants/{tenant_id}/scenario").get_json()
    bad = {
        "company": "X",
        "profiles": [{"name": "P", "assign": {"include": ["Nobody"]}}, {"name": "Q", "colour": 1}],
    }
    response = _import(client, base, yaml.safe_dump(bad).encode())
    assert response.status_code == 422
    page = text(response)
    assert "Nothing was imported." in page
    assert "profiles[1].colour: unknown key" in page
    assert client.get(f"/_sim/tenants/{tenant_id}/scenario").get_json() == before

    for content, message in [
        (b"", "scenario.yaml is empty"),
        (b"\xff\xfe bad", "is not a UTF-8 text file"),
        (b"company: [unclosed", "Nothing was imported."),
    ]:
        response = _import(client, base, content)
        assert response.status_code == 422 and message in text(response), message
    assert client.get(f"/_sim/tenants/{tenant_id}/scenario").get_json() == before


def test_the_default_tenant_resets_to_the_last_scenario_else_the_demo(app, client):
    client.post("/_sim/tenants/default/reset", json={"company": "Empty"})
    client.post("/admin/tenant/reset", data={"csrf_token": token(client, "/admin/tenant")})
    assert _users(client, "default") == []  # the last scenario loaded was the empty one
    with app.app_context():  # a tenant from before snapshots were kept: the demo
        db.session.execute(delete(ScenarioSnapshot))
        db.session.commit()
    client.post("/admin/tenant/reset", data={"csrf_token": token(client, "/admin/tenant")})
    demo = yaml.safe_load(open(app.config["DEFAULT_SCENARIO"], encoding="utf-8"))
    assert _users(client, "default") == [u["upn"] for u in demo["users"]]


def test_the_kept_scenario_holds_password_hashes_not_passwords(app, client, new_tenant):
    made = new_tenant(SCENARIO)
    with app.app_context():
        kept = db.session.get(ScenarioSnapshot, made["id"]).document
    assert "Passw0rd!" not in str(kept)
    assert all("password" not in u and u["passwordHash"] for u in kept["users"])
    base = f"/t/{made['id']}/admin"
    client.post(f"{base}/tenant/reset", data={"csrf_token": token(client, f"{base}/tenant")})
    walker_page = client.post(
        f"/t/{made['id']}/portal/",
        data={
            "csrf_token": token(client, f"/t/{made['id']}/portal/"),
            "email": SCENARIO["users"][0]["upn"],
            "password": SCENARIO["users"][0]["password"],
        },
    )
    assert walker_page.status_code == 303  # the password still signs in after the reset
