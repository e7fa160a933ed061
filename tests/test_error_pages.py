"""Errors raised before any face's handler runs (unknown URL, wrong method) get a styled page."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("method", "url", "status", "title"),
    [
        ("get", "/portal/no/such/page", 404, "Not Found"),
        ("get", "/nowhere", 404, "Not Found"),
        ("post", "/", 405, "Method Not Allowed"),
    ],
)
def test_unrouted_errors_get_the_styled_error_page(client, method, url, status, title) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert f"<title>{title} - Enrollment Simulator</title>" in html
    assert 'href="/static/css/portal.css?v=' in html
    assert 'href="/">Go to the start page</a>' in html


def test_the_error_page_does_not_echo_the_url(client) -> None:
    """The URL asked for is not echoed back, so markup in it can't reach the page."""
    html = client.get("/admin/<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html


CONSOLE_TITLE = " - Endpoint Manager admin center (simulated)</title>"


@pytest.mark.parametrize("where", ["/admin", "/t/{tenant}/admin"])
def test_an_unknown_console_address_is_a_404_inside_the_console(client, new_tenant, where) -> None:
    """The console's own 404 keeps its header and navigation, says what happened, links home."""
    base = where.format(tenant=new_tenant({"company": "Contoso"})["id"])
    response = client.get(f"{base}/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f"<title>Not Found{CONSOLE_TITLE}" in html
    assert 'href="/static/css/admin.css?v=' in html and "portal.css" not in html
    assert '<nav class="sidenav" aria-label="Admin console">' in html
    assert "There is no page at this address in the admin console." in html
    assert f'href="{base}/">Back to Enrollment type profiles</a>' in html


@pytest.mark.parametrize("path", ["/tenant/settings", "/sign-out"])
def test_a_get_of_a_post_only_console_address_is_a_405_inside_the_console(client, path) -> None:
    response = client.get(f"/admin{path}")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    html = response.get_data(as_text=True)
    assert f"<title>Method Not Allowed{CONSOLE_TITLE}" in html
    assert '<nav class="sidenav" aria-label="Admin console">' in html
    assert "This address takes POST." in html


def test_an_unknown_address_of_an_unknown_tenants_console_is_a_plain_404(client) -> None:
    """No tenant, so nothing of one to show: no navigation, a link to the start page."""
    response = client.get("/t/nope/admin/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "No tenant with id &#39;nope&#39;." in html
    assert "sidenav" not in html
    assert 'href="/">Go to the start page</a>' in html


@pytest.mark.parametrize("path", ["/beta/no-such-thing", "/_sim/no-such-call"])
def test_api_errors_stay_json(client, path) -> None:
    response = client.get(path)
    assert response.is_json and "error" in response.get_json()
