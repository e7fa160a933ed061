"""Enrollment type profiles in the store: create, reorder, delete, and resolve for a user.

The console, the Graph API, the portal and the control API all go through these functions, so a
profile created in one face applies in the others at once. Functions here change the session but
never commit: callers wrap them in `app.store.transaction(tenant_id)`, which also serializes writers
of one tenant so that priorities always stay 0..n-1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import bindparam, select

from app.directory import profile_facts
from app.enrollment.resolve import Candidate, ProfileFacts, Resolution, resolve_targeting
from app.store import (
    EnrollmentProfile,
    Group,
    ProfileAssignment,
    User,
    db,
    user_group_members,
)

DEVICE_GROUPS_REFUSED = (
    "Device groups aren't supported for User Enrollment scenarios because the feature is based "
    "on user identities, rather than devices."
)


class ProfileError(ValueError):
    """A change the rules refuse; `message` says why, `field` where (when known)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def ordered(tenant_id: str) -> list[EnrollmentProfile]:
    """The tenant's profiles, highest priority (0) first."""
    return list(
        db.session.scalars(
            select(EnrollmentProfile)
            .where(EnrollmentProfile.tenant_id == tenant_id)
            .order_by(EnrollmentProfile.priority)
        )
    )


def _renumber(profiles: Sequence[EnrollmentProfile]) -> None:
    """Write priorities 0..n-1 in list order without tripping the unique constraint midway."""
    changed = [(i, p) for i, p in enumerate(profiles) if p.priority != i]
    for i, profile in changed:
        profile.priority = -(i + 1)
    db.session.flush()
    for i, profile in changed:
        profile.priority = i
    db.session.flush()


def add(profile: EnrollmentProfile, priority: int | None = None) -> EnrollmentProfile:
    """Add a profile at `priority` (clamped), or at the end (lowest priority) when None."""
    profiles = ordered(profile.tenant_id)
    at = len(profiles) if priority is None else max(0, min(priority, len(profiles)))
    profile.priority = len(profiles) + 1_000_000  # out of the way until renumbered
    db.session.add(profile)
    db.session.flush()
    profiles.insert(at, profile)
    _renumber(profiles)
    return profile


def move(profile: EnrollmentProfile, priority: int) -> None:
    """Give `profile` priority N (clamped) and renumber the others around it."""
    profiles = [p for p in ordered(profile.tenant_id) if p.id != profile.id]
    profiles.insert(max(0, min(priority, len(profiles))), profile)
    _renumber(profiles)


def reorder(tenant_id: str, profile_ids: Sequence[str]) -> list[EnrollmentProfile]:
    """Put profiles in the given order (highest priority first); ids not listed keep their
    relative order after the listed ones, and unknown ids are refused."""
    profiles = ordered(tenant_id)
    by_id = {p.id: p for p in profiles}
    unknown = [i for i in profile_ids if i not in by_id]
    if unknown:
        raise ProfileError(f"No profile with id '{unknown[0]}' in this tenant.")
    if len(set(profile_ids)) != len(profile_ids):
        raise ProfileError("A profile is listed twice in the new order.")
    listed = [by_id[i] for i in profile_ids]
    rest = [p for p in profiles if p.id not in set(profile_ids)]
    _renumber(listed + rest)
    return listed + rest


def remove(profile: EnrollmentProfile) -> None:
    """Delete a profile and close the gap it leaves in the priorities."""
    tenant_id = profile.tenant_id
    db.session.delete(profile)
    db.session.flush()
    _renumber(ordered(tenant_id))


def check_target_group(group: Group | None, tenant_id: str) -> Group:
    """Only user groups of the same tenant can be assigned."""
    if group is None or group.tenant_id != tenant_id:
        raise ProfileError("No such group in this tenant.", field="groupId")
    if group.kind == "device":
        raise ProfileError(DEVICE_GROUPS_REFUSED, field="groupId")
    return group


def set_assignments(
    profile: EnrollmentProfile,
    *,
    all_users: bool,
    include: Sequence[Group],
    exclude: Sequence[Group],
) -> None:
    """Replace a profile's assignments (the console's Assignments step). A group listed twice
    on one side is assigned once; a group both included and excluded stays excluded."""
    for group in [*include, *exclude]:
        check_target_group(group, profile.tenant_id)
    targets: list[tuple[str, Group | None]] = [("allUsers", None)] if all_users else []
    targets += [("include", g) for g in _unique(include)]
    targets += [("exclude", g) for g in _unique(exclude)]
    profile.assignments.clear()
    db.session.flush()
    for position, (target, group) in enumerate(targets):
        profile.assignments.append(ProfileAssignment(target=target, group=group, position=position))


def _unique(groups: Sequence[Group]) -> list[Group]:
    """First occurrence of each group, in order (unsaved groups count by identity)."""
    seen: dict[object, Group] = {}
    for group in groups:
        seen.setdefault(group.id or id(group), group)
    return list(seen.values())


def facts(profile: EnrollmentProfile) -> ProfileFacts:
    """What the domain needs to know about a stored profile."""
    targets = profile.assignments
    return ProfileFacts(
        id=profile.id,
        name=profile.name,
        priority=profile.priority,
        require_user_choice=profile.require_user_choice,
        default_enrollment_type=profile.default_enrollment_type,
        all_users=any(a.target == "allUsers" for a in targets),
        include_group_ids=frozenset(a.group_id for a in targets if a.target == "include"),
        exclude_group_ids=frozenset(a.group_id for a in targets if a.target == "exclude"),
    )


def user_group_ids(user: User) -> set[str]:
    return set(
        db.session.scalars(
            select(user_group_members.c.group_id).where(user_group_members.c.user_id == user.id)
        )
    )


_USER_GROUP_IDS = select(user_group_members.c.group_id).where(
    user_group_members.c.user_id == bindparam("user_id")
)


def resolve_for_user(user: User) -> Resolution:
    """Which profile applies to `user` now, from the user's side: their groups, then only the
    profiles that target these groups or All users. Every profile considered and why (the
    candidates) is read when asked for, in the same session: read it before the transaction
    that resolved ends."""
    tenant_id = user.tenant_id
    groups = frozenset(
        db.session.connection().execute(_USER_GROUP_IDS, {"user_id": user.id}).scalars()
    )
    known = profile_facts.cached(tenant_id)  # None inside a write, or after one
    names: Mapping[str, str]
    if known is not None:
        targeting: Sequence[ProfileFacts] = known.targeting(groups)
        names = known.group_names
    else:  # read only what the user needs; every profile is read when the trace is asked for
        targeting, names = profile_facts.load_targeting_named(tenant_id, user.id)

    def every_profile() -> tuple[Candidate, ...]:
        return profile_facts.for_tenant(tenant_id).explained(groups)

    return resolve_targeting(targeting, groups, every_profile, names)
