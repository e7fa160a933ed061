"""Retention (README "Retention"): what a completed walk leaves in the database with and without
the policy, and what a pass costs at a large journal, including how long a writer waits while
one runs. `python -m bench retention` (`--quick`: a smaller journal); `python -m bench` ends
with the same figures.

Storage is the database's live size (SQLite pages in use after a VACUUM), so freed space that a
running instance would reuse is not counted as growth.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from app import create_app
from app.automation.journal import record
from app.retention.policy import Policy
from app.retention.prune import run_pass
from app.scenarios import create_tenant
from app.store import JournalEvent, db, new_tenant_id, transaction, utcnow
from bench import walk

WALKS = 40


def _live_bytes() -> int:
    """Bytes the database's data takes: pages in use after VACUUM (SQLite)."""
    connection = db.session.connection()
    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.session.commit()
    with db.engine.connect() as raw:
        raw = raw.execution_options(isolation_level="AUTOCOMMIT")
        raw.exec_driver_sql("VACUUM")
        pages = raw.exec_driver_sql("PRAGMA page_count").scalar()
        size = raw.exec_driver_sql("PRAGMA page_size").scalar()
    return pages * size


def _line(name: str, value: str, goal: str = "") -> None:
    print(f"{name:<66} {value:>19}  {goal}")


def storage_figures(app, client) -> None:
    """Walk WALKS users to "You're all set!", then measure what stays after a pass."""
    upns = [f"user{n}@bench.test" for n in range(WALKS)]
    scenario = {
        **walk.SCENARIO,
        "users": [{"upn": u, "displayName": u, "password": walk.PASSWORD} for u in upns],
        "groups": [{"name": "Staff", "members": upns}],
    }
    tenant_id = client.post("/_sim/tenants", json=scenario).get_json()["id"]
    with app.app_context():
        before = _live_bytes()
        events_before = _events(tenant_id)
    for upn in upns:
        walk.walk(client, tenant_id, walk.DEVICE_ENROLLMENT, upn=upn)
    with app.app_context():
        grown = _live_bytes()
        day_later = utcnow() + timedelta(days=2)  # every walk older than the 1-day default
        run_pass(Policy(journal_max_events=None, journal_max_age=None), now=day_later)
        without_walks = _live_bytes()
        # The steady state of a busy tenant: its journal at the cap, one event in, one out.
        run_pass(Policy(journal_max_events=events_before, walk_max_age=None), now=day_later)
        at_cap = _live_bytes()
    per_walk = (grown - before) / WALKS / 1024
    _line(f"storage per completed walk, nothing pruned ({WALKS} walks)", f"{per_walk:.1f} KB")
    _line(
        "  after a pass: walks untouched for ENROLLSIM_WALK_MAX_AGE removed",
        f"{(without_walks - before) / WALKS / 1024:.1f} KB",
    )
    _line(
        "  and the journal at its cap (a busy tenant's steady state)",
        f"{(at_cap - before) / WALKS / 1024:.1f} KB",
        "the recorded device only",
    )


def _events(tenant_id: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(JournalEvent).where(JournalEvent.tenant_id == tenant_id)
    )


def _fill_journals(tenants: int, each: int) -> list[str]:
    """`tenants` tenants with `each` journal events apiece, written in bulk."""
    ids = [create_tenant(None, new_tenant_id()).id for _ in range(tenants)]
    now = utcnow()
    table = JournalEvent.__table__
    for tenant_id in ids:
        rows = [
            {
                "tenant_id": tenant_id,
                "time": now,
                "type": "portal.screen",
                "user": "user@bench.test",
                "actor": "portal",
                "detail": {"walkId": "x" * 32, "screen": "setUpAccess"},
            }
            for _ in range(each)
        ]
        with transaction():
            db.session.execute(insert(table), rows)
    return ids


def pass_figures(app, quick: bool) -> None:
    """A pass at a large journal: its time, and how long a journal write waits meanwhile."""
    tenants, each, cap = (4, 12_000, 10_000) if quick else (20, 15_000, 10_000)
    with app.app_context():
        ids = _fill_journals(tenants, each)
        total = db.session.scalar(select(func.count()).select_from(JournalEvent))
    policy = Policy(journal_max_events=cap, journal_max_age=30 * 86400, walk_max_age=86400)
    waits: list[float] = []
    running = threading.Event()

    def writer() -> None:
        with app.app_context():
            while running.is_set():
                started = time.perf_counter()
                with transaction():
                    record(ids[0], "bench.write")
                waits.append((time.perf_counter() - started) * 1000)
                time.sleep(0.005)

    running.set()
    thread = threading.Thread(target=writer)
    thread.start()
    with app.app_context():
        started = time.perf_counter()
        report = run_pass(policy)
        busy = time.perf_counter() - started
    running.clear()
    thread.join()
    with app.app_context():
        started = time.perf_counter()
        run_pass(policy)
        idle = time.perf_counter() - started
    label = f"{total:,} events ({tenants} tenants of {each:,}), cap {cap:,}"
    _line(
        f"prune pass, {label}",
        f"{busy:.2f} s",
        f"removed {report.journal_events:,} events",
    )
    waits.sort()
    p95 = waits[max(0, int(len(waits) * 0.95) - 1)]
    _line(
        "  a journal write meanwhile: median / p95 / longest",
        f"{statistics.median(waits):.1f} / {p95:.1f} / {max(waits):.0f} ms",
        f"{len(waits)} writes",
    )
    _line("  the next pass, nothing to remove (every 5 minutes)", f"{idle * 1000:.0f} ms")


def figures(quick: bool) -> None:
    """Every retention figure, on a database of its own (sizes are of that database)."""
    print('Retention (README "Retention"):')
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'retention.sqlite'}",
                "SECRET_KEY": "b",
                "PRUNE_INTERVAL": None,  # the figures run their passes themselves
            }
        )
        storage_figures(app, app.test_client())
        pass_figures(app, quick)
        with app.app_context():
            db.engine.dispose()


def main() -> int:
    figures("--quick" in sys.argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
