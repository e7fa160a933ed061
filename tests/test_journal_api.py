"""The journal API: GET /_sim/tenants/<id>/events, its filters and cursor, and the control events.

The control API's own events are caused here by the calls that record them. portal.*, admin.write
and graph.write are recorded by those faces (tests/test_journal_events.py causes each one by its
real action); here they are written with `app.automation.journal.record` to check how the API
lists and filters them.
"""

from __future__ import annotations

import pytest

from app.automation.journal import record
from app.store import transaction

SCENARIO = {
    "company": "Fabrikam",
    "users": [{"upn": "Ana@fabrikam.com", "password": "Passw0rd!"}],
}


def events(client, tenant_id: str, **query) -> dict:
    response = client.get(f"/_sim/tenants/{tenant_id}/events", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def write(app, tenant_id: str, *entries: tuple[str, str, dict]) -> None:
    with app.app_context(), transaction():
        for type_, user, detail in entries:
            record(tenant_id, type_, user=user, **detail)


def test_create_is_journaled_with_what_was_seeded(client, new_tenant):
    tenant = new_tenant(SCENARIO)
    page = events(client, tenant["id"])
    assert [e["type"] for e in page["value"]] == ["control.create"]
    event = page["value"][0]
    assert set(event) == {"id", "time", "type", "user", "detail"}
    assert event["detail"] == {"seeded": True, "company": "Fabrikam", "users": 1}
    assert event["time"].endswith("Z")
    assert page["cursor"] == event["id"]


def test_reset_is_journaled_and_starts_a_fresh_journal(client, new_tenant):
    tenant = new_tenant(SCENARIO)
    assert client.post(f"/_sim/tenants/{tenant['id']}/reset").status_code == 200
    page = events(client, tenant["id"])
    assert [(e["type"], e["detail"]) for e in page["value"]] == [
        ("control.reset", {"seeded": False})
    ]


def test_fault_calls_are_journaled(client, new_tenant):
    tenant = new_tenant()
    config = {"graph": {"errorRate": 0.5, "status": 503}, "seed": 3}
    assert client.put(f"/_sim/tenants/{tenant['id']}/faults", json=config).status_code == 200
    assert client.delete(f"/_sim/tenants/{tenant['id']}/faults").status_code == 204
    page = events(client, tenant["id"], type="control.faults,control.faultsCleared")
    assert [e["type"] for e in page["value"]] == ["control.faults", "control.faultsCleared"]
    assert page["value"][0]["detail"]["graph"]["status"] == 503
    assert page["value"][0]["detail"]["seed"] == 3


FACE_EVENTS = [
    ("portal.signIn", "ana@fabrikam.com", {"model": "iPhone"}),
    ("portal.signInFailed", "nobody@fabrikam.com", {"reason": "unknownUser"}),
    ("portal.answer", "ana@fabrikam.com", {"question": "owner", "answer": "personal"}),
    ("portal.enrolled", "Ana@Fabrikam.com", {"deviceEnrollmentType": "appleUserEnrollment"}),
    ("portal.failed", "ana@fabrikam.com", {"code": "ManagedAppleIdMissing"}),
    ("admin.write", "", {"what": "profile.create", "name": "<b>Choice</b>"}),
    ("graph.write", "", {"method": "POST", "path": "/beta/users"}),
]


@pytest.fixture
def busy(app, client, new_tenant):
    """A tenant whose journal holds one event of every face, after its control.create."""
    tenant = new_tenant(SCENARIO)
    write(app, tenant["id"], *FACE_EVENTS)
    return tenant


def test_every_event_type_is_listed_in_order_with_its_detail(client, busy):
    page = events(client, busy["id"])
    assert [e["type"] for e in page["value"]] == ["control.create"] + [t for t, _, _ in FACE_EVENTS]
    admin = page["value"][6]
    assert admin["detail"] == {"what": "profile.create", "name": "<b>Choice</b>"}
    ids = [int(e["id"]) for e in page["value"]]
    assert ids == sorted(ids)


@pytest.mark.parametrize(
    ("type_filter", "expected"),
    [
        ("portal.signIn", ["portal.signIn"]),
        ("portal.*", [t for t, _, _ in FACE_EVENTS if t.startswith("portal.")]),
        ("admin.write,graph.write", ["admin.write", "graph.write"]),
        ("control.*, graph.*", ["control.create", "graph.write"]),
        ("portal.nothing", []),
    ],
)
def test_type_filter(client, busy, type_filter, expected):
    page = events(client, busy["id"], type=type_filter)
    assert [e["type"] for e in page["value"]] == expected


def test_user_filter_is_case_insensitive(client, busy):
    page = events(client, busy["id"], user="ANA@fabrikam.com")
    assert [e["type"] for e in page["value"]] == [
        "portal.signIn",
        "portal.answer",
        "portal.enrolled",
        "portal.failed",
    ]


def test_cursor_pages_through_and_then_waits_for_new_events(app, client, busy):
    first = events(client, busy["id"], top=3)
    assert len(first["value"]) == 3
    rest = events(client, busy["id"], after=first["cursor"])
    assert len(rest["value"]) == 1 + len(FACE_EVENTS) - 3
    assert rest["value"][0]["id"] != first["value"][-1]["id"]
    caught_up = events(client, busy["id"], after=rest["cursor"])
    assert caught_up == {"value": [], "cursor": rest["cursor"]}
    write(app, busy["id"], ("portal.signIn", "ana@fabrikam.com", {}))
    newer = events(client, busy["id"], after=rest["cursor"])
    assert [e["type"] for e in newer["value"]] == ["portal.signIn"]


def test_tenants_never_see_each_others_events(app, client, new_tenant):
    a, b = new_tenant(SCENARIO), new_tenant(SCENARIO)
    write(app, a["id"], ("portal.signIn", "ana@fabrikam.com", {"tenant": "a"}))
    assert [e["type"] for e in events(client, b["id"])["value"]] == ["control.create"]
    b_cursor = events(client, b["id"])["cursor"]
    # a cursor of another tenant gives nothing of this one that it should not
    seen = events(client, a["id"], after="0")["value"]
    assert all(e["detail"].get("tenant") != "b" for e in seen)
    assert b_cursor not in [e["id"] for e in seen]


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ({"after": "abc"}, "InvalidCursor", "after: 'abc' is not a cursor"),
        ({"after": "-1"}, "InvalidCursor", "after: '-1' is not a cursor"),
        ({"type": "portal signIn"}, "InvalidQuery", "type: 'portal signIn' is not an event type"),
        ({"top": "0"}, "InvalidQuery", "top: Input should be greater than or equal to 1"),
        ({"top": "many"}, "InvalidQuery", "top: Input should be a valid integer"),
        ({"colour": "red"}, "InvalidQuery", "colour: unknown key"),
    ],
)
def test_bad_queries_are_refused_with_the_field(client, busy, query, code, message):
    response = client.get(f"/_sim/tenants/{busy['id']}/events", query_string=query)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code
    assert message in error["message"]


def test_unknown_tenant_is_404(client):
    response = client.get("/_sim/tenants/nope/events")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "NotFound"


def test_deleting_a_tenant_deletes_its_journal(app, client, busy):
    assert client.delete(f"/_sim/tenants/{busy['id']}").status_code == 204
    assert client.get(f"/_sim/tenants/{busy['id']}/events").status_code == 404
    with app.app_context():
        from sqlalchemy import func, select

        from app.store import JournalEvent, db

        left = db.session.scalar(
            select(func.count())
            .select_from(JournalEvent)
            .where(JournalEvent.tenant_id == busy["id"])
        )
    assert left == 0
