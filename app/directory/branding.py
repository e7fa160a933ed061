"""Branding profiles in the store: create, change, delete, assign, and which one brands a user.

The console, Graph, scenario loading and the portal all go through these functions, so the rules
(one undeletable default, at most 25 others, user groups only) hold whichever face writes. They
change the session but never commit: callers wrap them in `app.store.transaction(tenant_id)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.directory import branding_fields as fields
from app.directory.profiles import user_group_ids
from app.enrollment.branding import BrandingDecision, BrandingFacts, choose_branding
from app.store import (
    MAX_CUSTOM_PROFILES,
    BrandingAssignment,
    BrandingProfile,
    Group,
    Tenant,
    User,
    db,
    new_id,
)

DEFAULT_UNDELETABLE = "The default branding profile can't be deleted."
DEFAULT_UNASSIGNABLE = (
    "The default branding profile applies to every user no other profile brands; "
    "it can't be assigned to groups."
)
TOO_MANY = f"A tenant can have at most {MAX_CUSTOM_PROFILES} branding profiles besides the default."


class BrandingError(ValueError):
    """A change the rules refuse; `message` says why, `field` where (when known)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Target:
    """One group a profile is assigned to, with Graph's assignment filter as given."""

    group_id: str
    filter_id: str | None = None
    filter_type: str = "none"


def ordered(tenant: Tenant) -> list[BrandingProfile]:
    """The tenant's profiles, oldest first (the default one is made if it is missing)."""
    tenant.default_branding  # noqa: B018  (makes it on first use)
    return list(tenant.branding_profiles)


def find(tenant: Tenant, profile_id: str) -> BrandingProfile | None:
    for profile in ordered(tenant):
        if profile.id.casefold() == profile_id.casefold():
            return profile
    return None


def create(tenant: Tenant, changes: dict[str, Any]) -> BrandingProfile:
    """A new profile with `changes` (Graph names) over what a new profile holds."""
    custom = [p for p in ordered(tenant) if not p.is_default]
    if len(custom) >= MAX_CUSTOM_PROFILES:
        raise BrandingError(TOO_MANY)
    if not changes.get("profileName"):
        raise BrandingError("The property 'profileName' is required.", field="profileName")
    profile = BrandingProfile(
        id=new_id(),
        is_default=False,
        display_name=tenant.company,
        theme_color=fields.hex_color(fields.rgb_color(tenant.theme_color)),
        extra={},
    )
    fields.apply(profile, {**fields.NEW_PROFILE, **changes})
    tenant.branding_profiles.append(profile)
    db.session.flush()
    return profile


def update(profile: BrandingProfile, changes: dict[str, Any]) -> None:
    fields.apply(profile, changes)


def delete(tenant: Tenant, profile: BrandingProfile) -> None:
    if profile.is_default:
        raise BrandingError(DEFAULT_UNDELETABLE)
    tenant.branding_profiles.remove(profile)
    db.session.flush()


def check_group(group: Group | None, tenant_id: str) -> Group:
    """Only user groups of the same tenant can be assigned."""
    if group is None or group.tenant_id != tenant_id:
        raise BrandingError("No such group in this tenant.", field="groupId")
    if group.kind == "device":
        raise BrandingError(
            f"Branding profiles are assigned to user groups; '{group.name}' is a device group.",
            field="groupId",
        )
    return group


def assign(profile: BrandingProfile, targets: Sequence[Target]) -> None:
    """Replace the profile's assignments with `targets` (each group once, in order)."""
    if profile.is_default and targets:
        raise BrandingError(DEFAULT_UNASSIGNABLE)
    seen: set[str] = set()
    for target in targets:
        check_group(db.session.get(Group, target.group_id), profile.tenant_id)
        if target.group_id in seen:
            raise BrandingError(
                f"The group '{target.group_id}' is assigned twice.", field="groupId"
            )
        seen.add(target.group_id)
    profile.assignments.clear()
    db.session.flush()
    for position, target in enumerate(targets):
        profile.assignments.append(
            BrandingAssignment(
                tenant_id=profile.tenant_id,
                group_id=target.group_id,
                filter_id=target.filter_id,
                filter_type=target.filter_type,
                position=position,
            )
        )
    db.session.flush()


def facts(profile: BrandingProfile) -> BrandingFacts:
    return BrandingFacts(
        id=profile.id,
        name=profile.name,
        is_default=profile.is_default,
        created_at=profile.created_at,
        group_ids=tuple(a.group_id for a in profile.assignments),
    )


def _group_names(tenant_id: str) -> dict[str, str]:
    rows = db.session.execute(select(Group.id, Group.name).where(Group.tenant_id == tenant_id))
    return {group_id: name for group_id, name in rows}


def _names_of(group_ids: set[str]) -> dict[str, str]:
    """The names of these groups only: a reason names one of the user's groups, so a decision
    costs the user's groups, not the tenant's."""
    if not group_ids:
        return {}
    rows = db.session.execute(select(Group.id, Group.name).where(Group.id.in_(group_ids)))
    return {group_id: name for group_id, name in rows}


def decide(tenant: Tenant, user: User) -> tuple[BrandingProfile, BrandingDecision]:
    """The profile that brands `user` now, and why."""
    profiles = ordered(tenant)
    profile_facts = [facts(p) for p in profiles]
    groups = user_group_ids(user)
    assigned = {g for p in profile_facts for g in p.group_ids}
    decision = choose_branding(profile_facts, groups, _names_of(groups & assigned))
    return next(p for p in profiles if p.id == decision.profile.id), decision


def decision_json(profile: BrandingProfile, decision: BrandingDecision) -> dict[str, Any]:
    """The branding part of a decision trace."""
    return {
        "id": profile.id,
        "name": profile.name,
        "isDefault": profile.is_default,
        "displayName": profile.display_name,
        "enrollmentAvailability": profile.enrollment_availability,
        "reason": decision.reason,
    }


def group_names_of(profile: BrandingProfile) -> list[str]:
    """The names of the groups a profile is assigned to, in order."""
    names = _group_names(profile.tenant_id)
    return [names[a.group_id] for a in profile.assignments if a.group_id in names]
