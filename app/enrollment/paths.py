"""Every way through Company Portal's questions in a release, and where each leads: what the
decision trace lists and the walk follows (enrollment-today.md §1-§2, enrollment.md §3)."""

from __future__ import annotations

from dataclasses import dataclass

from app.enrollment.company_portal import Path, SecurityScope
from app.enrollment.ownership import OwnerAnswer
from app.enrollment.releases import IntuneRelease, Route, personal_work_only_type, route
from app.enrollment.resolve import ProfileFacts


@dataclass(frozen=True)
class ReleasePath:
    """The answers of one path and the release's route for it."""

    owner_answer: OwnerAnswer | None
    security_scope: SecurityScope | None
    route: Route

    @property
    def path(self) -> Path:
        return Path(self.owner_answer, self.security_scope, self.route.enrollment_type)


def requested_type(
    release: IntuneRelease, owner_answer: OwnerAnswer | None, scope: SecurityScope | None
) -> str:
    """The Graph member the answers ask for: company or entire device → device; work-only →
    User Enrollment before `current`, account-driven user enrollment in it."""
    if owner_answer is OwnerAnswer.PERSONAL and scope is SecurityScope.WORK_ONLY:
        return personal_work_only_type(release)
    return "device"


def release_paths(
    release: IntuneRelease | str, applied: ProfileFacts | None, os_version: str = ""
) -> list[ReleasePath]:
    """No profile → Device Enrollment; a profile that asks → the three answer paths; else its
    default enrollment type, as the release routes it."""
    release = IntuneRelease(release)
    if applied is None:
        return [ReleasePath(None, None, route(release, "device", os_version))]
    if not applied.require_user_choice:
        requested = applied.default_enrollment_type
        return [ReleasePath(None, None, route(release, requested, os_version))]
    answers = [
        (OwnerAnswer.COMPANY, None),
        (OwnerAnswer.PERSONAL, SecurityScope.ENTIRE_DEVICE),
        (OwnerAnswer.PERSONAL, SecurityScope.WORK_ONLY),
    ]
    return [
        ReleasePath(owner, scope, route(release, requested_type(release, owner, scope), os_version))
        for owner, scope in answers
    ]
