"""The retention policy holds while people write: threads writing journal events and walking the
Company Portal to the end (each walk records a device) on one tenant, a reader following the
events cursor, and prune passes running the whole time, on SQLite and on PostgreSQL.

Afterwards: no writer saw an error; the journal holds exactly the newest events up to the cap;
every event the reader did not see was pruned (it never skipped one that was kept); every device
a walk recorded is still there, though the walks themselves are gone."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import create_app
from app.automation.journal import record
from app.retention import batches, prune
from app.retention.policy import Policy
from app.store import JournalEvent, ManagedDevice, PortalWalk, db, transaction, utcnow
from app.store.retention import journal_pruned
from tests.portal_walker import PASSWORD, Walker, profile, scenario

CAP = 40
WALK_AGE = 5  # seconds: walks finished early in the run are pruned while others still walk
WRITERS, EVENTS_EACH = 2, 150
WALKERS, WALKS_EACH = 3, 3
USERS = [f"user{n}@contoso.com" for n in range(WALKERS)]
FAST_WALK = ("begin", "continue", "fastInstall")


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_app(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'retention.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_database")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "t",
            "SCHEMA_FROM_MODELS": True,
            "JOURNAL_MAX_EVENTS": CAP,
            "JOURNAL_MAX_AGE": None,
            "WALK_MAX_AGE": WALK_AGE,
            "PRUNE_INTERVAL": None,  # this test runs the passes itself, all the time
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


class Run:
    """What the threads saw."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.written: list[int] = []  # ids of the events the writers committed
        self.walked = 0  # walks that reached "You're all set!"
        self.seen: list[int] = []  # ids the reader got, in order
        self.removed_while_writing = 0
        self.passes = 0
        self.lock = threading.Lock()

    def guard(self, work):
        def run() -> None:
            try:
                work()
            except Exception as exc:  # every failure is reported with the thread that saw it
                with self.lock:
                    self.errors.append(f"{threading.current_thread().name}: {exc!r}")

        return run


def test_the_policy_holds_under_concurrent_writes(shared_app, monkeypatch):
    monkeypatch.setattr(batches, "BATCH", 7)  # many small transactions, as a large journal has
    app = shared_app
    users = [{"upn": upn, "displayName": upn, "password": PASSWORD} for upn in USERS]
    tenant = (
        app.test_client()
        .post(
            "/_sim/tenants",
            json=scenario(
                users=users,
                groups=[{"name": "Staff", "members": USERS}],
                profiles=[profile(choice=False, default="device")],
                fastProfileInstall=True,
                apnsCertificateExpires="2030-01-01",
            ),
        )
        .get_json()
    )
    tenant_id = tenant["id"]
    policy = Policy.from_config(app.config)
    run = Run()
    writing = threading.Event()
    writing.set()

    def write_events() -> None:
        for n in range(EVENTS_EACH):
            with app.app_context(), transaction():
                event = record(tenant_id, "test.write", n=n)
                db.session.flush()
                written = event.id
            with run.lock:
                run.written.append(written)

    def walk(upn: str):
        def go() -> None:
            for _ in range(WALKS_EACH):
                walker = Walker(app.test_client(), tenant).sign_in(email=upn)
                assert walker.walk(*FAST_WALK).heading == "You're all set!"
                with run.lock:
                    run.walked += 1

        return go

    def prune_all_along() -> None:
        while writing.is_set():
            with app.app_context():
                report = prune.run_pass(policy)
            with run.lock:
                run.passes += 1
                run.removed_while_writing += report.journal_events
            time.sleep(0.02)

    def follow_cursor() -> None:
        client, cursor = app.test_client(), None
        while True:
            still_writing = writing.is_set()
            query = {"top": 25, **({"after": cursor} if cursor else {})}
            page = client.get(f"/_sim/tenants/{tenant_id}/events", query_string=query).get_json()
            ids = [int(e["id"]) for e in page["value"]]
            run.seen += ids
            cursor = page["cursor"]
            if not ids and not still_writing:
                return
            time.sleep(0.01)

    writers = [threading.Thread(target=run.guard(write_events)) for _ in range(WRITERS)]
    writers += [threading.Thread(target=run.guard(walk(upn))) for upn in USERS]
    others = [
        threading.Thread(target=run.guard(prune_all_along), name="pruner"),
        threading.Thread(target=run.guard(follow_cursor), name="reader"),
    ]
    for thread in writers + others:
        thread.start()
    for thread in writers:
        thread.join(timeout=240)
    writing.clear()
    for thread in others:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in writers + others)
    assert run.errors == []
    assert run.walked == WALKERS * WALKS_EACH
    assert run.passes >= 2 and run.removed_while_writing > 0

    with app.app_context():  # the last pass, once every walk is older than the walk age
        prune.run_pass(policy, now=utcnow() + timedelta(seconds=WALK_AGE + 1))
        kept = list(
            db.session.scalars(
                select(JournalEvent.id)
                .where(JournalEvent.tenant_id == tenant_id)
                .order_by(JournalEvent.id)
            )
        )
        pruned = journal_pruned(tenant_id)
        devices = db.session.scalars(
            select(ManagedDevice.walk_id).where(ManagedDevice.tenant_id == tenant_id)
        ).all()
        walks = db.session.scalar(
            select(func.count()).select_from(PortalWalk).where(PortalWalk.tenant_id == tenant_id)
        )

    # The cap holds, and what it keeps is the newest: a prefix of the journal went, nothing else.
    assert len(kept) == CAP
    assert pruned is not None and pruned.through < kept[0]
    assert max(run.written) in kept
    assert [i for i in run.written if i > pruned.through] == [i for i in run.written if i in kept]
    # The reader followed the cursor in order and skipped only what was pruned.
    assert run.seen == sorted(set(run.seen))
    assert set(kept) <= set(run.seen)
    assert all(i <= pruned.through for i in set(run.written) - set(run.seen))
    # Every walk recorded its device, and every device is still there; the walks went.
    assert len(devices) == WALKERS * WALKS_EACH == len(set(devices))
    assert walks == 0
