"""The store: one tenant's directory, profiles, settings and recorded outcomes.

Every row belongs to a tenant and goes with it (ON DELETE CASCADE), so a tenant is deleted or reset
with a handful of statements and parallel test workers never see each other's data.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.store.branding import BrandingProfile, TenantBranding
from app.store.database import db
from app.store.graph_properties import GraphProperties
from app.store.types import UTCDateTime, utcnow


def new_id() -> str:
    """A GUID string, the shape Graph uses for ids."""
    return str(uuid.uuid4())


def hash_password(password: str) -> str:
    """Salted PBKDF2. Simulated test accounts get a modest work factor so seeding stays fast."""
    return generate_password_hash(password, method="pbkdf2:sha256:20000")


def _tenant_fk() -> Mapped[str]:
    return mapped_column(
        String(64), ForeignKey("tenants.id", ondelete="CASCADE"), index=True, nullable=False
    )


class Tenant(TenantBranding, db.Model):
    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(String(128), unique=True)
    organization_id: Mapped[str] = mapped_column(String(36), default=new_id)
    mdm_authority: Mapped[str] = mapped_column(String(16), default="intune")
    apns_expires: Mapped[date | None] = mapped_column(Date, nullable=True)
    apns_apple_identifier: Mapped[str] = mapped_column(String(200), default="")
    # The Intune release (enrollment-today.md §1). Its column keeps the name of the setting it
    # grew out of: ownershipBehavior's two values are the first two releases.
    intune_release: Mapped[str] = mapped_column(
        "ownership_behavior", String(16), default="preview-2019"
    )
    fast_profile_install: Mapped[bool] = mapped_column(Boolean, default=False)
    # enrollment-today.md §5: the most devices one user may enroll (1-15, Intune's maximum).
    device_limit: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    # enrollment-today.md §3: published · missing (404) · wrongContentType (text/plain)
    service_discovery: Mapped[str] = mapped_column(
        String(20), default="published", server_default="published"
    )
    # enrollment-today.md §4: seconds a downloaded web-enrollment profile waits to be installed
    profile_install_window_seconds: Mapped[int] = mapped_column(
        Integer, default=480, server_default="480"
    )
    faults: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def ownership_behavior(self) -> str:
        """preview-2019 or ga-2020: the ownership rule of the release (current owns as ga-2020)."""
        return "preview-2019" if self.intune_release in (None, "preview-2019") else "ga-2020"

    @ownership_behavior.setter
    def ownership_behavior(self, value: str) -> None:
        """Setting the behaviour the release already has keeps the release (current stays)."""
        if value != self.ownership_behavior:
            self.intune_release = value

    branding_profiles: Mapped[list[BrandingProfile]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(BrandingProfile.created_at, BrandingProfile.id)",
    )


user_group_members = Table(
    "user_group_members",
    db.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)

device_group_members = Table(
    "device_group_members",
    db.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "device_id",
        ForeignKey("managed_devices.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,  # deleting a device looks its memberships up by device
    ),
)


class User(GraphProperties, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("tenant_id", "upn_key"),
        Index("ix_users_tenant_created", "tenant_id", "created_at", "upn_key"),  # Graph's pages
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant_fk()
    upn: Mapped[str] = mapped_column(String(320))
    upn_key: Mapped[str] = mapped_column(String(320))  # lower-cased: UPNs are case-insensitive
    display_name: Mapped[str] = mapped_column(String(256))
    mail_nickname: Mapped[str] = mapped_column(String(64), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    managed_apple_id: Mapped[bool] = mapped_column(Boolean, default=True)
    intune_licensed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    groups: Mapped[list[Group]] = relationship(
        secondary=user_group_members, back_populates="users", passive_deletes=True
    )

    def __init__(self, *, upn: str, password: str | None = None, **fields: Any) -> None:
        super().__init__(upn=upn, upn_key=upn.casefold(), **fields)
        if password is not None:
            self.set_password(password)

    def set_upn(self, upn: str) -> None:
        self.upn, self.upn_key = upn, upn.casefold()

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Group(GraphProperties, db.Model):
    __tablename__ = "groups"
    __table_args__ = (
        Index("ix_groups_tenant_name", "tenant_id", "name"),
        Index("ix_groups_tenant_created", "tenant_id", "created_at", "name", "id"),  # pages
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant_fk()
    name: Mapped[str] = mapped_column(String(256))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(8), default="user")  # user | device
    rule: Mapped[str | None] = mapped_column(Text, nullable=True)  # dynamic membership rule
    mail_nickname: Mapped[str] = mapped_column(String(64), default="")
    security_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    mail_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(
        secondary=user_group_members, back_populates="groups", passive_deletes=True
    )
    devices: Mapped[list[ManagedDevice]] = relationship(
        secondary=device_group_members, passive_deletes=True
    )

    @property
    def is_dynamic(self) -> bool:
        return bool(self.rule)


class EnrollmentProfile(db.Model):
    """An enrollment type profile (Graph: appleUserInitiatedEnrollmentProfile)."""

    __tablename__ = "enrollment_profiles"
    __table_args__ = (UniqueConstraint("tenant_id", "priority"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant_fk()
    name: Mapped[str] = mapped_column(String(256))
    description: Mapped[str] = mapped_column(Text, default="")
    platform: Mapped[str] = mapped_column(String(32), default="iOS")
    # Graph's defaultEnrollmentType: user | device are simulated, the other members are stored.
    default_enrollment_type: Mapped[str] = mapped_column(String(40), default="user")
    # Graph's availableEnrollmentTypeOptions; non-empty means "Require user to select device type".
    enrollment_type_options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    priority: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignments: Mapped[list[ProfileAssignment]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(ProfileAssignment.position, ProfileAssignment.id)",
    )

    @property
    def require_user_choice(self) -> bool:
        return bool(self.enrollment_type_options)


class ProfileAssignment(GraphProperties, db.Model):
    """One assignment target: a user group included, a user group excluded, or All users."""

    __tablename__ = "profile_assignments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    profile_id: Mapped[str] = mapped_column(
        ForeignKey("enrollment_profiles.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(16))  # include | exclude | allUsers
    group_id: Mapped[str | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), nullable=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    profile: Mapped[EnrollmentProfile] = relationship(back_populates="assignments")
    # A user's profiles are found from their groups (group_id) and All users (target): the
    # All-users assignments are few, so resolving never goes through every profile.
    __table_args__ = (
        Index("ix_profile_assignments_target_group", "target", "group_id", "profile_id"),
    )
    group: Mapped[Group | None] = relationship()


class CorporateIdentifier(db.Model):
    """A corporate device identifier (Graph: importedDeviceIdentity)."""

    __tablename__ = "corporate_identifiers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "value_key"),
        Index("ix_corporate_identifiers_tenant_created", "tenant_id", "created_at", "value", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant_fk()
    kind: Mapped[str] = mapped_column(String(16))  # serialNumber | imei
    value: Mapped[str] = mapped_column(String(64))
    value_key: Mapped[str] = mapped_column(String(64))  # upper-cased, spaces removed
    description: Mapped[str] = mapped_column(Text, default="")
    platform: Mapped[str] = mapped_column(String(16), default="ios")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @staticmethod
    def key(value: str) -> str:
        return "".join(value.split()).upper()


class ManagedDevice(GraphProperties, db.Model):
    """The recorded outcome of one completed walk-through."""

    __tablename__ = "managed_devices"
    __table_args__ = (
        Index("ix_managed_devices_tenant_enrolled", "tenant_id", "enrolled_at", "id"),  # pages
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant_fk()
    walk_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    user_principal_name: Mapped[str] = mapped_column(String(320), default="")
    device_name: Mapped[str] = mapped_column(String(256), default="")
    model: Mapped[str] = mapped_column(String(16), default="iPhone")
    operating_system: Mapped[str] = mapped_column(String(16), default="iOS")
    os_version: Mapped[str] = mapped_column(String(32), default="")
    serial_number: Mapped[str] = mapped_column(String(64), default="")
    imei: Mapped[str] = mapped_column(String(64), default="")
    udid: Mapped[str] = mapped_column(String(64), default="")
    enrollment_type: Mapped[str] = mapped_column(String(32))  # userEnrollment | appleUserEnrollment
    enrollment_profile_name: Mapped[str] = mapped_column(String(256), default="")
    profile_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    owner_type: Mapped[str] = mapped_column(String(16))  # personal | company
    owner_answer: Mapped[str | None] = mapped_column(String(16), nullable=True)
    security_scope: Mapped[str | None] = mapped_column(String(16), nullable=True)
    management_state: Mapped[str] = mapped_column(String(32), default="managed")
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The decision trace (2 KB to hundreds of KB) is read only where it is shown: a device's
    # own page or the scenario export; lists and member lookups never load it.
    trace: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, deferred=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # selectin: a page of devices loads its users in one query (Graph shows userDisplayName)
    user: Mapped[User | None] = relationship(lazy="selectin")


class PortalWalk(db.Model):
    """Server-side state of one Company Portal walk-through, so back, refresh and double submit
    never make a second record and two browsers can walk at once."""

    __tablename__ = "portal_walks"
    # The retention policy removes walks untouched for a while, oldest first (app/retention/).
    __table_args__ = (Index("ix_portal_walks_updated_at", "updated_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = _tenant_fk()
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class JournalEvent(db.Model):
    """One line of a tenant's journal: who did what, when."""

    __tablename__ = "journal_events"
    __table_args__ = (
        Index("ix_journal_tenant_type", "tenant_id", "type"),
        # A tenant's events in id order: the cursor `after`, newest first, the retention cap.
        Index("ix_journal_tenant_id_order", "tenant_id", "id"),
        Index("ix_journal_events_time", "time"),  # the retention age limit, oldest first
        # Ids are never given twice (SQLite otherwise reuses the highest after a reset deleted
        # it), so a cursor taken before a reset still sees every event after it.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = _tenant_fk()
    time: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    type: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(320), default="")
    actor: Mapped[str] = mapped_column(String(32), default="")  # portal | admin | graph | control
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
