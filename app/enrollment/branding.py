"""Which Company Portal branding profile brands a user: the profile assigned to one of the user's
groups (the oldest, when several are [simulator rule]), else the tenant's default profile.

Pure: it sees profiles as `BrandingFacts` and the user as a set of group ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class BrandingFacts:
    """What the decision needs to know about one branding profile."""

    id: str
    name: str
    is_default: bool
    created_at: datetime
    group_ids: tuple[str, ...] = ()  # the groups it is assigned to, in assignment order


@dataclass(frozen=True)
class BrandingDecision:
    profile: BrandingFacts
    reason: str
    via_group: str | None = None  # the id of the user's group the profile is assigned to


def choose_branding(
    profiles: Iterable[BrandingFacts],
    user_group_ids: Iterable[str],
    group_names: Mapping[str, str] | None = None,
) -> BrandingDecision:
    """The profile that brands a user in the given groups; `profiles` holds the default one."""
    profiles = list(profiles)
    defaults = [p for p in profiles if p.is_default]
    if len(defaults) != 1:
        raise ValueError(f"A tenant has exactly one default branding profile, not {len(defaults)}.")
    groups = set(user_group_ids)
    names = group_names or {}
    matching = [
        (p, next(g for g in p.group_ids if g in groups))
        for p in profiles
        if not p.is_default and groups.intersection(p.group_ids)
    ]
    if not matching:
        return BrandingDecision(
            defaults[0],
            "No branding profile is assigned to the user's groups: the default profile brands "
            "Company Portal.",
        )
    matching.sort(key=lambda pair: (pair[0].created_at, pair[0].id))
    profile, group_id = matching[0]
    group = names.get(group_id, group_id)
    if len(matching) == 1:
        reason = f'Assigned to the user\'s group "{group}".'
    else:
        reason = (
            f'Assigned to the user\'s group "{group}"; the oldest of the {len(matching)} '
            "branding profiles assigned to the user's groups [simulator rule]."
        )
    return BrandingDecision(profile, reason, via_group=group_id)


def offers_enrollment(enrollment_availability: str) -> bool:
    """Graph's enrollmentAvailability: `unavailable` hides enrollment in Company Portal; with or
    without prompts, a user who starts enrollment can enroll."""
    return enrollment_availability != "unavailable"
