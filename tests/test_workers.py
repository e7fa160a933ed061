"""Several gunicorn workers on one database, as a team deploys it: a cold start on a fresh SQLite
file and a fresh PostgreSQL database (migrated and seeded once, every worker booted), walks
whose requests land on different workers, and a seeded fault sequence drawn alike by four
workers and by one process.

Each start is a real `gunicorn -w 4` (app/testing/gunicorn.py); the repeated ten-start check of
the README's figures is done by hand, the suite starts a few.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack

import pytest
import requests

from app.enrollment import wording
from app.testing.gunicorn import Server, gunicorn
from app.testing.postgres import fresh_postgres_database
from tests.http_walker import HttpWalker
from tests.portal_walker import DEVICE_CEREMONY, PASSWORD, profile, scenario

WORKERS = 4
COMPANY_WALK = ("begin", ("continue", "company"), "continue", *DEVICE_CEREMONY)
FAULTS = {"portal": {"errorRate": 0.5, "status": 503}, "seed": 11}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request, tmp_path):
    """An empty database: a new SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cold.sqlite'}"
    else:
        yield request.getfixturevalue("postgres_database")


def assert_started_cleanly(server: Server) -> None:
    assert server.boot_failures() == [], server.log()[-3000:]
    assert server.ready_workers() == WORKERS, server.log()[-3000:]
    health = requests.get(f"{server.url}/_sim/health", timeout=10).json()
    assert health["tenants"] == 1  # the default tenant, seeded once
    default = requests.get(f"{server.url}/_sim/tenants/default", timeout=10).json()
    assert default["counts"]["users"] == 7  # scenarios/demo.yaml, not twice


def test_four_workers_start_cold_on_a_fresh_database(four_workers):
    assert_started_cleanly(four_workers)
    assert "gunicorn, 4 workers × 4 threads" in four_workers.log()  # the banner


def test_and_again_on_another_fresh_database(fresh_database):
    with gunicorn(fresh_database, workers=WORKERS) as server:
        assert_started_cleanly(server)


class SpreadWalker(HttpWalker):
    """A browser whose every request opens a new connection, so any worker may answer it."""

    def __init__(self, tenant: dict) -> None:
        super().__init__(tenant)
        self.session.headers["Connection"] = "close"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def four_workers(request, tmp_path_factory):
    """Four workers started cold on a fresh database, shared by this module's tests of one
    database (a start takes seconds)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('workers') / 'walks.sqlite'}"
        else:
            server_url = request.getfixturevalue("postgres_server_url")
            url = stack.enter_context(fresh_postgres_database(server_url))
        yield stack.enter_context(gunicorn(url, workers=WORKERS))


def _tenant(server: Server, doc: dict) -> dict:
    response = requests.post(f"{server.url}/_sim/tenants", json=doc, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


def test_walks_continue_across_workers_and_are_recorded_once(four_workers):
    """Eight browsers walk at once, each request on a new connection: sessions and walks hold
    whichever worker answers, and every completed walk is one device and one journal entry."""
    users = [f"user{i}@fabrikam.com" for i in range(8)]
    doc = scenario(
        users=[{"upn": upn, "displayName": upn, "password": PASSWORD} for upn in users],
        groups=[{"name": "Staff", "members": users}],
        profiles=[profile()],
    )
    tenant = _tenant(four_workers, doc)
    failures: list[str] = []

    def walk(upn: str, serial: str) -> None:
        try:
            with SpreadWalker(tenant) as walker:
                walker.sign_in(upn, serialNumber=serial).walk(*COMPANY_WALK)
                assert walker.heading == wording.ALL_SET, walker.headings
        except Exception as exc:  # reported below, with the others
            failures.append(f"{upn}: {exc!r}")

    threads = [
        threading.Thread(target=walk, args=(upn, f"C39SPREAD{i:04d}"))
        for i, upn in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert len(four_workers.pids_that_answered()) > 1  # the walks did cross workers
    devices = requests.get(
        f"{four_workers.url}/_sim/tenants/{tenant['id']}/scenario", timeout=30
    ).json()["devices"]
    assert sorted(d["serialNumber"] for d in devices) == [f"C39SPREAD{i:04d}" for i in range(8)]
    enrolled = requests.get(
        f"{four_workers.url}/_sim/tenants/{tenant['id']}/events",
        params={"type": "portal.enrolled", "top": 100},
        timeout=30,
    ).json()["value"]
    assert sorted(e["user"] for e in enrolled) == sorted(users)


def _statuses(get, tenant_id: str, n: int = 24) -> list[int]:
    return [get(f"/t/{tenant_id}/portal/").status_code for _ in range(n)]


def test_a_seeded_fault_sequence_is_the_same_under_four_workers_as_under_one(
    four_workers, client, new_tenant
):
    one = new_tenant()["id"]
    assert client.put(f"/_sim/tenants/{one}/faults", json=FAULTS).status_code == 200
    under_one = _statuses(client.get, one)

    many = _tenant(four_workers, {})["id"]
    put = requests.put(f"{four_workers.url}/_sim/tenants/{many}/faults", json=FAULTS, timeout=30)
    assert put.status_code == 200

    def get(path: str):
        return requests.get(
            f"{four_workers.url}{path}", headers={"Connection": "close"}, timeout=30
        )

    under_four = _statuses(get, many)
    assert len(four_workers.pids_that_answered()) > 1
    assert under_four == under_one
    assert 0 < under_one.count(503) < len(under_one)
