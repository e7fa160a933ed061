"""Retention (README "Retention"): the journal keeps the newest events up to the cap and none
older than the age limit, and the events API and the Activity page say when older ones were
dropped; directory changes go too, an old delta token then asks for a new sync; finished and
abandoned walks go, the devices they recorded never; idle tenants other than `default` go when
asked; passes run by themselves while serving, one worker at a time, and from the command line."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app import create_app
from app.automation.journal import record
from app.retention import schedule
from app.retention.policy import Policy
from app.retention.prune import run_pass
from app.store import (
    DEFAULT_TENANT,
    DirectoryChange,
    JournalEvent,
    ManagedDevice,
    PortalWalk,
    Tenant,
    TenantRetention,
    db,
    transaction,
    utcnow,
)
from tests.portal_walker import Walker, profile, scenario

FAST_WALK = ("begin", "continue", "fastInstall")  # fastProfileInstall: one button installs
WALKING = scenario(
    profiles=[profile(choice=False, default="device")],
    fastProfileInstall=True,
    apnsCertificateExpires="2030-01-01",
)


@pytest.fixture
def make_app(database_url):
    """An app on this test's database with some settings of its own (as ENROLLSIM_* would)."""
    made = []

    def make(**config):
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "SECRET_KEY": "test",
                "SCHEMA_FROM_MODELS": True,
                **config,
            }
        )
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def write_events(app, tenant_id: str, count: int, type_: str = "test.event") -> list[int]:
    """`count` journal events, one transaction each; their ids."""
    ids = []
    with app.app_context():
        for n in range(count):
            with transaction():
                event = record(tenant_id, type_, n=n)
                db.session.flush()
                ids.append(event.id)
    return ids


def journal_ids(app, tenant_id: str) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(JournalEvent.id)
                .where(JournalEvent.tenant_id == tenant_id)
                .order_by(JournalEvent.id)
            )
        )


def prune(app, now=None):
    with app.app_context():
        return run_pass(Policy.from_config(app.config), now)


def events(client, tenant_id: str, **query) -> dict:
    response = client.get(f"/_sim/tenants/{tenant_id}/events", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_journal_keeps_the_newest_events_up_to_the_cap(make_app):
    app = make_app(JOURNAL_MAX_EVENTS=5, JOURNAL_MAX_AGE=None)
    client = app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]
    other = client.post("/_sim/tenants").get_json()["id"]
    written = journal_ids(app, tenant) + write_events(app, tenant, 11)
    write_events(app, other, 3)
    untouched = events(client, tenant)
    assert "prunedThrough" not in untouched and "eventsDropped" not in untouched

    report = prune(app)

    assert journal_ids(app, tenant) == written[-5:]
    assert len(journal_ids(app, other)) == 4  # under the cap: control.create and 3 more
    assert report.journal_events == 7 and report.journal_tenants == 1
    page = events(client, tenant)
    assert [int(e["id"]) for e in page["value"]] == written[-5:]
    assert page["prunedThrough"] == str(written[-6])
    assert page["prunedDateTime"].endswith("Z")
    assert page["eventsDropped"] is True  # from the start: the first 7 are gone
    behind = events(client, tenant, after=str(written[2]))
    assert behind["eventsDropped"] is True
    assert [int(e["id"]) for e in behind["value"]] == written[-5:]
    caught_up = events(client, tenant, after=str(written[-6]))
    assert caught_up["eventsDropped"] is False
    assert [int(e["id"]) for e in caught_up["value"]] == written[-5:]
    assert "prunedThrough" not in events(client, other)
    assert prune(app).journal_events == 0  # a second pass finds nothing more


def test_the_journal_keeps_nothing_older_than_the_age_limit(make_app):
    app = make_app(JOURNAL_MAX_EVENTS=None, JOURNAL_MAX_AGE=3600)
    client = app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]
    old = write_events(app, tenant, 4)
    with app.app_context(), transaction():
        db.session.execute(
            update(JournalEvent)
            .where(JournalEvent.id.in_(old))
            .values(time=utcnow() - timedelta(hours=2))
        )
    new = write_events(app, tenant, 2)
    prune(app)
    assert journal_ids(app, tenant) == new
    assert events(client, tenant)["prunedThrough"] == str(old[-1])
    prune(app, now=utcnow() + timedelta(hours=2))  # every one is old now, but the newest stays
    assert journal_ids(app, tenant) == new[-1:]
    page = events(client, tenant, after=str(new[-2]))
    assert [int(e["id"]) for e in page["value"]] == new[-1:]
    assert page["prunedThrough"] == str(new[-2]) and page["eventsDropped"] is False
    # So the next event's id is past the mark on every database (SQLite reuses the highest id).
    assert write_events(app, tenant, 1)[0] > new[-1]


def test_a_reset_starts_a_fresh_journal_that_nothing_was_pruned_from(make_app):
    app = make_app(JOURNAL_MAX_EVENTS=2)
    client = app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]
    write_events(app, tenant, 5)
    prune(app)
    assert "prunedThrough" in events(client, tenant)
    assert client.post(f"/_sim/tenants/{tenant}/reset").status_code == 200
    page = events(client, tenant)
    assert [e["type"] for e in page["value"]] == ["control.reset"]
    assert "prunedThrough" not in page and "eventsDropped" not in page


def test_without_limits_nothing_is_pruned(make_app):
    app = make_app(JOURNAL_MAX_EVENTS=None, JOURNAL_MAX_AGE=None, WALK_MAX_AGE=None)
    client = app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]
    write_events(app, tenant, 30)
    assert not prune(app, now=utcnow() + timedelta(days=3650)).removed_anything
    assert len(journal_ids(app, tenant)) == 31


def test_the_activity_page_says_older_events_were_cleared(make_app):
    app = make_app(JOURNAL_MAX_EVENTS=3, JOURNAL_MAX_AGE=30 * 86400)
    client = app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]
    url = f"/t/{tenant}/admin/activity"
    write_events(app, tenant, 5)
    assert "Older activity" not in client.get(url).get_data(as_text=True)
    prune(app)
    page = client.get(url).get_data(as_text=True)
    assert (
        "Older activity is no longer available: this simulator keeps the newest 3 events, "
        "for up to 30 days for each tenant." in page
    )
    assert "Older events were last cleared on" in page


def graph_headers(tenant: dict) -> dict:
    return {"Authorization": f"Bearer {tenant['token']}"}


def test_an_old_delta_token_asks_for_a_new_sync_once_its_changes_are_pruned(make_app):
    app = make_app(JOURNAL_MAX_AGE=3600)
    client = app.test_client()
    tenant = client.post(
        "/_sim/tenants", json={"users": [{"upn": "ana@contoso.com", "password": "x"}]}
    ).get_json()
    base, headers = f"/t/{tenant['id']}/beta", graph_headers(tenant)
    link = client.get(f"{base}/users/delta", headers=headers).get_json()["@odata.deltaLink"]
    for name in ("Ana 1", "Ana 2"):
        patch = client.patch(
            f"{base}/users/ana@contoso.com", json={"displayName": name}, headers=headers
        )
        assert patch.status_code == 204
    kept = client.get(link, headers=headers).get_json()
    assert [u["displayName"] for u in kept["value"]] == ["Ana 2"]
    later = kept["@odata.deltaLink"]
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(DirectoryChange))

    report = prune(app, now=utcnow() + timedelta(hours=2))

    assert report.directory_changes > 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DirectoryChange)) < before
    gone = client.get(link, headers=headers)
    assert gone.status_code == 410
    assert gone.get_json()["error"]["code"] == "syncStateNotFound"
    assert "pruned" in gone.get_json()["error"]["message"]
    # The token issued after the last change still works, and sees what changes next.
    patch = client.patch(
        f"{base}/users/ana@contoso.com", json={"displayName": "Ana 3"}, headers=headers
    )
    assert patch.status_code == 204
    after = client.get(later, headers=headers).get_json()
    assert [u["displayName"] for u in after["value"]] == ["Ana 3"]
    fresh = client.get(f"{base}/users/delta", headers=headers).get_json()
    assert [u["displayName"] for u in fresh["value"]] == ["Ana 3"]


def test_changes_before_a_reset_are_removed_and_the_reset_still_asks_for_a_new_sync(make_app):
    app = make_app(JOURNAL_MAX_AGE=None)
    client = app.test_client()
    tenant = client.post(
        "/_sim/tenants", json={"users": [{"upn": "ana@contoso.com", "password": "x"}]}
    ).get_json()
    base, headers = f"/t/{tenant['id']}/beta", graph_headers(tenant)
    link = client.get(f"{base}/users/delta", headers=headers).get_json()["@odata.deltaLink"]
    client.patch(f"{base}/users/ana@contoso.com", json={"displayName": "B"}, headers=headers)
    assert client.post(f"/_sim/tenants/{tenant['id']}/reset").status_code == 200
    prune(app)
    with app.app_context():
        left = db.session.execute(
            select(DirectoryChange.kind).where(DirectoryChange.tenant_id == tenant["id"])
        ).all()
    assert [kind for (kind,) in left] == ["reset"]
    assert client.get(link, headers=headers).status_code == 410


def test_finished_and_abandoned_walks_go_and_their_devices_stay(make_app):
    app = make_app(WALK_MAX_AGE=3600)
    client = app.test_client()
    tenant = client.post("/_sim/tenants", json=WALKING).get_json()
    finished = Walker(client, tenant).sign_in().walk(*FAST_WALK)
    assert finished.heading == "You're all set!"
    abandoned = Walker(app.test_client(), tenant).sign_in().walk("begin")
    assert prune(app).walks == 0  # both were touched a moment ago

    report = prune(app, now=utcnow() + timedelta(hours=2))

    assert report.walks == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PortalWalk)) == 0
        devices = db.session.scalars(
            select(ManagedDevice).where(ManagedDevice.tenant_id == tenant["id"])
        ).all()
    assert len(devices) == 1 and devices[0].walk_id is not None
    assert len(finished.devices()) == 1  # the scenario export still has the recorded device
    graph = client.get(f"/t/{tenant['id']}/beta/deviceManagement/managedDevices",
                       headers=graph_headers(tenant))  # fmt: skip
    assert [d["id"] for d in graph.get_json()["value"]] == [devices[0].id]
    assert client.get(abandoned.url).status_code == 404  # the walk's page is gone


def test_a_walk_in_use_is_kept(make_app):
    app = make_app(WALK_MAX_AGE=3600)
    client = app.test_client()
    tenant = client.post("/_sim/tenants", json=WALKING).get_json()
    walker = Walker(client, tenant).sign_in()
    with app.app_context(), transaction():  # untouched for two hours…
        db.session.execute(update(PortalWalk).values(updated_at=utcnow() - timedelta(hours=2)))
    walker.walk("begin")  # …until now
    assert prune(app).walks == 0
    assert walker.walk("continue", "fastInstall").heading == "You're all set!"


def set_created(app, tenant_id: str, when) -> None:
    with app.app_context(), transaction():
        db.session.execute(update(Tenant).where(Tenant.id == tenant_id).values(created_at=when))


def test_idle_tenants_are_removed_when_asked_and_used_ones_kept(make_app):
    app = make_app(IDLE_TENANT_TTL=3600)
    client = app.test_client()
    idle = client.post("/_sim/tenants").get_json()["id"]
    used = client.post("/_sim/tenants").get_json()["id"]
    young = client.post("/_sim/tenants").get_json()["id"]
    two_hours_ago = utcnow() - timedelta(hours=2)
    for tenant_id in (idle, used, DEFAULT_TENANT):
        set_created(app, tenant_id, two_hours_ago)
    assert client.get(f"/t/{used}/portal/").status_code == 200  # any face counts

    report = prune(app)

    assert report.tenants == [idle]
    assert client.get(f"/_sim/tenants/{idle}").status_code == 404
    for kept in (used, young, DEFAULT_TENANT):
        assert client.get(f"/_sim/tenants/{kept}").status_code == 200
    # Two hours on, nobody has used any of them: every one but the default goes.
    later = prune(app, now=utcnow() + timedelta(hours=2))
    assert sorted(later.tenants) == sorted([used, young])
    assert client.get("/_sim/tenants/default").status_code == 200


def test_idle_tenants_are_kept_unless_asked(make_app):
    app = make_app()
    client = app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]
    assert prune(app, now=utcnow() + timedelta(days=365)).tenants == []
    assert client.get(f"/_sim/tenants/{tenant}").status_code == 200


def test_a_tenants_use_is_written_at_most_once_a_minute(make_app):
    app = make_app()
    client = app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]

    def seen_at():
        with app.app_context():
            return db.session.scalar(
                select(TenantRetention.last_seen_at).where(TenantRetention.tenant_id == tenant)
            )

    assert seen_at() is None  # created, not yet used
    client.get(f"/_sim/tenants/{tenant}")
    first = seen_at()
    assert first is not None
    for url in (f"/t/{tenant}/admin/", f"/_sim/tenants/{tenant}/events", f"/t/{tenant}/portal/"):
        assert client.get(url).status_code in (200, 302)
    assert seen_at() == first
    other_worker = make_app()  # a process of its own: it writes only a mark over a minute old
    assert other_worker.test_client().get(f"/_sim/tenants/{tenant}").status_code == 200
    assert seen_at() == first


def test_one_worker_wins_each_pass(make_app):
    app = make_app()
    now = utcnow()
    wins = []

    def try_claim() -> None:
        with app.app_context():
            wins.append(schedule.claim(300, now))

    threads = [threading.Thread(target=try_claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False, False, False, True]
    with app.app_context():
        assert not schedule.claim(300, now + timedelta(seconds=299))
        assert schedule.claim(300, now + timedelta(seconds=301))


def test_passes_run_by_themselves_while_serving(make_app):
    app = make_app(JOURNAL_MAX_EVENTS=3, PRUNE_INTERVAL=1)
    client = app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]  # the first request sets the clock
    write_events(app, tenant, 6)
    plan = app.extensions["enrollsim.retention"]
    deadline = time.monotonic() + 20
    while len(journal_ids(app, tenant)) > 3 and time.monotonic() < deadline:
        client.get("/_sim/health")
        time.sleep(0.2)
    while plan.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(journal_ids(app, tenant)) == 3
    assert events(client, tenant)["eventsDropped"] is True


def test_the_prune_command_says_what_it_removed(make_app):
    app = make_app(JOURNAL_MAX_EVENTS=2)
    client = app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]
    write_events(app, tenant, 4)
    result = app.test_cli_runner().invoke(args=["prune"])
    assert result.exit_code == 0, result.output
    assert "policy: journal: each tenant keeps the newest 2 events, for up to 30 days" in (
        result.output
    )
    assert "journal events removed: 3 (from 1 tenant)" in result.output
    assert "idle tenants removed: 0" in result.output
    assert len(journal_ids(app, tenant)) == 2


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ENROLLSIM_JOURNAL_MAX_EVENTS", "lots", "a number of events, like 10000, or off"),
        ("ENROLLSIM_JOURNAL_MAX_EVENTS", "-5", "not '-5'"),
        ("ENROLLSIM_JOURNAL_MAX_AGE", "7 days", "a duration like 90s, 15m, 12h, 30d or 2w"),
        ("ENROLLSIM_WALK_MAX_AGE", "1.5h", "not '1.5h'"),
        ("ENROLLSIM_IDLE_TENANT_TTL", "60", "at least 5 minutes, or off"),
        ("ENROLLSIM_PRUNE_INTERVAL", "soon", "ENROLLSIM_PRUNE_INTERVAL: a duration"),
    ],
)
def test_a_bad_setting_stops_the_start_saying_what_and_where(
    monkeypatch, tmp_path, variable, value, message
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=variable) as caught:
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, (10_000, 30 * 86400, 86400, None, 300)),
        (
            {
                "ENROLLSIM_JOURNAL_MAX_EVENTS": "500",
                "ENROLLSIM_JOURNAL_MAX_AGE": "7d",
                "ENROLLSIM_WALK_MAX_AGE": "12h",
                "ENROLLSIM_IDLE_TENANT_TTL": "2w",
                "ENROLLSIM_PRUNE_INTERVAL": "90",
            },
            (500, 7 * 86400, 12 * 3600, 14 * 86400, 90),
        ),
        (
            {
                "ENROLLSIM_JOURNAL_MAX_EVENTS": "off",
                "ENROLLSIM_JOURNAL_MAX_AGE": "0",
                "ENROLLSIM_WALK_MAX_AGE": "OFF",
                "ENROLLSIM_IDLE_TENANT_TTL": "",
                "ENROLLSIM_PRUNE_INTERVAL": "off",
            },
            (None, None, None, None, None),
        ),
    ],
)
def test_settings_read_durations_and_off(monkeypatch, tmp_path, env, expected):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
            "SECRET_KEY": "t",
            "SCHEMA_FROM_MODELS": True,
        }
    )
    keys = (
        "JOURNAL_MAX_EVENTS",
        "JOURNAL_MAX_AGE",
        "WALK_MAX_AGE",
        "IDLE_TENANT_TTL",
        "PRUNE_INTERVAL",
    )
    assert tuple(app.config[key] for key in keys) == expected
    assert ("enrollsim.retention" in app.extensions) is (expected[-1] is not None)
    with app.app_context():
        db.engine.dispose()
