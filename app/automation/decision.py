"""What decided a walk, kept in place of its whole decision trace.

A walk keeps the trace without its candidates (the applied profile and why, the questions, where
each answer leads, the branding: none of it grows with the tenant) plus the profiles that decided
- every profile that targets the user, the applied one and any that exclude the user - the count
of the other profiles and a stamp of the applied profile. The full trace is built again when asked
for; when the profiles that decided have changed since sign-in (a profile edited, a group's members
changed), it shows the decision as it was kept and says that the others are not known.

Walks stored before this kept the whole trace under "candidates": such a record is its own full
trace, and its deciding profiles are read out of it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.automation import trace
from app.directory import profile_facts
from app.directory.profiles import resolve_for_user
from app.enrollment.resolve import ProfileFacts, Resolution
from app.store import EnrollmentProfile, Tenant, User, db

_KEPT = ("deciding", "otherProfiles", "appliedProfileStamp")
# How the trace says that a profile both includes and excludes the user (app.enrollment.resolve).
_TARGETED_BUT_EXCLUDED = "(exclusion wins over inclusion by "


def _stamp(applied: ProfileFacts | dict[str, Any] | None) -> str | None:
    """The applied profile's last change, so that an edit after sign-in is noticed."""
    if applied is None:
        return None
    profile_id = applied.id if isinstance(applied, ProfileFacts) else applied["id"]
    profile = db.session.get(EnrollmentProfile, profile_id)
    return profile.modified_at.isoformat() if profile is not None else None


def _deciding(resolution: Resolution) -> list[dict[str, Any]]:
    return [trace.candidate_json(c) for c in resolution.targeting]


def record(
    tenant: Tenant,
    user: User,
    serial_number: str,
    imei: str,
    os_version: str | None,
    today: date | None,
    resolution: Resolution,
) -> dict[str, Any]:
    """What a walk keeps of the decision made at sign-in (the same `resolution`)."""
    parts = trace.outcome_parts(tenant, user, serial_number, imei, os_version, today, resolution)
    deciding = _deciding(resolution)
    others = max(profile_facts.count(tenant.id) - len(deciding), 0)
    return {
        **parts,
        "deciding": deciding,
        "otherProfiles": others,
        "appliedProfileStamp": _stamp(resolution.applied),
    }


def is_full(kept: dict[str, Any]) -> bool:
    """Whether this is a whole trace (a walk stored before walks kept only what decided)."""
    return "candidates" in kept


def _targets_user(candidate: dict[str, Any]) -> bool:
    return (
        candidate["included"]
        or candidate["applied"]
        or (candidate["excluded"] and _TARGETED_BUT_EXCLUDED in candidate["reason"])
    )


def deciding(kept: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The profiles that decided, highest priority first, and how many others the tenant had."""
    if not is_full(kept):
        return kept["deciding"], kept["otherProfiles"]
    targeting = [c for c in kept["candidates"] if _targets_user(c)]
    return targeting, len(kept["candidates"]) - len(targeting)


def full(kept: dict[str, Any], user: User | None) -> tuple[dict[str, Any], bool]:
    """The whole trace of a walk, and whether it is the one made at sign-in (False: the profiles
    that decided have changed since; the trace then lists only those, as they were kept, with
    `otherProfiles`). `user` None (deleted since) is a change too."""
    if is_full(kept):
        return kept, True
    parts = {k: v for k, v in kept.items() if k not in _KEPT}
    if user is not None:
        resolution = resolve_for_user(user)
        candidates = [trace.candidate_json(c) for c in resolution.candidates]
        same = (
            _deciding(resolution) == kept["deciding"]
            and len(candidates) - len(kept["deciding"]) == kept["otherProfiles"]
            and _stamp(kept["appliedProfile"]) == kept["appliedProfileStamp"]
        )
        if same:
            return trace.with_candidates(parts, candidates), True
    changed = trace.with_candidates(parts, kept["deciding"])
    return {**changed, "otherProfiles": kept["otherProfiles"]}, False
