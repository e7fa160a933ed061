"""What the retention policy keeps per tenant (README "Retention"): when anyone last used the
tenant, and how far its journal has been pruned, so the events API and the Activity page can say
that older entries were dropped.

A row of its own, not columns of `tenants`: marking a tenant seen must never wait for the tenant's
row lock that every write holds (app/store/session.py), nor bump the revision its cache is keyed by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from app.store.database import db
from app.store.types import UTCDateTime


class TenantRetention(db.Model):
    __tablename__ = "tenant_retention"

    tenant_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    # A request to any face of the tenant, written at most once a minute (app/retention/activity.py)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Every journal event with an id up to this one was removed by the policy; none after it was.
    journal_pruned_through: Mapped[int | None] = mapped_column(Integer, nullable=True)
    journal_pruned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


@dataclass(frozen=True)
class JournalPruned:
    """How far the tenant's journal was pruned: ids up to `through`, last at `at`."""

    through: int
    at: datetime


def journal_pruned(tenant_id: str) -> JournalPruned | None:
    """Read from the database every time (never from a cached tenant): None when the tenant's
    journal never lost an event to the policy."""
    row = db.session.execute(
        select(TenantRetention.journal_pruned_through, TenantRetention.journal_pruned_at).where(
            TenantRetention.tenant_id == tenant_id
        )
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return JournalPruned(through=row[0], at=row[1])


def forget_journal_pruning(connection: Connection, tenant_id: str) -> None:
    """A reset empties the journal: what the policy once dropped from it is no longer news."""
    connection.execute(
        update(TenantRetention.__table__)
        .where(TenantRetention.tenant_id == tenant_id)
        .values(journal_pruned_through=None, journal_pruned_at=None)
    )
