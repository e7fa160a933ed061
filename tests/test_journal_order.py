"""A journal reader following the cursor misses nothing, whichever process wrote what when: an
event given a smaller id but committed later must not land behind a cursor already handed out."""

from __future__ import annotations

import threading
import time

import pytest

from app import create_app
from app.automation.journal import record
from app.store import db, transaction


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_app(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'journal.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_database")
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t", "SCHEMA_FROM_MODELS": True}
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_reader_following_the_cursor_misses_no_event(shared_app):
    client = shared_app.test_client()
    tenant = client.post("/_sim/tenants").get_json()["id"]
    written = threading.Event()

    def slow_writer() -> None:
        """Writes its event first (so it has the smaller id) and commits it last."""
        with shared_app.app_context(), transaction():
            record(tenant, "test.slow")
            db.session.flush()
            written.set()
            time.sleep(0.8)

    def fast_writer() -> None:
        with shared_app.app_context(), transaction():
            record(tenant, "test.fast")

    slow = threading.Thread(target=slow_writer)
    slow.start()
    assert written.wait(10)
    fast = threading.Thread(target=fast_writer)
    fast.start()

    seen: list[dict] = []
    cursor = None
    deadline = time.monotonic() + 10
    while len(seen) < 2 and time.monotonic() < deadline:
        query = {"type": "test.*", **({"after": cursor} if cursor else {})}
        page = client.get(f"/_sim/tenants/{tenant}/events", query_string=query).get_json()
        seen += page["value"]
        cursor = page["cursor"]
        time.sleep(0.05)
    slow.join()
    fast.join()
    assert [e["type"] for e in seen] == ["test.slow", "test.fast"]
    assert int(seen[0]["id"]) < int(seen[1]["id"])
