"""The tenant's journal: every sign-in, answer, enrollment, failure and write, in order."""

from __future__ import annotations

from typing import Any

from app.db import db
from app.models import JournalEvent


def record(tenant_id: str, type_: str, *, user: str = "", **detail: Any) -> JournalEvent:
    """Add one event to the current transaction; the caller's transaction commits it."""
    event = JournalEvent(
        tenant_id=tenant_id, type=type_, user=user, actor=type_.split(".")[0], detail=detail
    )
    db.session.add(event)
    return event
