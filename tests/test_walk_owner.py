"""A walk belongs to the browser session that signed in (issue 13, item 5): any other session gets
the portal's 404, and a device is handed over with the start URL and its device settings."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from app import create_app
from app.enrollment import wording
from app.store import PortalWalk, db
from tests.conftest import csrf_token
from tests.portal_walker import Walker, profile, scenario

NOT_HERE = escape(wording.WALK_NOT_HERE)


@pytest.fixture
def tenant(new_tenant):
    return new_tenant(scenario(profiles=[profile()]))


def test_another_browser_session_gets_the_portal_404(app, client, tenant):
    mine = Walker(client, tenant).sign_in().press("begin")
    stranger = app.test_client()
    page = stranger.get(mine.url)
    assert page.status_code == 404
    body = page.get_data(as_text=True)
    assert NOT_HERE in body and "Page not found" in body
    assert "Alex" not in body and "alex@contoso.com" not in body
    assert 'class="portal-page"' in body  # the portal's own page, not a bare error


def test_another_browser_session_cannot_press_a_button(app, client, tenant):
    mine = Walker(client, tenant).sign_in().press("begin")
    before = mine.step
    stranger = app.test_client()
    form_page = stranger.get(f"/t/{tenant['id']}/portal/")  # a CSRF token of its own session
    data = {"csrf_token": csrf_token(form_page.data), "step": before, "action": "continue"}
    assert stranger.post(mine.url, data=data).status_code == 404
    mine._take(mine._send("GET", mine.url))
    assert mine.step == before  # the stranger moved nothing


def test_the_signed_in_session_keeps_all_its_walks(client, tenant):
    first = Walker(client, tenant).sign_in()
    second = Walker(client, tenant).sign_in(model="iPad")
    assert first.url != second.url
    assert client.get(first.url).status_code == 200
    assert second.press("begin").status == 200


def test_a_new_browser_session_loses_the_walk(client, tenant):
    mine = Walker(client, tenant).sign_in()
    client.delete_cookie("session")
    assert client.get(mine.url).status_code == 404


def test_any_worker_answers_the_owner(app, client, tenant):
    """Nothing is kept per process: a second app on the same database and key opens the walk."""
    mine = Walker(client, tenant).sign_in()
    worker = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": app.config["SECRET_KEY"],
        }
    )
    other = worker.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    try:
        assert other.get(mine.url).status_code == 200
    finally:
        with worker.app_context():
            db.engine.dispose()


def test_hand_over_is_a_sign_in_with_the_same_device_settings(app, client, tenant):
    device = {"model": "iPad", "osVersion": "16.4", "serialNumber": "F2LXC0RP0009"}
    mine = Walker(client, tenant).sign_in(**device)
    tester = Walker(app.test_client(), tenant).sign_in(**device)
    assert tester.status == 200 and tester.url != mine.url
    assert "iPad" in tester.page and "16.4" in tester.page


def test_the_database_keeps_a_digest_not_the_session_key(app, client, tenant):
    Walker(client, tenant).sign_in()
    with client.session_transaction() as session:
        key = session["portal_browser"]
    with app.app_context():
        owner = db.session.scalar(select(PortalWalk)).state["owner"]
    assert key not in owner and len(owner) == 64


def test_a_walk_stored_before_walks_had_owners_stays_open(app, client, tenant):
    mine = Walker(client, tenant).sign_in()
    with app.app_context():
        row = db.session.scalar(select(PortalWalk))
        row.state = {k: v for k, v in row.state.items() if k != "owner"}
        db.session.commit()
    assert app.test_client().get(mine.url).status_code == 200
