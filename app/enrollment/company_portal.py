"""The Company Portal walk-through as a state machine (spec §3), on the shared steps of `steps`.

Sign-in (screen 1) and the prerequisite check (screen 2) produce the first state with `start`;
`advance` takes one user action at a time and returns the next state. States are immutable and
serialize to plain dicts, so the portal keeps them server-side between requests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from app.enrollment.ownership import OwnerAnswer
from app.enrollment.releases import IntuneRelease, personal_work_only_type, route
from app.enrollment.resolve import EnrollmentType, ProfileFacts
from app.enrollment.steps import (
    AnyErrorCode,
    CheckCode,
    ErrorCode,
    FlowError,
    Prerequisites,
    UserStanding,
    check_prerequisites,
    check_user,
    error_code_of,
    optional,
    os_supports_user_enrollment,
    unexpected,
)


class Step(StrEnum):
    SET_UP_ACCESS = "setUpAccess"  # 3 Set up <Company> access
    OWNER = "owner"  # 4 Who owns this device?
    SCOPE = "scope"  # 5 How do you want <Company> to secure your device?
    AUTHENTICATOR = "authenticator"  # 6 Download Microsoft Authenticator
    PRIVACY = "privacy"  # 7 Device management and privacy
    DOWNLOAD = "download"  # 8 Download management profile
    INSTALL = "install"  # 9 How to install Management Profile
    DONE = "done"  # 10 You're all set!
    ERROR = "error"  # an error screen with a code
    POSTPONED = "postponed"  # the user left at screen 3
    CANCELLED = "cancelled"  # the user deleted the profile at screen 9
    CONTINUE_IN_SETTINGS = "continueInSettings"  # current: hand-over to the Settings app
    CONTINUE_IN_SAFARI = "continueInSafari"  # current: hand-over to web-based enrollment

    @property
    def is_final(self) -> bool:
        return self in _FINAL


_FINAL = frozenset(
    {
        Step.DONE,
        Step.ERROR,
        Step.POSTPONED,
        Step.CANCELLED,
        Step.CONTINUE_IN_SETTINGS,
        Step.CONTINUE_IN_SAFARI,
    }
)


class SecurityScope(StrEnum):
    ENTIRE_DEVICE = "entireDevice"
    WORK_ONLY = "workOnly"


class Action(StrEnum):
    BEGIN = "begin"
    POSTPONE = "postpone"
    ANSWER_OWNER = "answerOwner"  # value: company | personal
    ANSWER_SCOPE = "answerScope"  # value: entireDevice | workOnly
    DOWNLOAD_AUTHENTICATOR = "downloadAuthenticator"
    CONTINUE = "continue"
    ALLOW = "allow"
    IGNORE = "ignore"
    DOWNLOAD_AGAIN = "downloadAgain"
    OPEN_PROFILE = "openProfile"  # Settings: Enroll in <Company>
    ENROLL = "enroll"  # User Enrollment sheet: Enroll My iPhone
    APPLE_ID_SIGN_IN = "appleIdSignIn"  # Managed Apple ID sign-in
    INSTALL = "install"
    TRUST = "trust"
    FINISH_INSTALL = "finishInstall"  # Settings: Done
    CANCEL = "cancel"  # Cancel and Delete Profile / Cancel
    FAST_INSTALL = "fastInstall"  # fast profile install: screens 8-9 in one click


class DownloadStage(StrEnum):
    PROMPT = "prompt"  # Safari: Ignore / Allow
    IGNORED = "ignored"  # Download again


class InstallStage(StrEnum):
    SETTINGS = "settings"  # Settings app: Enroll in <Company>
    SHEET = "sheet"  # User Enrollment sheet: Enroll My iPhone / Cancel and Delete Profile
    APPLE_ID = "appleId"  # Managed Apple ID sign-in
    INSTALL = "install"  # Device Enrollment: Install
    TRUST = "trust"  # Device Enrollment: Remote Management, Trust
    INSTALLED = "installed"  # Device Enrollment: Profile Installed, Done


@dataclass(frozen=True)
class WalkContext:
    """Facts fixed at sign-in: the simulated device, the user and the applied profile."""

    model: str  # iPhone | iPad
    os_version: str
    has_managed_apple_id: bool
    authenticator_installed: bool
    fast_install: bool
    asks_owner: bool
    auto_type: EnrollmentType | None  # the profile's default when it does not ask
    release: str = IntuneRelease.PREVIEW_2019.value  # states stored before releases load as 2019
    refusal: CheckCode | None = None  # the release refuses the profile's type (current: `user`)
    via_web: bool = False  # current: the profile enrolls on the web site (Continue in Safari)

    @classmethod
    def for_profile(
        cls, applied: ProfileFacts | None, release: str = "preview-2019", **device: Any
    ) -> WalkContext:
        """Screens 4-5 only when the profile requires a choice; no profile → Device Enrollment;
        else the profile's default type as the release routes it on this OS."""
        if applied is None:
            return cls(asks_owner=False, auto_type=EnrollmentType.DEVICE, release=release, **device)
        if applied.require_user_choice:
            return cls(asks_owner=True, auto_type=None, release=release, **device)
        routed = route(release, applied.default_enrollment_type, device.get("os_version", ""))
        return cls(
            asks_owner=False,
            auto_type=routed.enrollment_type,
            release=release,
            refusal=routed.error,
            via_web=routed.via_web,
            **device,
        )


def simulated_type(default_enrollment_type: str) -> EnrollmentType:
    """Graph's `user` is User Enrollment; `device` and members the simulator does not walk
    through (shown as "not simulated") fall back to Device Enrollment [simulator rule]."""
    return EnrollmentType.USER if default_enrollment_type == "user" else EnrollmentType.DEVICE


@dataclass(frozen=True)
class WalkState:
    context: WalkContext
    step: Step = Step.SET_UP_ACCESS
    owner_answer: OwnerAnswer | None = None
    security_scope: SecurityScope | None = None
    enrollment_type: EnrollmentType | None = None
    authenticator_installed: bool = False
    download: DownloadStage = DownloadStage.PROMPT
    install: InstallStage = InstallStage.SETTINGS
    error_code: AnyErrorCode | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WalkState:
        """The inverse of to_dict (also after a JSON round trip); missing optional fields
        take their defaults, so states stored by an older version still load."""
        ctx = dict(data["context"])
        ctx["auto_type"] = optional(EnrollmentType, ctx.get("auto_type"))
        ctx["refusal"] = optional(CheckCode, ctx.get("refusal"))
        return cls(
            context=WalkContext(**ctx),
            step=Step(data.get("step", Step.SET_UP_ACCESS)),
            owner_answer=optional(OwnerAnswer, data.get("owner_answer")),
            security_scope=optional(SecurityScope, data.get("security_scope")),
            enrollment_type=optional(EnrollmentType, data.get("enrollment_type")),
            authenticator_installed=bool(data.get("authenticator_installed", False)),
            download=DownloadStage(data.get("download", DownloadStage.PROMPT)),
            install=InstallStage(data.get("install", InstallStage.SETTINGS)),
            error_code=error_code_of(data.get("error_code")),
        )


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
