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
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, func, select

from app.enrollment.resolve import ProfileFacts
from app.store import EnrollmentProfile, Group, ProfileAssignment, Tenant, db, is_writing

CACHE_SIZE = 64  # tenants kept per app; the least recently resolved is dropped first

# Built once: building a statement costs more than running it. "Require user to select device
# type" is a non-empty option list: SQL says so.
# Each assignment with its group's name: reasons name only groups some profile targets.
_TARGETS = (
    select(
        ProfileAssignment.profile_id,
        ProfileAssignment.target,
        ProfileAssignment.group_id,
        Group.name,
    )
    .join(EnrollmentProfile, EnrollmentProfile.id == ProfileAssignment.profile_id)
    .outerjoin(Group, Group.id == ProfileAssignment.group_id)
    .where(EnrollmentProfile.tenant_id == bindparam("tenant_id"))
)
_PROFILES = (
    select(
        EnrollmentProfile.id,
        EnrollmentProfile.name,
        EnrollmentProfile.priority,
        func.coalesce(func.json_array_length(EnrollmentProfile.enrollment_type_options), 0) > 0,
        EnrollmentProfile.default_enrollment_type,
    )
    .where(EnrollmentProfile.tenant_id == bindparam("tenant_id"))
    .order_by(EnrollmentProfile.priority)
)
_STATE = select(Tenant.revision, Tenant.organization_id).where(Tenant.id == bindparam("tenant_id"))

_lock = threading.Lock()


@dataclass(frozen=True)
class TenantProfiles:
    """A tenant's profiles, highest priority first, and the name of each group they target."""

    facts: tuple[ProfileFacts, ...]
    group_names: Mapping[str, str]


def load(tenant_id: str) -> TenantProfiles:
    """Read the tenant's profiles, their assignments and the names of the groups these target
    (two column queries)."""
    connection = db.session.connection()
    params = {"tenant_id": tenant_id}
    includes: dict[str, set[str]] = {}
    excludes: dict[str, set[str]] = {}
    all_users: set[str] = set()
    names: dict[str, str] = {}
    for profile_id, target, group_id, group_name in connection.execute(_TARGETS, params).all():
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
            _PROFILES, params
        ).all()
    )
    return TenantProfiles(facts, names)


def for_tenant(tenant_id: str) -> TenantProfiles:
    """`load`, reused while the tenant is at the same revision."""
    if is_writing():
        return load(tenant_id)
    # The revision first: data read after it is at least that new, never older.
    state = db.session.connection().execute(_STATE, {"tenant_id": tenant_id}).first()
    if state is None:
        return load(tenant_id)
    key = tuple(state)
    cache: OrderedDict[str, tuple[tuple, TenantProfiles]] = current_app.extensions.setdefault(
        "enrollsim.profile_facts", OrderedDict()
    )
    with _lock:
        hit = cache.get(tenant_id)
        if hit is not None and hit[0] == key:
            cache.move_to_end(tenant_id)
            return hit[1]
    loaded = load(tenant_id)
    with _lock:
        cache[tenant_id] = (key, loaded)
        cache.move_to_end(tenant_id)
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return loaded
