"""Errors raised before any face's handler runs (unknown URL, wrong method) get a styled page."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("method", "url", "status", "title"),
    [
        ("get", "/admin/no-such-page", 404, "Not Found"),
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
