"""The console's lock (issue 13, item 4): with ENROLLSIM_CONTROL_TOKEN set, a browser session signs
in once with the token; until then no console page answers and no token is shown anywhere."""

from __future__ import annotations

import re

import pytest

from app.admin.console_lock import OPEN_VIEWS, WRONG_TOKEN, safe_next
from tests.admin_helpers import text, token

CONTROL_TOKEN = "s3cret-control-token"
AUTH = {"Authorization": f"Bearer {CONTROL_TOKEN}"}


@pytest.fixture
def locked(app, client):
    """The app with a control token; a tenant made through the (now guarded) control API."""
    app.config["CONTROL_TOKEN"] = CONTROL_TOKEN
    made = client.post("/_sim/tenants", json={"company": "Fabrikam"}, headers=AUTH)
    assert made.status_code == 201
    return made.get_json()


def sign_in(client, typed: str, next_url: str = "/admin/", base: str = "/admin"):
    page = client.get(f"{base}/sign-in?next={next_url}")
    data = {"csrf_token": token(client, f"{base}/sign-in"), "token": typed, "next": next_url}
    return client.post(f"{base}/sign-in", data=data), page


def console_urls(app, tenant_id: str, methods: set[str]) -> list[tuple[str, str]]:
    """Every console URL of a tenant (any id in the path: the lock answers before the view)."""
    found = []
    for rule in app.url_map.iter_rules():
        face, _, view = rule.endpoint.partition(".")
        if face != "admin_t" or view in OPEN_VIEWS:
            continue
        for method in sorted(methods & set(rule.methods or ())):
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "nope", rule.rule)
            found.append((method, path.replace("/t/nope/", f"/t/{tenant_id}/", 1)))
    return found


def test_every_console_page_asks_for_the_token_and_shows_none(app, client, locked):
    secrets = [CONTROL_TOKEN, locked["token"]]
    urls = console_urls(app, locked["id"], {"GET"})
    assert len(urls) > 15
    for _, url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/sign-in?next=" in response.headers["Location"], url
        page = client.get(response.headers["Location"])
        assert page.status_code == 200
        body = text(page)
        assert "Control token" in body and ">Sign in</button>" in body
        assert not any(secret in body for secret in secrets), url


def test_posts_without_signing_in_are_refused_and_show_no_token(app, client, locked):
    graph_token = locked["token"]
    for _, url in console_urls(app, locked["id"], {"POST"}):
        csrf = token(client, f"/t/{locked['id']}/admin/sign-in")
        response = client.post(url, data={"csrf_token": csrf})
        assert response.status_code == 401, url
        assert "Sign in to the console first" in text(response)
        assert graph_token not in text(response) and CONTROL_TOKEN not in text(response)


def test_landing_page_and_portal_show_no_token(client, locked):
    for url in ["/", "/portal/", f"/t/{locked['id']}/portal/", "/nope", "/admin/sign-in"]:
        body = text(client.get(url))
        assert locked["token"] not in body and CONTROL_TOKEN not in body, url


def test_sign_in_goes_back_where_the_visitor_was_going(client, locked):
    tenant_page = f"/t/{locked['id']}/admin/tenant"
    first = client.get(tenant_page)
    assert first.headers["Location"].endswith(f"/sign-in?next=/t/{locked['id']}/admin/tenant")
    answer, _ = sign_in(client, CONTROL_TOKEN, tenant_page, base=f"/t/{locked['id']}/admin")
    assert answer.status_code == 303 and answer.headers["Location"] == tenant_page
    page = client.get(tenant_page)
    assert page.status_code == 200
    assert locked["token"] in text(page)  # signed in: the tenant's Graph token is shown
    assert (
        client.get("/admin/profiles").status_code == 200
    )  # once per browser session, every tenant


def test_wrong_token_is_a_clear_error_on_the_same_page(client, locked):
    answer, _ = sign_in(client, "guess")
    assert answer.status_code == 401
    body = text(answer)
    assert WRONG_TOKEN.replace("'", "&#39;") in body
    assert 'aria-invalid="true"' in body and "guess" not in body
    assert client.get("/admin/").status_code == 302


def test_empty_token_and_missing_csrf_are_400s(client, locked):
    answer, _ = sign_in(client, "")
    assert answer.status_code == 400 and "Enter the control token." in text(answer)
    bare = client.post("/admin/sign-in", data={"token": CONTROL_TOKEN})
    assert bare.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_sign_out_locks_the_console_again(client, locked):
    sign_in(client, CONTROL_TOKEN)
    page = text(client.get("/admin/profiles"))
    assert ">Sign out</button>" in page
    out = client.post("/admin/sign-out", data={"csrf_token": token(client, "/admin/profiles")})
    assert out.status_code == 303 and out.headers["Location"].endswith("/admin/sign-in")
    assert "Signed out." in text(client.get("/admin/sign-in"))
    assert client.get("/admin/tenant").status_code == 302


def test_a_new_control_token_signs_every_browser_out(app, client, locked):
    sign_in(client, CONTROL_TOKEN)
    assert client.get("/admin/profiles").status_code == 200
    app.config["CONTROL_TOKEN"] = "rotated"
    assert client.get("/admin/").status_code == 302


def test_drag_and_drop_save_gets_json_401(client, locked):
    csrf = token(client, "/admin/sign-in")
    response = client.post(
        "/admin/profiles/reorder", json={"order": []}, headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "Unauthorized"


def test_without_a_control_token_the_console_stays_open(client):
    assert client.get("/admin/tenant").status_code == 200
    page = text(client.get("/admin/profiles"))
    assert "Sign out" not in page
    assert client.get("/admin/sign-in?next=/admin/users").headers["Location"] == "/admin/users"


@pytest.mark.parametrize(
    "target",
    [None, "", "https://evil.test/", "//evil.test/x", "/\\evil.test", "admin", "/a\nb", "http:/x"],
)
def test_sign_in_never_sends_the_visitor_to_another_site(app, target):
    with app.test_request_context("/admin/sign-in"):
        from flask import g

        from app.store import DEFAULT_TENANT
        from app.tenancy import get_tenant_or_404

        g.tenant = get_tenant_or_404(DEFAULT_TENANT)
        assert safe_next(target) == "/admin/"
        assert safe_next("/admin/users?x=1") == "/admin/users?x=1"


def test_an_unknown_console_address_asks_for_sign_in_first(client, locked) -> None:
    """The console's own 404 is a console page: behind the lock like the rest."""
    answer = client.get(f"/t/{locked['id']}/admin/no-such-page")
    assert answer.status_code == 302
    assert "/admin/sign-in?next=" in answer.headers["Location"]
