"""The Company Portal walk-through as a state machine (spec §3), on the shared steps of `steps`.

Sign-in (screen 1) and the prerequisite check (screen 2) produce the first state with `start`;
`advance` takes one user action at a time and returns the next state. What a state is made of
(screens, actions, context) lives in `portal_state`; its names are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.enrollment.ownership import OwnerAnswer
from app.enrollment.portal_state import (
    Action,
    DownloadStage,
    InstallStage,
    SecurityScope,
    Step,
    WalkContext,
    WalkState,
    simulated_type,
)
from app.enrollment.releases import IntuneRelease, personal_work_only_type, route
from app.enrollment.resolve import EnrollmentType
from app.enrollment.steps import (
    ErrorCode,
    FlowError,
    Prerequisites,
    UserStanding,
    check_prerequisites,
    check_user,
    os_supports_user_enrollment,
    unexpected,
)

__all__ = [
    "Action",
    "DownloadStage",
    "InstallStage",
    "Path",
    "SecurityScope",
    "Step",
    "WalkContext",
    "WalkState",
    "advance",
    "possible_paths",
    "simulated_type",
    "start",
]


def start(
    context: WalkContext, prereq: Prerequisites, standing: UserStanding | None = None
) -> WalkState:
    """The state right after a successful sign-in: the tenant's, then the user's checks."""
    state = WalkState(context=context, authenticator_installed=context.authenticator_installed)
    error = check_prerequisites(prereq)
    if error is None and standing is not None:
        error = check_user(standing)
    if error is None:
        error = context.refusal  # nothing to walk: the release refuses the profile's type
    if error is not None:
        return replace(state, step=Step.ERROR, error_code=error)
    return state


def _choose(state: WalkState, enrollment_type: EnrollmentType) -> WalkState:
    state = replace(state, enrollment_type=enrollment_type)
    if enrollment_type is EnrollmentType.USER:
        if not os_supports_user_enrollment(state.context.os_version):
            return replace(state, step=Step.ERROR, error_code=ErrorCode.OS_VERSION)
        if not state.authenticator_installed:
            return replace(state, step=Step.AUTHENTICATOR)
    return replace(state, step=Step.PRIVACY)


def _complete(state: WalkState) -> WalkState:
    """The Managed Apple ID sign-in is where a user without one fails [simulator rule]."""
    if state.enrollment_type is EnrollmentType.USER and not state.context.has_managed_apple_id:
        return replace(state, step=Step.ERROR, error_code=ErrorCode.MANAGED_APPLE_ID)
    return replace(state, step=Step.DONE)


def _after_begin(state: WalkState) -> WalkState:
    if state.context.via_web:
        return replace(state, step=Step.CONTINUE_IN_SAFARI, enrollment_type=EnrollmentType.DEVICE)
    if state.context.asks_owner:
        return replace(state, step=Step.OWNER)
    assert state.context.auto_type is not None
    return _choose(state, state.context.auto_type)


def _on_owner(state: WalkState, value: str | None) -> WalkState:
    if value not in {a.value for a in OwnerAnswer}:
        raise FlowError("Choose who owns this device.", field="owner")
    answer = OwnerAnswer(value)
    state = replace(state, owner_answer=answer)
    if answer is OwnerAnswer.COMPANY:
        return _choose(state, EnrollmentType.DEVICE)
    return replace(state, step=Step.SCOPE)


def _on_scope(state: WalkState, value: str | None) -> WalkState:
    if value not in {s.value for s in SecurityScope}:
        raise FlowError("Choose how your device will be secured.", field="scope")
    scope = SecurityScope(value)
    state = replace(state, security_scope=scope)
    if scope is SecurityScope.ENTIRE_DEVICE:
        return _choose(state, EnrollmentType.DEVICE)
    context = state.context
    requested = personal_work_only_type(IntuneRelease(context.release))
    return _choose(state, route(context.release, requested, context.os_version).enrollment_type)


def _on_authenticator(state: WalkState, action: Action) -> WalkState:
    if action is Action.DOWNLOAD_AUTHENTICATOR:
        return replace(state, authenticator_installed=True)
    if not state.authenticator_installed:
        raise FlowError("Download Microsoft Authenticator from the App Store to continue.")
    return replace(state, step=Step.PRIVACY)


def _on_download(state: WalkState, action: Action) -> WalkState:
    if action is Action.FAST_INSTALL:
        if not state.context.fast_install:
            raise FlowError("Fast profile install is not turned on for this tenant.")
        return _complete(state)
    if state.context.fast_install:
        raise FlowError("Install the management profile with one click on this tenant.")
    if action is Action.ALLOW and state.download is DownloadStage.PROMPT:
        return replace(state, step=Step.INSTALL, install=InstallStage.SETTINGS)
    if action is Action.IGNORE and state.download is DownloadStage.PROMPT:
        return replace(state, download=DownloadStage.IGNORED)
    if action is Action.DOWNLOAD_AGAIN and state.download is DownloadStage.IGNORED:
        return replace(state, download=DownloadStage.PROMPT)
    raise unexpected(action)


_INSTALL_MOVES: dict[tuple[InstallStage, Action, EnrollmentType], InstallStage | Step] = {
    (InstallStage.SETTINGS, Action.OPEN_PROFILE, EnrollmentType.USER): InstallStage.SHEET,
    (InstallStage.SHEET, Action.ENROLL, EnrollmentType.USER): InstallStage.APPLE_ID,
    (InstallStage.SHEET, Action.CANCEL, EnrollmentType.USER): Step.CANCELLED,
    (InstallStage.APPLE_ID, Action.APPLE_ID_SIGN_IN, EnrollmentType.USER): Step.DONE,
    (InstallStage.APPLE_ID, Action.CANCEL, EnrollmentType.USER): Step.CANCELLED,
    (InstallStage.SETTINGS, Action.OPEN_PROFILE, EnrollmentType.DEVICE): InstallStage.INSTALL,
    (InstallStage.INSTALL, Action.INSTALL, EnrollmentType.DEVICE): InstallStage.TRUST,
    (InstallStage.INSTALL, Action.CANCEL, EnrollmentType.DEVICE): Step.CANCELLED,
    (InstallStage.TRUST, Action.TRUST, EnrollmentType.DEVICE): InstallStage.INSTALLED,
    (InstallStage.TRUST, Action.CANCEL, EnrollmentType.DEVICE): Step.CANCELLED,
    (InstallStage.INSTALLED, Action.FINISH_INSTALL, EnrollmentType.DEVICE): Step.DONE,
}


def _on_install(state: WalkState, action: Action) -> WalkState:
    assert state.enrollment_type is not None
    target = _INSTALL_MOVES.get((state.install, action, state.enrollment_type))
    if target is None:
        raise unexpected(action)
    if target is Step.DONE:
        return _complete(state)
    if isinstance(target, Step):
        return replace(state, step=target)
    return replace(state, install=target)


def advance(state: WalkState, action: Action | str, value: str | None = None) -> WalkState:
    """Apply one user action. Raises FlowError for an action this screen does not take."""
    try:
        action = Action(action)
    except ValueError:
        raise unexpected(action) from None
    step = state.step
    if step is Step.SET_UP_ACCESS and action is Action.BEGIN:
        return _after_begin(state)
    if step is Step.SET_UP_ACCESS and action is Action.POSTPONE:
        return replace(state, step=Step.POSTPONED)
    if step is Step.OWNER and action in {Action.ANSWER_OWNER, Action.CONTINUE}:
        return _on_owner(state, value)
    if step is Step.SCOPE and action in {Action.ANSWER_SCOPE, Action.CONTINUE}:
        return _on_scope(state, value)
    if step is Step.AUTHENTICATOR and action in {Action.DOWNLOAD_AUTHENTICATOR, Action.CONTINUE}:
        return _on_authenticator(state, action)
    if step is Step.PRIVACY and action is Action.CONTINUE:
        if state.enrollment_type is EnrollmentType.ACCOUNT_DRIVEN:
            return replace(state, step=Step.CONTINUE_IN_SETTINGS)
        return replace(state, step=Step.DOWNLOAD, download=DownloadStage.PROMPT)
    if step is Step.DOWNLOAD:
        return _on_download(state, action)
    if step is Step.INSTALL:
        return _on_install(state, action)
    raise unexpected(action)


@dataclass(frozen=True)
class Path:
    """One way through the questions and where it leads."""

    owner_answer: OwnerAnswer | None
    security_scope: SecurityScope | None
    enrollment_type: EnrollmentType


def possible_paths(context_asks_owner: bool, auto_type: EnrollmentType | None) -> list[Path]:
    """Every answer a user can give and the enrollment type it leads to (for the trace)."""
    if not context_asks_owner:
        assert auto_type is not None
        return [Path(None, None, auto_type)]
    return [
        Path(OwnerAnswer.COMPANY, None, EnrollmentType.DEVICE),
        Path(OwnerAnswer.PERSONAL, SecurityScope.ENTIRE_DEVICE, EnrollmentType.DEVICE),
        Path(OwnerAnswer.PERSONAL, SecurityScope.WORK_ONLY, EnrollmentType.USER),
    ]
