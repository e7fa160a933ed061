"""Account-driven user enrollments in progress over Apple's protocol (enrollment-today.md §3):
one row from the enrollment profile handed out to the TokenUpdate that records the device."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.store.database import db
from app.store.types import UTCDateTime, utcnow


class MdmEnrollment(db.Model):
    """`stage`: profile (handed out) → authenticated (check-in Authenticate) → enrolled
    (TokenUpdate recorded the managed device `device_id`). Later messages never go back."""

    __tablename__ = "mdm_enrollments"
    # The retention policy removes enrollments untouched for a while, as it does portal walks.
    __table_args__ = (Index("ix_mdm_enrollments_updated_at", "updated_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("tenants.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    stage: Mapped[str] = mapped_column(String(16), default="profile")
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)  # device info, path, trace
    device_enrollment_id: Mapped[str] = mapped_column(String(128), default="")
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
