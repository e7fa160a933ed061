"""What a Company Portal walk is made of (spec §3): its screens, the user's actions, the facts fixed
at sign-in and the immutable state between requests. `company_portal` moves from state to state.

States serialize to plain dicts, so the portal keeps them server-side between requests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from app.enrollment.ownership import OwnerAnswer
from app.enrollment.releases import IntuneRelease, route
from app.enrollment.resolve import EnrollmentType, ProfileFacts
from app.enrollment.steps import AnyErrorCode, CheckCode, error_code_of, optional


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
