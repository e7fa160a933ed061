"""The scenario each tenant was last loaded from, so the console's Reset tenant can go back to it
(a presenter's undo) without the tester keeping the file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.store.database import db
from app.store.types import UTCDateTime, utcnow


class ScenarioSnapshot(db.Model):
    __tablename__ = "scenario_snapshots"

    tenant_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # as given: only the keys it set
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
