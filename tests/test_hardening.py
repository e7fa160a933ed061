"""Defects found by hostile input (issue 13), each with the test that caught it. The lone
surrogates are in tests/test_lone_surrogates.py, every form's refusals in
tests/test_form_refusals.py, $filter in tests/test_filter_bounds.py, Graph URLs in
tests/test_graph_urls.py."""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.admin_helpers import admin_base, token
from tests.graph_support import SCENARIO, Graph
from tests.portal_walker import Walker, scenario

HOSTILE = "</title><script>alert(1)</script>"


def test_company_name_is_escaped_in_the_walk_title(client, new_tenant):
    walker = Walker(client, new_tenant(scenario(company=HOSTILE)))
    walker.sign_in()
    assert "<script>alert(1)" not in walker.page
    assert "&lt;/title&gt;&lt;script&gt;" in walker.page


@pytest.mark.parametrize("field", ["description", "displayName"])
def test_lone_surrogate_in_a_graph_body_is_a_400(client, new_tenant, field):
    graph = Graph(client, new_tenant(SCENARIO))
    raw = '{"displayName": "G", "mailEnabled": false, "mailNickname": "g", "securityEnabled": true}'
    raw = (
        raw.replace('"G"', '"G\\ud800"')
        if field == "displayName"
        else raw[:-1] + ', "description": "\\udc00"}'
    )
    response = graph.call("POST", "/groups", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "lone UTF-16 surrogate" in response.get_json()["error"]["message"]


def test_file_part_in_the_portal_sign_in_is_a_400(client):
    base = "/portal/"
    data = {"csrf_token": token(client, base), "email": (io.BytesIO(b"x"), "a.txt")}
    response = client.post(base, data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "is a file upload" in response.get_data(as_text=True)


def test_file_part_in_an_admin_text_field_is_a_400(client, new_tenant):
    url = f"{admin_base(new_tenant)}/users/new"
    data = {"csrf_token": token(client, url), "upn": (io.BytesIO(b"x"), "a.txt")}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 400


def test_too_large_body_is_a_413_in_json_for_the_control_api(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/_sim/tenants", data="x" * 2000, content_type="application/json")
    assert response.status_code == 413
    assert "at most 1,000 bytes" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("face", "url", "content_type"),
    [
        ("graph", "/t/{tenant}/beta/groups", "application/json"),
        ("portal", "/t/{tenant}/portal/", "application/x-www-form-urlencoded"),
        ("admin", "/t/{tenant}/admin/users/new", "application/x-www-form-urlencoded"),
    ],
)
def test_too_large_body_is_a_413_on_every_face(app, client, new_tenant, face, url, content_type):
    tenant = new_tenant(SCENARIO)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post(
        url.format(tenant=tenant["id"]),
        data="x=" + "y" * 2000,
        content_type=content_type,
        headers={"Authorization": f"Bearer {tenant['token']}"},
    )
    assert response.status_code == 413
    if face == "graph":
        assert "at most 1,000 bytes" in response.get_json()["error"]["message"]
    else:
        assert "at most 1,000 bytes" in response.get_data(as_text=True)


def test_the_default_limit_admits_a_100000_user_scenario(client):
    """The size limit must not refuse what the simulator is built to load (issue 13, item 6):
    the body is read and parsed — and then refused for what it is, not for its size."""
    users = [
        {"upn": f"user{i:06d}@contoso.com", "displayName": f"User {i:06d}",
         "password": "Passw0rd!", "managedAppleId": True}
        for i in range(100_000)
    ]  # fmt: skip
    body = json.dumps(
        {"users": users, "groups": [{"name": "All", "members": [u["upn"] for u in users]}]}
    )
    assert len(body) > 10 * 2**20
    response = client.put(
        "/_sim/tenants/default/faults", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "users: unknown key; groups: unknown key"


def test_the_session_cookie_is_samesite_lax_and_secure_under_https(app):
    plain = app.test_client().get("/portal/").headers["Set-Cookie"]
    assert "SameSite=Lax" in plain and "HttpOnly" in plain and "Secure" not in plain
    secure = app.test_client().get("/portal/", base_url="https://localhost").headers["Set-Cookie"]
    assert "SameSite=Lax" in secure and "Secure" in secure


@pytest.mark.parametrize("path", ["/", "/portal/", "/admin/", "/_sim/health", "/beta/"])
def test_every_face_sends_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_public_url_builds_the_control_api_urls(app, client):
    app.config["PUBLIC_URL"] = "https://sim.example.test"
    body = client.post("/_sim/tenants", headers={"Host": "evil.test"}).get_json()
    assert body["portalUrl"].startswith("https://sim.example.test/t/")


def test_untrusted_host_is_a_400_but_health_stays_open(app, client):
    app.config["TRUSTED_HOSTS_LIST"] = ["sim.example.test"]
    assert client.get("/portal/", headers={"Host": "evil.test"}).status_code == 400
    assert client.get("/_sim/health", headers={"Host": "10.0.0.7:5000"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/t/nope/portal/", {}, 404),  # refused by the blueprint's URL processing
        ("/portal/", {"Host": "evil.test"}, 400),  # refused by the first hook
    ],
)
def test_pages_refused_early_still_carry_the_csp_nonce(app, client, path, headers, status):
    """Found by e2e/test_injection.py: the error page's <style> had an empty nonce, so the
    browser blocked it (a CSP violation on every unknown-tenant page)."""
    app.config["TRUSTED_HOSTS_LIST"] = ["localhost"]
    response = client.get(path, headers=headers)
    assert response.status_code == status
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert nonce, response.headers["Content-Security-Policy"]
    assert f'<style nonce="{nonce.group(1)}">' in response.get_data(as_text=True)
