"""What differs between Intune releases (enrollment-today.md §1): the one place that says so.

`preview-2019` is the October 2019 preview (`enrollment.md`), `ga-2020` the general availability
that reflects the user's answer in Device Ownership, `current` Intune 2412 and later (account-driven
user enrollment, web-based device enrollment, no new profile-based User Enrollment). Every flow and
the decision trace ask `route` where a path leads, and name the release and the rule it gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from app.enrollment.ownership import OwnershipBehavior
from app.enrollment.resolve import EnrollmentType
from app.enrollment.steps import CheckCode

MIN_IOS_FOR_NEW_METHODS = 15  # account-driven user and web-based device enrollment


class IntuneRelease(StrEnum):
    PREVIEW_2019 = "preview-2019"
    GA_2020 = "ga-2020"
    CURRENT = "current"


RELEASE_LABEL = {
    IntuneRelease.PREVIEW_2019: "Intune 2019 preview",
    IntuneRelease.GA_2020: "Intune 2020 (general availability)",
    IntuneRelease.CURRENT: "Intune today (2412 and later)",
}

# The Graph appleUserInitiatedEnrollmentType members, in Graph's order.
GRAPH_MEMBERS = (
    "unknown",
    "device",
    "user",
    "accountDrivenUserEnrollment",
    "webDeviceEnrollment",
    "unknownFutureValue",
)

# The console's "Enrollment type" choice per release (ga-2020 and current); preview-2019 keeps
# "Require user to select device type" + "Default enrollment type". `choice` is the user's choice.
CONSOLE_TYPES: dict[IntuneRelease, tuple[tuple[str, str], ...]] = {
    IntuneRelease.PREVIEW_2019: (("user", "User Enrollment"), ("device", "Device Enrollment")),
    IntuneRelease.GA_2020: (
        ("device", "Device enrollment"),
        ("user", "User enrollment"),
        ("choice", "Determine based on user choice"),
    ),
    IntuneRelease.CURRENT: (
        ("device", "Device enrollment with Company Portal"),
        ("webDeviceEnrollment", "Web based device enrollment"),
        ("accountDrivenUserEnrollment", "Account driven user enrollment"),
        ("choice", "Determine based on user choice"),
    ),
}
LEGACY_USER_ENROLLMENT_LABEL = "User enrollment with Company Portal"


class ReleaseConflict(ValueError):
    """A document gives intuneRelease and ownershipBehavior that say different things."""


def ownership_behavior(release: IntuneRelease) -> OwnershipBehavior:
    """ownershipBehavior is the same switch for the first two releases; current owns as ga-2020."""
    if release is IntuneRelease.PREVIEW_2019:
        return OwnershipBehavior.PREVIEW_2019
    return OwnershipBehavior.GA_2020


def release_from(intune_release: str | None, behavior: str | None) -> IntuneRelease:
    """The release a document means by its two keys (either may be left out, not contradict)."""
    if intune_release is None:
        return IntuneRelease(behavior or IntuneRelease.PREVIEW_2019)
    release = IntuneRelease(intune_release)
    if behavior is not None and ownership_behavior(release).value != behavior:
        raise ReleaseConflict(
            f"intuneRelease {release.value} and ownershipBehavior {behavior} disagree "
            f"(intuneRelease {release.value} means ownershipBehavior "
            f"{ownership_behavior(release).value}); give one of them, or both agreeing"
        )
    return release


def console_types(release: IntuneRelease, current_type: str | None = None) -> list[tuple[str, str]]:
    """The Enrollment type choices of the profile wizard; in `current` the legacy "User
    enrollment with Company Portal" only on a profile that already has it."""
    choices = list(CONSOLE_TYPES[release])
    if release is IntuneRelease.CURRENT and current_type == "user":
        choices.insert(1, ("user", LEGACY_USER_ENROLLMENT_LABEL))
    return choices


def personal_work_only_type(release: IntuneRelease) -> str:
    """The Graph member "I own" + "Secure work-related apps and data only" asks for; also the
    `personal` pair of "Determine based on user choice" in availableEnrollmentTypeOptions."""
    if release is IntuneRelease.CURRENT:
        return "accountDrivenUserEnrollment"
    return "user"


def choice_options(release: IntuneRelease) -> list[tuple[str, str]]:
    """availableEnrollmentTypeOptions of "Determine based on user choice" (ownerType, type)."""
    pairs = [("company", "device"), ("personal", "device")]
    if release is IntuneRelease.CURRENT:
        return [*pairs, ("personal", "accountDrivenUserEnrollment")]
    return [("company", "device"), ("personal", "user")]


_MAJOR = re.compile(r"(\d+)")


def runs_ios_15(os_version: str) -> bool:
    """iOS/iPadOS 15 or later; an unknown (empty) version is taken as recent [simulator rule]."""
    if not os_version:
        return True
    match = _MAJOR.search(os_version)
    return match is not None and int(match.group(1)) >= MIN_IOS_FOR_NEW_METHODS


@dataclass(frozen=True)
class Route:
    """Where a requested enrollment type leads in a release: a type to walk, or a refusal."""

    release: IntuneRelease
    requested: str  # the Graph member the profile or the answers ask for
    enrollment_type: EnrollmentType
    rule: str  # the rule applied, in words, naming the release
    error: CheckCode | None = None  # set when the release refuses the path
    via_web: bool = False  # Device Enrollment reached through Safari, not Company Portal

    @property
    def refused(self) -> bool:
        return self.error is not None


_NOT_SIMULATED = (
    "{release}: {member} is not walked through here, so Device Enrollment [simulator rule]"
)


def route(release: IntuneRelease | str, requested: str, os_version: str = "") -> Route:
    """Where a path asking for `requested` (a Graph member) leads in this release, on this OS."""
    release = IntuneRelease(release)
    name = f"{release.value} ({RELEASE_LABEL[release]})"
    if requested == "device":
        return Route(release, requested, EnrollmentType.DEVICE, f"{name}: Device Enrollment")
    if requested == "user":
        if release is IntuneRelease.CURRENT:
            return Route(
                release,
                requested,
                EnrollmentType.USER,
                f"{name}: profile-based User Enrollment with Company Portal is refused for a "
                "new enrollment since September 2024 [simulator rule]",
                CheckCode.USER_ENROLLMENT_UNSUPPORTED,
            )
        return Route(release, requested, EnrollmentType.USER, f"{name}: User Enrollment")
    new_method = {
        "accountDrivenUserEnrollment": ("account-driven user enrollment", EnrollmentType.USER),
        "webDeviceEnrollment": ("web-based device enrollment", EnrollmentType.DEVICE),
    }.get(requested)
    if new_method is None or release is not IntuneRelease.CURRENT:
        rule = _NOT_SIMULATED.format(member=requested, release=name)
        return Route(release, requested, EnrollmentType.DEVICE, rule)
    label, fallback = new_method
    if runs_ios_15(os_version):
        if requested == "webDeviceEnrollment":
            rule = f"{name}: {label} in Safari (Device Enrollment without Company Portal)"
            return Route(release, requested, EnrollmentType.DEVICE, rule, via_web=True)
        return Route(release, requested, EnrollmentType.ACCOUNT_DRIVEN, f"{name}: {label}")
    return Route(
        release,
        requested,
        fallback,
        f"{name}: {label} needs iOS/iPadOS 15 or later; on {os_version} Intune falls "
        f"back to {fallback.label} with Company Portal",
    )


# Intune today's "Determine based on user choice" offers the personal owner two types.
_PERSONAL_CHOICE = frozenset({"device", "accountDrivenUserEnrollment"})


def repeated_owner(options: list[tuple[str, str]]) -> int | None:
    """The index of the first (ownerType, enrollmentType) option whose ownerType is already
    listed, or None. Only `personal` → device and → accountDrivenUserEnrollment may stand
    together (enrollment-today.md §1); any other repetition is an error."""
    seen: dict[str, set[str]] = {}
    for index, (owner, kind) in enumerate(options):
        earlier = seen.setdefault(owner, set())
        if earlier and not (owner == "personal" and earlier | {kind} == _PERSONAL_CHOICE):
            return index
        if kind in earlier:
            return index
        earlier.add(kind)
    return None
