"""Which enrollment type profile applies to a user, and why (spec §2)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class EnrollmentType(StrEnum):
    """The enrollment types the simulator walks through (account-driven only in `current`;
    web-based device enrollment is Device Enrollment reached through Safari)."""

    USER = "user"  # User Enrollment (Graph deviceEnrollmentType appleUserEnrollment)
    DEVICE = "device"  # Device Enrollment via Company Portal (Graph userEnrollment)
    ACCOUNT_DRIVEN = "accountDrivenUserEnrollment"  # from the Settings app (iOS 15+)

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    EnrollmentType.USER: "User Enrollment",
    EnrollmentType.DEVICE: "Device Enrollment",
    EnrollmentType.ACCOUNT_DRIVEN: "account-driven user enrollment",
}


@dataclass(frozen=True)
class ProfileFacts:
    """What resolution needs to know about one enrollment type profile."""

    id: str
    name: str
    priority: int
    require_user_choice: bool
    default_enrollment_type: str  # Graph member: user | device | (others, not simulated)
    all_users: bool = False
    include_group_ids: frozenset[str] = field(default_factory=frozenset)
    exclude_group_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Candidate:
    """One profile as seen for one user: assigned to them or not, taken or not, and why."""

    profile: ProfileFacts
    included: bool
    excluded: bool
    applied: bool
    reason: str

    @property
    def is_candidate(self) -> bool:
        return self.included and not self.excluded


@dataclass(frozen=True)
class Resolution:
    """The applied profile (None when no profile targets the user) and every profile considered.

    `candidates` (the "why not" of every profile) is worked out only when read: deciding needs
    just the profiles that target the user, and most callers never look at the others."""

    applied: ProfileFacts | None
    reason: str
    explain: Callable[[], tuple[Candidate, ...]] = field(repr=False, compare=False)
    explain_targeting: Callable[[], tuple[Candidate, ...]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def candidates(self) -> tuple[Candidate, ...]:
        return self.explain()

    @cached_property
    def targeting(self) -> tuple[Candidate, ...]:
        """The candidates of the profiles that target the user (include them, whether or not
        they also exclude them), judged exactly as in `candidates`: what decided. Worked out
        without reading the profiles that don't target the user, when the resolver could."""
        if self.explain_targeting is None:
            return tuple(c for c in self.candidates if c.included)
        return self.explain_targeting()


NO_PROFILE_REASON = (
    "No enrollment type profile is assigned to this user, so Company Portal uses Device "
    "Enrollment with no ownership questions [simulator rule]."
)


def _group_list(ids: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(sorted(names.get(i, i) for i in ids))


def _judge(
    profile: ProfileFacts, user_groups: frozenset[str], names: Mapping[str, str]
) -> tuple[bool, bool, str]:
    """Whether the profile includes and excludes the user, and a reason naming the groups."""
    including = profile.include_group_ids & user_groups
    excluding = profile.exclude_group_ids & user_groups
    if including:
        source: str | None = f"group {_group_list(including, names)}"
    else:
        source = "All users" if profile.all_users else None
    if excluding:
        exclusion = f"excluded by group {_group_list(excluding, names)}"
        if source is not None:
            return True, True, f"{exclusion} (exclusion wins over inclusion by {source})"
        if profile.include_group_ids:
            return False, True, f"{exclusion}; {_not_included(profile, names)}"
        return False, True, exclusion
    if source is not None:
        return True, False, f"included by {source}"
    if profile.include_group_ids:
        return False, False, _not_included(profile, names)
    return False, False, "not assigned to any group"


def _not_included(profile: ProfileFacts, names: Mapping[str, str]) -> str:
    return f"not a member of any included group ({_group_list(profile.include_group_ids, names)})"


def _reason(winner: ProfileFacts | None) -> str:
    if winner is None:
        return NO_PROFILE_REASON
    return f"{winner.name} applies (priority {winner.priority + 1})."


def explain(
    profiles: Iterable[ProfileFacts], groups: frozenset[str], names: Mapping[str, str]
) -> tuple[Candidate, ...]:
    """Every profile in priority order, judged for a user in `groups`, with the reason."""
    judged = [(p, *_judge(p, groups, names)) for p in sorted(profiles, key=lambda p: p.priority)]
    winner = next((p for p, inc, exc, _ in judged if inc and not exc), None)
    candidates = []
    for profile, included, excluded, why in judged:
        applied = profile is winner
        if included and not excluded and not applied:
            why = f"{why}; a higher-priority profile ({winner.name}) applies"
        elif applied:
            why = f"{why}; highest-priority profile that targets the user"
        candidates.append(Candidate(profile, included, excluded, applied, why))
    return tuple(candidates)


def resolve_profile(
    profiles: Iterable[ProfileFacts],
    user_group_ids: Iterable[str],
    group_names: Mapping[str, str] | None = None,
) -> Resolution:
    """Apply spec §2: exclusion wins over inclusion; the lowest priority number applies."""
    names = group_names or {}
    groups = frozenset(user_group_ids)
    candidates = explain(profiles, groups, names)
    winner = next((c.profile for c in candidates if c.applied), None)
    return Resolution(winner, _reason(winner), lambda: candidates)


def decide(targeting: Iterable[ProfileFacts], user_group_ids: Iterable[str]) -> ProfileFacts | None:
    """The profile that applies, looking only at the profiles that include one of the user's
    groups or All users (`targeting`): the highest priority one that excludes none of them."""
    groups = frozenset(user_group_ids)
    for profile in sorted(targeting, key=lambda p: p.priority):
        if (profile.all_users or profile.include_group_ids & groups) and not (
            profile.exclude_group_ids & groups
        ):
            return profile
    return None


def resolve_targeting(
    targeting: Iterable[ProfileFacts],
    user_group_ids: Iterable[str],
    every_profile: Callable[[], tuple[Candidate, ...]],
    targeting_names: Mapping[str, str] | None = None,
) -> Resolution:
    """`resolve_profile` from the user's side: decide among the profiles that target the user;
    `every_profile` (`explain` of every profile for the user's groups) is called only when the
    candidates are read.
    Given the names of the groups the targeting profiles assign (`targeting_names`), the
    targeting profiles' candidates are explained from them alone."""
    groups = frozenset(user_group_ids)
    targeting = tuple(targeting)
    winner = decide(targeting, groups)

    def targeting_candidates() -> tuple[Candidate, ...]:
        # A profile that targets the user is judged on the user's groups only, and the profiles
        # that don't target the user never apply: the same reasons as `explain` over them all.
        judged = explain(targeting, groups, targeting_names or {})
        return tuple(c for c in judged if c.included)

    return Resolution(
        winner,
        _reason(winner),
        every_profile,
        targeting_candidates if targeting_names is not None else None,
    )
