"""Retention passes while serving: now and then, by one worker at a time, off the request path.

Every process checks, on a request, whether its next attempt is due (a clock comparison; nothing
else on the request path). When it is, a thread of its own tries to claim the pass in the database
— a conditional UPDATE moving the shared `retention.nextPass` time on by the interval, which only
one process can win for a given interval — and the winner runs it (app/retention/prune.py). So
however many workers or machines share a database, passes run about once per interval, and one
at a time unless one takes longer than the interval (two at once are still safe: each step
removes only what is still there).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.retention.policy import Policy
from app.retention.prune import run_pass
from app.store import SharedSetting, db, transaction, utcnow

NEXT_PASS = "retention.nextPass"
FIRST_ATTEMPT_AFTER = 60.0  # seconds after a process's first request: a start never waits on it


def _stamp(moment: datetime) -> str:
    """Fixed width, so the database compares them as text in time order."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def claim(interval: int, now: datetime | None = None) -> bool:
    """Whether this process won the pass due now; if so, the next one is due `interval` later."""
    now = now or utcnow()
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    with transaction():
        db.session.execute(
            dialect.insert(SharedSetting)
            .values(name=NEXT_PASS, value="")
            .on_conflict_do_nothing(index_elements=["name"])
        )
        won = db.session.execute(
            update(SharedSetting.__table__)
            .where(SharedSetting.name == NEXT_PASS, SharedSetting.value <= _stamp(now))
            .values(value=_stamp(now + timedelta(seconds=interval)))
        )
    return won.rowcount == 1


class Schedule:
    """One process's side: when to try next, and whether its pass thread is running."""

    def __init__(self, app: Flask, interval: int) -> None:
        self.app, self.interval = app, interval
        self.next_attempt: float | None = None
        self.running = False
        self._lock = threading.Lock()

    def on_request(self) -> None:
        """Start a pass thread when this process's next attempt is due."""
        now = time.monotonic()
        due = self.next_attempt
        if due is not None and now < due:
            return
        with self._lock:
            if self.next_attempt is None:
                self.next_attempt = now + min(FIRST_ATTEMPT_AFTER, self.interval)
                return
            if self.running or now < self.next_attempt:
                return
            self.next_attempt = now + self.interval
            self.running = True
        threading.Thread(target=self.attempt, name="enrollsim-retention", daemon=True).start()

    def attempt(self) -> None:
        """Claim the pass and run it; a failure is logged, and the next interval tries again."""
        try:
            with self.app.app_context():
                if claim(self.interval):
                    report = run_pass(Policy.from_config(self.app.config))
                    if report.removed_anything:
                        self.app.logger.info("Retention pass: %s", "; ".join(report.lines()))
        except Exception:
            self.app.logger.exception("Retention pass failed; the next one tries again")
        finally:
            self.running = False


def register(app: Flask) -> None:
    """Passes every PRUNE_INTERVAL seconds while serving (none when it is off)."""
    interval = app.config.get("PRUNE_INTERVAL")
    if not interval:
        return
    schedule = Schedule(app, interval)
    app.extensions["enrollsim.retention"] = schedule
    app.before_request(schedule.on_request)
