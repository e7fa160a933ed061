"""Company Portal branding profiles (Graph: intuneBrandingProfile) and their group assignments.

Every tenant has exactly one default profile: the company name and colour Company Portal shows
everyone no other profile brands (`deviceManagement/intuneBrand` is its legacy view). Its id is the
same in every tenant, as in Intune, so a profile's key is (tenant, id).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.database import db
from app.store.types import UTCDateTime, utcnow

# What Graph calls the default profile in every tenant (tools address it by this id).
DEFAULT_BRANDING_ID = "c3a59481-1bf2-46ce-94b3-66eec07a8d60"
DEFAULT_BRANDING_NAME = "Default"
DEFAULT_COMPANY = "Contoso"
DEFAULT_THEME_COLOR = "#0078D4"
MAX_CUSTOM_PROFILES = 25  # besides the default one


def _new_id() -> str:
    return str(uuid.uuid4())


class BrandingProfile(db.Model):
    __tablename__ = "branding_profiles"

    tenant_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(256))  # profileName
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    display_name: Mapped[str] = mapped_column(String(200), default=DEFAULT_COMPANY)
    theme_color: Mapped[str] = mapped_column(String(7), default=DEFAULT_THEME_COLOR)  # #RRGGBB
    show_logo: Mapped[bool] = mapped_column(Boolean, default=False)
    show_display_name_next_to_logo: Mapped[bool] = mapped_column(Boolean, default=True)
    contact_it_name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    contact_it_phone_number: Mapped[str | None] = mapped_column(String(256), nullable=True)
    contact_it_email_address: Mapped[str | None] = mapped_column(String(320), nullable=True)
    contact_it_notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    online_support_site_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    online_support_site_name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    privacy_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    custom_privacy_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    enrollment_availability: Mapped[str] = mapped_column(String(32), default="availableWithPrompts")
    # The Graph properties the simulator keeps but does not act on (logos, blocked actions, ...),
    # by their Graph names.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignments: Mapped[list[BrandingAssignment]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(BrandingAssignment.position, BrandingAssignment.id)",
    )


class BrandingAssignment(db.Model):
    """A user group a branding profile is assigned to (Graph: intuneBrandingProfileAssignment)."""

    __tablename__ = "branding_assignments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "profile_id"],
            ["branding_profiles.tenant_id", "branding_profiles.id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    profile_id: Mapped[str] = mapped_column(String(36))
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    # Graph's assignment filter, kept as given (the simulator evaluates no filters).
    filter_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    filter_type: Mapped[str] = mapped_column(String(16), default="none")
    position: Mapped[int] = mapped_column(Integer, default=0)

    profile: Mapped[BrandingProfile] = relationship(back_populates="assignments")


class TenantBranding:
    """The tenant's side: its default profile, and the company name and colour every face shows
    (the default profile's, so there is one source of truth)."""

    branding_profiles: list[BrandingProfile]

    @property
    def default_branding(self) -> BrandingProfile:
        """The default profile, made on first use (so a new tenant has one)."""
        for profile in self.branding_profiles:
            if profile.is_default:
                return profile
        profile = BrandingProfile(
            id=DEFAULT_BRANDING_ID,
            is_default=True,
            name=DEFAULT_BRANDING_NAME,
            display_name=DEFAULT_COMPANY,
            theme_color=DEFAULT_THEME_COLOR,
            extra={},
        )
        self.branding_profiles.append(profile)
        return profile

    @property
    def company(self) -> str:
        return self.default_branding.display_name

    @company.setter
    def company(self, value: str) -> None:
        self.default_branding.display_name = value

    @property
    def theme_color(self) -> str:
        return self.default_branding.theme_color

    @theme_color.setter
    def theme_color(self, value: str) -> None:
        self.default_branding.theme_color = value.upper()
