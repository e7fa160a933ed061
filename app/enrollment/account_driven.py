"""Account-driven user enrollment (enrollment-today.md §3): whether a user's applied profile
leads there, and with which answers. Pure: the Settings app and Apple's HTTP exchange ask it."""

from __future__ import annotations

from dataclasses import dataclass

from app.enrollment.company_portal import SecurityScope
from app.enrollment.ownership import OwnerAnswer
from app.enrollment.releases import RELEASE_LABEL, IntuneRelease, route, runs_ios_15
from app.enrollment.resolve import EnrollmentType, ProfileFacts


@dataclass(frozen=True)
class Eligibility:
    """`allowed` with the answers the path implies (user choice: "I own" + work-only), or why
    not [simulator rule: the device shows Sign-in Failed]."""

    allowed: bool
    reason: str
    owner_answer: OwnerAnswer | None = None
    security_scope: SecurityScope | None = None


def eligibility(
    release: IntuneRelease | str, applied: ProfileFacts | None, os_version: str
) -> Eligibility:
    """The applied profile must lead to account-driven enrollment: its type, or user choice with
    the work-only answer, in `current`, on iOS/iPadOS 15 or later."""
    release = IntuneRelease(release)
    name = f"{release.value} ({RELEASE_LABEL[release]})"
    if release is not IntuneRelease.CURRENT:
        return Eligibility(False, f"{name} has no account-driven user enrollment")
    if not runs_ios_15(os_version):
        return Eligibility(
            False, f"account-driven user enrollment needs iOS/iPadOS 15 or later, not {os_version}"
        )
    if applied is None:
        return Eligibility(
            False, "no enrollment type profile applies, so Intune enrolls with Company Portal"
        )
    if applied.require_user_choice:
        return Eligibility(
            True,
            f'{name}: {applied.name} lets the user choose; "I own this device" + "Secure '
            'work-related apps and data only" is account-driven user enrollment',
            OwnerAnswer.PERSONAL,
            SecurityScope.WORK_ONLY,
        )
    routed = route(release, applied.default_enrollment_type, os_version)
    if routed.enrollment_type is EnrollmentType.ACCOUNT_DRIVEN:
        return Eligibility(True, f"{name}: {applied.name} is account-driven user enrollment")
    return Eligibility(
        False,
        f"{applied.name} enrolls with {applied.default_enrollment_type}, not account-driven "
        "user enrollment",
    )
