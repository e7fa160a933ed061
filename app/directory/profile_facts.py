"""Every profile of a tenant as the domain sees it (`ProfileFacts`) and the names of its groups,
loaded with prebuilt Core queries and kept per tenant revision.

Resolving runs on every sign-in and trace and needs all of a tenant's profiles, but they change
rarely. Every write to a tenant goes through `app.store.transaction(tenant_id)`, which bumps
`Tenant.revision`, so (tenant, organization id, revision) names one state of its profiles and
groups: a read outside a write transaction reuses what an earlier read of that state loaded.
Inside a write transaction (changes may be flushed but not committed) nothing is reused or kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import bindparam, func, select, union

from app.enrollment.resolve import Candidate, ProfileFacts, explain
from app.store import (
    EnrollmentProfile,
    Group,
    ProfileAssignment,
    Tenant,
    db,
    is_writing,
    user_group_members,
)

CACHE_SIZE = 64  # tenants kept per app; the least recently resolved is dropped first
# Explained candidates kept per tenant state, counted in candidates (profiles × group sets), so a
# tenant of many profiles keeps fewer group sets: about 5 MB at most per tenant.
EXPLAINED_SIZE = 20_000


# Built once: building a statement costs more than running it. "Require user to select device
# type" is a non-empty option list: SQL says so.
# Each assignment with its group's name: reasons name only groups some profile targets.
def _targets(*where):
    return (
        select(
            ProfileAssignment.profile_id,
            ProfileAssignment.target,
            ProfileAssignment.group_id,
            Group.name,
        )
        .join(EnrollmentProfile, EnrollmentProfile.id == ProfileAssignment.profile_id)
        .outerjoin(Group, Group.id == ProfileAssignment.group_id)
        .where(*where)
    )


def _profiles(*where):
    return (
        select(
            EnrollmentProfile.id,
            EnrollmentProfile.name,
            EnrollmentProfile.priority,
            func.coalesce(func.json_array_length(EnrollmentProfile.enrollment_type_options), 0) > 0,
            EnrollmentProfile.default_enrollment_type,
        )
        .where(*where)
        .order_by(EnrollmentProfile.priority)
    )


_IN_TENANT = EnrollmentProfile.tenant_id == bindparam("tenant_id")
_TARGETS = _targets(_IN_TENANT)
_PROFILES = _profiles(_IN_TENANT)
# The user's targeting profiles: those including one of the user's groups (membership indexed by
# user, assignments by group) and those of the tenant assigned to All users (indexed by target).
_USER_GROUPS = select(user_group_members.c.group_id).where(
    user_group_members.c.user_id == bindparam("user_id")
)
_TARGETING_IDS = union(
    select(ProfileAssignment.profile_id).where(
        ProfileAssignment.target == "include", ProfileAssignment.group_id.in_(_USER_GROUPS)
    ),
    select(ProfileAssignment.profile_id)
    .join(EnrollmentProfile, EnrollmentProfile.id == ProfileAssignment.profile_id)
    .where(_IN_TENANT, ProfileAssignment.target == "allUsers"),
)
_TARGETING_TARGETS = _targets(ProfileAssignment.profile_id.in_(_TARGETING_IDS))
_TARGETING_PROFILES = _profiles(EnrollmentProfile.id.in_(_TARGETING_IDS))
_STATE = select(Tenant.revision, Tenant.organization_id).where(Tenant.id == bindparam("tenant_id"))

_lock = threading.Lock()


@dataclass(frozen=True)
class TenantProfiles:
    """A tenant's profiles, highest priority first, and the name of each group they target;
    with the profiles that include each group, and those assigned to All users, so that a user's
    candidates are found from their groups without going through every profile."""

    facts: tuple[ProfileFacts, ...]
    group_names: Mapping[str, str]
    including: Mapping[str, tuple[ProfileFacts, ...]] = field(default_factory=dict)
    all_users: tuple[ProfileFacts, ...] = ()
    _explained: OrderedDict[frozenset[str], tuple[Candidate, ...]] = field(
        default_factory=OrderedDict, compare=False, repr=False
    )

    def explained(self, user_group_ids: frozenset[str]) -> tuple[Candidate, ...]:
        """`explain` of every profile for a user in these groups, kept with this state of the
        tenant: the candidates depend on nothing else, and users share group sets, so a suite
        asking for many users' traces pays for every profile once per group set, not per call."""
        with _lock:
            hit = self._explained.get(user_group_ids)
            if hit is not None:
                self._explained.move_to_end(user_group_ids)
                return hit
        judged = explain(self.facts, user_group_ids, self.group_names)
        with _lock:
            self._explained[user_group_ids] = judged
            while len(self._explained) * max(len(self.facts), 1) > EXPLAINED_SIZE:
                if len(self._explained) == 1:
                    break
                self._explained.popitem(last=False)
        return judged

    def targeting(self, user_group_ids: Iterable[str]) -> list[ProfileFacts]:
        """The profiles that include one of these groups or All users, highest priority first."""
        found = {p.id: p for p in self.all_users}
        for group_id in user_group_ids:
            for profile in self.including.get(group_id, ()):
                found[profile.id] = profile
        return sorted(found.values(), key=lambda p: p.priority)

    @classmethod
    def indexed(cls, facts: tuple[ProfileFacts, ...], names: Mapping[str, str]) -> TenantProfiles:
        """The profiles (highest priority first) with their index by included group."""
        including: dict[str, list[ProfileFacts]] = {}
        for profile in facts:
            for group_id in profile.include_group_ids:
                including.setdefault(group_id, []).append(profile)
        return cls(
            facts,
            names,
            {g: tuple(ps) for g, ps in including.items()},
            tuple(p for p in facts if p.all_users),
        )


def load(tenant_id: str) -> TenantProfiles:
    """Read the tenant's profiles, their assignments and the names of the groups these target
    (two column queries)."""
    return TenantProfiles.indexed(*_read(_TARGETS, _PROFILES, {"tenant_id": tenant_id}))


def load_targeting(tenant_id: str, user_id: str) -> tuple[ProfileFacts, ...]:
    """Only the profiles that include one of the user's groups or All users, read through the
    membership and assignment indexes: a user's decision costs their groups, not the tenant."""
    return load_targeting_named(tenant_id, user_id)[0]


def load_targeting_named(
    tenant_id: str, user_id: str
) -> tuple[tuple[ProfileFacts, ...], Mapping[str, str]]:
    """`load_targeting`, with the names of the groups these profiles assign (what their
    reasons name)."""
    params = {"tenant_id": tenant_id, "user_id": user_id}
    return _read(_TARGETING_TARGETS, _TARGETING_PROFILES, params)


_COUNT = select(func.count()).select_from(EnrollmentProfile).where(_IN_TENANT)


def count(tenant_id: str) -> int:
    """How many profiles the tenant has (from the cache when it holds them)."""
    known = cached(tenant_id)
    if known is not None:
        return len(known.facts)
    return db.session.connection().execute(_COUNT, {"tenant_id": tenant_id}).scalar_one()


def _read(targets_query, profiles_query, params: dict[str, str]):
    connection = db.session.connection()
    includes: dict[str, set[str]] = {}
    excludes: dict[str, set[str]] = {}
    all_users: set[str] = set()
    names: dict[str, str] = {}
    for profile_id, target, group_id, group_name in connection.execute(targets_query, params).all():
        if target == "allUsers":
            all_users.add(profile_id)
        else:
            side = includes if target == "include" else excludes
            side.setdefault(profile_id, set()).add(group_id)
            names[group_id] = group_name
    empty: frozenset[str] = frozenset()
    facts = tuple(
        ProfileFacts(
            id=profile_id,
            name=name,
            priority=priority,
            require_user_choice=bool(require_choice),
            default_enrollment_type=default_type,
            all_users=profile_id in all_users,
            include_group_ids=frozenset(includes[profile_id]) if profile_id in includes else empty,
            exclude_group_ids=frozenset(excludes[profile_id]) if profile_id in excludes else empty,
        )
        for profile_id, name, priority, require_choice, default_type in connection.execute(
            profiles_query, params
        ).all()
    )
    return facts, names


def for_tenant(tenant_id: str) -> TenantProfiles:
    """`load`, reused while the tenant is at the same revision."""
    key = _revision(tenant_id)
    if key is None:
        return load(tenant_id)
    hit = _cached(tenant_id, key)
    if hit is not None:
        return hit
    loaded = load(tenant_id)
    with _lock:
        cache = _cache()
        cache[tenant_id] = (key, loaded)
        cache.move_to_end(tenant_id)
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return loaded


def cached(tenant_id: str) -> TenantProfiles | None:
    """What an earlier `for_tenant` loaded if the tenant is still at that revision, else None
    (nothing is read beyond the revision: a caller that needs less than every profile reads
    only that)."""
    key = _revision(tenant_id)
    return None if key is None else _cached(tenant_id, key)


def _revision(tenant_id: str) -> tuple | None:
    """The cache key of the tenant's state now, or None when nothing may be reused."""
    if is_writing():
        return None
    # The revision first: data read after it is at least that new, never older.
    state = db.session.connection().execute(_STATE, {"tenant_id": tenant_id}).first()
    return None if state is None else tuple(state)


def _cache() -> OrderedDict[str, tuple[tuple, TenantProfiles]]:
    return current_app.extensions.setdefault("enrollsim.profile_facts", OrderedDict())


def _cached(tenant_id: str, key: tuple) -> TenantProfiles | None:
    with _lock:
        cache = _cache()
        hit = cache.get(tenant_id)
        if hit is not None and hit[0] == key:
            cache.move_to_end(tenant_id)
            return hit[1]
    return None
