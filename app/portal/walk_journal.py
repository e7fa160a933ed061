"""The journal lines of a Company Portal walk: answers given, each screen reached, and how the
walk ended (every change of a walk passes here, in the walk's transaction)."""

from __future__ import annotations

from app.automation import journal
from app.enrollment import wording
from app.enrollment.company_portal import Step, WalkState
from app.store import Tenant


def screen_key(state: WalkState) -> str:
    """Names the screen the user sees, finer than the step: the Safari prompt, each Settings-app
    sheet and the Authenticator download each count, so that double-clicking one of their buttons
    is recognised as stale."""
    if state.step is Step.DOWNLOAD:
        return f"{state.step}.{state.download}"
    if state.step is Step.INSTALL:
        return f"{state.step}.{state.install}"
    if state.step is Step.AUTHENTICATOR:
        return f"{state.step}.{'installed' if state.authenticator_installed else 'store'}"
    return state.step.value


def journal_change(
    tenant: Tenant, upn: str, walk_id: str, before: WalkState | None, after: WalkState
) -> None:
    """Answers given, the screen reached, and how a walk ended."""
    if after.owner_answer and (before is None or before.owner_answer != after.owner_answer):
        journal.record(
            tenant.id, "portal.answer", user=upn, walkId=walk_id,
            question="owner", answer=after.owner_answer.value,
        )  # fmt: skip
    if after.security_scope and (before is None or before.security_scope != after.security_scope):
        journal.record(
            tenant.id, "portal.answer", user=upn, walkId=walk_id,
            question="securityScope", answer=after.security_scope.value,
        )  # fmt: skip
    if before is None or screen_key(before) != screen_key(after):
        journal.record(
            tenant.id, "portal.screen", user=upn, walkId=walk_id, screen=screen_key(after)
        )
    if after.step is Step.ERROR and (before is None or before.step is not Step.ERROR):
        assert after.error_code is not None
        journal.record(
            tenant.id, "portal.failed", user=upn, walkId=walk_id,
            code=after.error_code.value, message=wording.ERRORS[after.error_code].message,
        )  # fmt: skip
    if after.step is Step.POSTPONED:
        journal.record(tenant.id, "portal.postponed", user=upn, walkId=walk_id)
    if after.step is Step.CANCELLED:
        journal.record(
            tenant.id, "portal.cancelled", user=upn, walkId=walk_id, screen=screen_key(before)
        )
