"""Change tracking for Graph's `delta` on users and groups: one row per created, changed or
removed directory object, written in the same transaction as the change.

Every face writes users and groups through the ORM (Graph, the console, the portal), so one
`after_flush` hook sees them all. A scenario load or reset writes in bulk (Core statements): it
leaves a `reset` row instead, and a delta token older than that row asks the client to sync again,
as Graph does when a sync state is gone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, event, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.store.database import db
from app.store.types import UTCDateTime, utcnow

TRACKED = {"users": "user", "groups": "group"}  # table -> kind
RESET = "reset"


class DirectoryChange(db.Model):
    """One change of a user or group (kind `user` | `group`), or a bulk reset (kind `reset`)."""

    __tablename__ = "directory_changes"
    __table_args__ = (
        Index("ix_directory_changes_tenant_kind_id", "tenant_id", "kind", "id"),
        Index("ix_directory_changes_at", "at"),  # the retention age limit (app/retention/)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(8))
    object_id: Mapped[str] = mapped_column(String(36), default="")
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _row(obj: Any, removed: bool) -> dict[str, Any] | None:
    kind = TRACKED.get(getattr(obj, "__tablename__", ""))
    if kind is None or obj.tenant_id is None or obj.id is None:
        return None
    return {
        "tenant_id": obj.tenant_id,
        "kind": kind,
        "object_id": obj.id,
        "removed": removed,
        "at": utcnow(),
    }


@event.listens_for(Session, "after_flush")
def _track(session: Session, _context) -> None:
    """Record what this flush created, changed or deleted among users and groups."""
    rows = [_row(obj, False) for obj in session.new]
    rows += [_row(obj, False) for obj in session.dirty if session.is_modified(obj)]
    rows += [_row(obj, True) for obj in session.deleted]
    rows = [row for row in rows if row is not None]
    if rows:
        session.connection().execute(insert(DirectoryChange.__table__), rows)


def mark_reset(connection, tenant_id: str) -> None:
    """A bulk rewrite of the tenant's directory: delta tokens issued before it start over."""
    connection.execute(
        insert(DirectoryChange.__table__),
        [
            {
                "tenant_id": tenant_id,
                "kind": RESET,
                "object_id": "",
                "removed": False,
                "at": utcnow(),
            }
        ],
    )


def latest(session: Session, tenant_id: str) -> int:
    """The id of the tenant's newest change (0 when none): the position a delta link keeps."""
    newest = session.scalar(
        select(DirectoryChange.id)
        .where(DirectoryChange.tenant_id == tenant_id)
        .order_by(DirectoryChange.id.desc())
        .limit(1)
    )
    return newest or 0
