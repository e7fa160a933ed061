"""A walk keeps what decided, not every profile (issue 15, item 3): its stored size and its screen
do not grow with the tenant's profiles; the panel lists the profiles that decided and how many
others there are; the full trace, one link away, is the trace the control API gives; walks stored
with the whole trace (before this) still load, render and record."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select, update

from app.automation import decision, trace
from app.portal import panel
from app.store import EnrollmentProfile, ManagedDevice, PortalWalk, Tenant, User, db, transaction
from tests.portal_walker import DEVICE_CEREMONY, Walker, profile, scenario

GROUPS = [
    {"name": "Staff", "members": ["alex@contoso.com"]},
    {"name": "Contractors", "members": ["alex@contoso.com"]},
    {"name": "Elsewhere", "members": []},
]


def tenant_doc(others: int) -> dict:
    """Alex is targeted by two profiles (one excludes him) and by none of `others` more."""
    deciding = [
        profile("Excluded", include=["Staff"], exclude=["Contractors"]),
        profile("Staff DE", choice=False, default="device", include=["Staff"]),
    ]
    rest = [profile(f"Other {i}", include=["Elsewhere"]) for i in range(others)]
    return scenario(groups=GROUPS, profiles=deciding + rest)


def stored_walk(app, tenant_id: str) -> PortalWalk:
    with app.app_context():
        return db.session.scalars(select(PortalWalk).filter_by(tenant_id=tenant_id)).one()


def full_trace_url(w: Walker) -> str:
    return w.url.rstrip("/") + "/trace"


def test_the_stored_walk_and_its_screen_do_not_grow_with_the_profiles(app, client, new_tenant):
    sizes = {}
    for others in (3, 120):
        w = Walker(client, new_tenant(tenant_doc(others))).sign_in()
        state = stored_walk(app, w.tenant["id"]).state
        assert state["decision"]["otherProfiles"] == others
        assert [c["name"] for c in state["decision"]["deciding"]] == ["Excluded", "Staff DE"]
        sizes[others] = (len(json.dumps(state)), len(w.page))
    (small_state, small_page), (large_state, large_page) = sizes[3], sizes[120]
    assert 0 <= large_state - small_state <= 4  # the count's digits, the walk's own ids
    assert abs(large_page - small_page) <= 64  # "120 other profiles …", the walk's ids
    w = Walker(client, new_tenant(tenant_doc(120))).sign_in()
    assert "Other 7" not in w.page and "120 other profiles don&#39;t target this user" in w.page


def test_the_panel_lists_the_profiles_that_decided(client, new_tenant):
    w = Walker(client, new_tenant(tenant_doc(1))).sign_in()
    assert "Excluded" in w.page and "excluded by group Contractors" in w.page
    assert "Staff DE" in w.page and "highest-priority profile that targets the user" in w.page
    assert "1 other profile doesn&#39;t target this user" in w.page
    assert "Other 0" not in w.page
    assert re.search(r'<a href="[^"]+/trace">Show the full decision trace</a>', w.page)


@pytest.mark.parametrize(
    ("others", "shown", "line"),
    [
        (0, True, ""),
        (0, False, ""),
        (1, True, "1 other profile doesn't target this user"),
        (2, True, "2 other profiles don't target this user"),
        (1, False, "1 profile doesn't target this user"),
        (2_000, False, "2,000 profiles don't target this user"),
    ],
)
def test_others_line_wording(others, shown, line):
    assert panel.others_line(others, shown) == line


def test_no_profile_targets_the_user(client, new_tenant):
    doc = scenario(groups=GROUPS, profiles=[profile("A", include=["Elsewhere"])] * 1)
    w = Walker(client, new_tenant(doc)).sign_in()
    assert "1 profile doesn&#39;t target this user" in w.page
    w = Walker(client, new_tenant(scenario())).sign_in()
    assert "The tenant has no enrollment type profiles." in w.page


def test_the_full_trace_is_the_trace_of_the_decision(app, client, new_tenant):
    w = Walker(client, new_tenant(tenant_doc(4))).sign_in(
        serialNumber="F2LX1234", imei="352099001761481"
    )
    kept = stored_walk(app, w.tenant["id"]).state["decision"]
    with app.app_context():
        tenant = db.session.get(Tenant, w.tenant["id"])
        user = db.session.scalars(select(User).filter_by(tenant_id=tenant.id)).one()
        built = trace.build(tenant, user, "F2LX1234", "352099001761481", "17.5", date.today())
        full, current = decision.full(kept, user)
    assert current and full == built
    assert list(full) == list(built)  # the keys in the order the control API answers them
    page = client.get(full_trace_url(w))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    names = re.findall(r'<span class="cand-name">([^<]+)</span>', text)
    assert names == [c["name"] for c in built["candidates"]]
    for candidate in built["candidates"]:
        assert candidate["reason"] in text
    assert "Where each answer leads on this device" in text and "Back to the walk" in text
    assert "changed since this walk signed in" not in text


def test_the_full_trace_is_the_walks_own(client, app, new_tenant):
    w = Walker(client, new_tenant(tenant_doc(1))).sign_in()
    url = full_trace_url(w)
    stranger = app.test_client()
    assert stranger.get(url).status_code == 404
    other_tenant = new_tenant(tenant_doc(1))
    assert client.get(url.replace(w.tenant["id"], other_tenant["id"])).status_code == 404
    assert client.get(url.replace("/walk/", "/walk/nope")).status_code == 404


def test_the_device_record_keeps_the_whole_trace(app, client, new_tenant):
    w = Walker(client, new_tenant(tenant_doc(3))).sign_in()
    w.walk("begin", "continue", *DEVICE_CEREMONY)
    with app.app_context():
        record = db.session.scalars(select(ManagedDevice)).one()
        names = [c["name"] for c in record.trace["candidates"]]
        assert names == ["Excluded", "Staff DE", "Other 0", "Other 1", "Other 2"]
        assert record.trace["outcome"]["enrollmentProfileName"] == "Staff DE"
        assert "otherProfiles" not in record.trace


def test_a_change_to_the_deciding_profiles_is_said_not_hidden(app, client, new_tenant):
    w = Walker(client, new_tenant(tenant_doc(2))).sign_in()
    with app.app_context(), transaction(w.tenant["id"]):
        db.session.execute(
            update(EnrollmentProfile)
            .where(EnrollmentProfile.name == "Excluded")
            .values(name="Renamed")
        )
    text = client.get(full_trace_url(w)).get_data(as_text=True)
    assert "changed since this walk signed in" in text
    assert "The 2 other profiles, which didn't target the user, are not listed" in text
    assert re.findall(r'<span class="cand-name">([^<]+)</span>', text) == ["Excluded", "Staff DE"]
    w.walk("begin", "continue", *DEVICE_CEREMONY)
    with app.app_context():
        record = db.session.scalars(select(ManagedDevice)).one()
        assert [c["name"] for c in record.trace["candidates"]] == ["Excluded", "Staff DE"]
        assert record.trace["otherProfiles"] == 2


def test_a_walk_stored_with_the_whole_trace_still_loads(app, client, new_tenant):
    """Rows written before walks kept only what decided: "trace" holds trace.build."""
    w = Walker(client, new_tenant(tenant_doc(2))).sign_in()
    with app.app_context(), transaction(w.tenant["id"]):
        row = db.session.scalars(select(PortalWalk)).one()
        tenant = db.session.get(Tenant, w.tenant["id"])
        user = db.session.get(User, row.user_id)
        old = trace.build(tenant, user, "C39XK0000001", "", "17.5", date.today())
        state = {k: v for k, v in row.state.items() if k != "decision"}
        row.state = {**state, "trace": old}
    w.walk()  # reload the screen
    page = client.get(w.url).get_data(as_text=True)
    assert "Excluded" in page and "Staff DE" in page and "Other 1" not in page
    assert "2 other profiles don&#39;t target this user" in page
    text = client.get(full_trace_url(w)).get_data(as_text=True)
    names = re.findall(r'<span class="cand-name">([^<]+)</span>', text)
    assert names == ["Excluded", "Staff DE", "Other 0", "Other 1"]
    w.walk("begin", "continue", *DEVICE_CEREMONY)
    assert "You&#39;re all set!" in w.page
    with app.app_context():
        record = db.session.scalars(select(ManagedDevice)).one()
        assert record.trace["candidates"] == old["candidates"]


def test_all_set_does_not_read_the_device_trace(app, client, new_tenant):
    """ "You're all set!" shows the outcome the walk kept: the device's whole trace (every
    profile) is not read for it; a walk that kept none (recorded earlier) reads the device's."""
    pages = {}
    for others in (2, 60):
        w = Walker(client, new_tenant(tenant_doc(others))).sign_in()
        w.walk("begin", "continue", *DEVICE_CEREMONY)
        pages[others] = w.page
    assert abs(len(pages[60]) - len(pages[2])) <= 64
    with app.app_context(), transaction(w.tenant["id"]):
        row = db.session.scalars(select(PortalWalk).filter_by(tenant_id=w.tenant["id"])).one()
        device = db.session.get(ManagedDevice, row.device_id)
        assert row.state["outcome"] == device.trace["outcome"]
        walk_id, kept = row.id, device.trace
        device.trace = None

    def screen() -> str:  # each page has its own CSP nonce
        return re.sub(r'nonce="[^"]*"', "", client.get(w.url).get_data(as_text=True))

    shown = screen()
    assert "Recorded outcome" in shown and "Why this ownership:" in shown
    with app.app_context(), transaction(w.tenant["id"]):
        row = db.session.get(PortalWalk, walk_id)
        row.state = {k: v for k, v in row.state.items() if k != "outcome"}
        db.session.get(ManagedDevice, row.device_id).trace = kept
    assert screen() == shown
