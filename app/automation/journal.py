"""The tenant's journal: every sign-in, answer, enrollment, failure and write, in order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select

from app.store import JournalEvent, Tenant, db


def record(tenant_id: str, type_: str, *, user: str = "", **detail: Any) -> JournalEvent:
    """Add one event to the current transaction; the caller's transaction commits it."""
    _in_commit_order(tenant_id)
    event = JournalEvent(
        tenant_id=tenant_id, type=type_, user=user, actor=type_.split(".")[0], detail=detail
    )
    db.session.add(event)
    return event


def _in_commit_order(tenant_id: str) -> None:
    """A reader continuing `after` a cursor must never miss an event committed later with a
    smaller id. PostgreSQL hands out ids when rows are written, not when they commit: writers of
    one tenant's journal take the tenant's row lock first, so its ids are committed in order, by
    every worker. SQLite has one writer at a time already (ids are given under its write lock)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Tenant.id).where(Tenant.id == tenant_id).with_for_update())


def events(
    tenant_id: str,
    *,
    types: Sequence[str] = (),
    user: str | None = None,
    after: int | None = None,
    limit: int = 100,
    newest_first: bool = False,
) -> list[JournalEvent]:
    """A tenant's events, filtered. A type ending in `.*` matches the whole family (`portal.*`)."""
    query = select(JournalEvent).where(JournalEvent.tenant_id == tenant_id)
    if types:
        wanted = []
        for type_ in types:
            if type_.endswith(".*"):
                # substr, not LIKE: case-sensitive like `==` on SQLite and PostgreSQL alike
                prefix = type_[:-1]
                wanted.append(func.substr(JournalEvent.type, 1, len(prefix)) == prefix)
            else:
                wanted.append(JournalEvent.type == type_)
        query = query.where(or_(*wanted))
    if user:
        query = query.where(func.lower(JournalEvent.user) == user.casefold())
    if after is not None:
        query = query.where(JournalEvent.id > after)
    order = JournalEvent.id.desc() if newest_first else JournalEvent.id
    return list(db.session.scalars(query.order_by(order).limit(limit)))
