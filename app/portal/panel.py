"""What the "Simulated device" panel says about a walk, in the product's words.

The panel must never contradict the phone: the answers given so far, the path they lead to, where
and why a walk stopped, and "step N of M" are all read from the walk's own state here, so the
template only lays them out. Graph's values are kept beside the words as a secondary detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.automation import decision
from app.enrollment import wording
from app.enrollment.company_portal import Step, WalkState
from app.enrollment.steps import CheckCode, ErrorCode

OWNERSHIP = {"personal": "Personal", "company": "Corporate"}
SCOPE = {"entireDevice": "Entire device", "workOnly": "Work apps and data only"}

# Where on the phone each error code stops the walk.
STOPPED_AT = {
    ErrorCode.MDM_AUTHORITY: "the check after sign-in (the tenant has no MDM authority)",
    ErrorCode.APNS: "the check after sign-in (the tenant's Apple push certificate)",
    ErrorCode.OS_VERSION: "User Enrollment's OS version check (iOS/iPadOS 13.1 or later)",
    ErrorCode.MANAGED_APPLE_ID: "the Managed Apple ID sign-in in Settings",
    CheckCode.USER_ENROLLMENT_UNSUPPORTED: (
        "the enrollment type check (Company Portal no longer enrolls with profile-based User"
        " Enrollment)"
    ),
    CheckCode.DEVICE_CAP: "the device limit check (the user has reached the tenant's limit)",
    CheckCode.UNLICENSED: "the licence check (the user has no Intune licence)",
}


def deciding(kept: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The profiles that decided the walk (those that target the user, highest priority first)
    and how many others the tenant had: what the panel lists instead of every profile."""
    return decision.deciding(kept)


def others_line(others: int, deciding_shown: bool) -> str:
    """The profiles left out of the panel, in one line ("3 other profiles don't target this
    user"); empty when there are none."""
    if others == 0:
        return ""
    other = "other " if deciding_shown else ""
    if others == 1:
        return f"1 {other}profile doesn't target this user"
    return f"{others:,} {other}profiles don't target this user"


def answer_words(company: str, owner: str | None, scope: str | None) -> str:
    """An answer path as the phone put it ("I own this device + Secure entire device")."""
    if owner is None:
        return "No questions"
    if owner == "company":
        return wording.company_owns(company)
    if scope is None:
        return wording.I_OWN
    scope_label = wording.SECURE_ENTIRE if scope == "entireDevice" else wording.SECURE_WORK_ONLY
    return f"{wording.I_OWN} + {scope_label}"


def _screens(state: WalkState) -> list[str]:
    """The screens of this walk, from sign-in to "You're all set!"; answers not given yet are
    counted as the shortest way on (a later answer may add a screen)."""
    ctx = state.context
    screens = ["signIn", Step.SET_UP_ACCESS.value]
    if ctx.asks_owner:
        screens.append(Step.OWNER.value)
        if state.owner_answer is not None and state.owner_answer.value == "personal":
            screens.append(Step.SCOPE.value)
    enrollment_type = state.enrollment_type or ctx.auto_type
    user_enrollment = enrollment_type is not None and enrollment_type.value == "user"
    if user_enrollment and not ctx.authenticator_installed:
        screens.append(Step.AUTHENTICATOR.value)
    screens += [Step.PRIVACY.value, Step.DOWNLOAD.value]
    if not ctx.fast_install:
        screens.append(Step.INSTALL.value)
    screens.append(Step.DONE.value)
    return screens


def _stop_screen(state: WalkState) -> str:
    """The screen the walk was on when it stopped (an error or the user leaving)."""
    if state.step is Step.POSTPONED:
        return Step.SET_UP_ACCESS.value
    if state.step is Step.CANCELLED:
        return Step.INSTALL.value
    code = state.error_code
    if code in {ErrorCode.MDM_AUTHORITY, ErrorCode.APNS}:
        return Step.SET_UP_ACCESS.value
    if code in {ErrorCode.OS_VERSION, CheckCode.USER_ENROLLMENT_UNSUPPORTED}:
        return Step.SCOPE.value if state.security_scope else Step.SET_UP_ACCESS.value
    if code in {CheckCode.DEVICE_CAP, CheckCode.UNLICENSED}:  # at sign-in, or before recording
        answered = state.owner_answer is not None or state.enrollment_type is not None
        return Step.INSTALL.value if answered else Step.SET_UP_ACCESS.value
    return Step.INSTALL.value


@dataclass(frozen=True)
class Progress:
    number: int
    total: int
    stopped: bool


def progress(state: WalkState) -> Progress:
    """Step N of M of this walk (sign-in is step 1)."""
    screens = _screens(state)
    stopped = state.step in {Step.ERROR, Step.POSTPONED, Step.CANCELLED}
    current = _stop_screen(state) if stopped else state.step.value
    if current not in screens:  # an answer path shorter than assumed: count it in
        screens.insert(len(screens) - 1, current)
    return Progress(screens.index(current) + 1, len(screens), stopped)


def stop(state: WalkState) -> dict[str, str] | None:
    """Where and why the walk stopped, with the code the phone shows; None while it goes on."""
    if state.step is not Step.ERROR or state.error_code is None:
        return None
    return {
        "code": state.error_code.value,
        "heading": wording.ERRORS[state.error_code].heading,
        "where": STOPPED_AT.get(state.error_code, "the check before enrollment"),
    }


def is_walk_path(state: WalkState, outcome: dict[str, Any]) -> bool:
    """Whether a row of "Where each answer leads" is the path this walk is on (or took)."""
    if state.step in {Step.SET_UP_ACCESS, Step.POSTPONED}:
        return False
    if outcome["ownerAnswer"] is None:
        return state.owner_answer is None and state.step is not Step.OWNER
    answer = state.owner_answer.value if state.owner_answer else None
    if answer != outcome["ownerAnswer"]:
        return False
    scope = state.security_scope.value if state.security_scope else None
    return outcome["securityScope"] is None or scope == outcome["securityScope"]
