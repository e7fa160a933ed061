"""Web-based device enrollment in Safari (enrollment-today.md §4) as a state machine: pure,
with the moment of each press given by the caller so the install window can be tested."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from app.enrollment.releases import route
from app.enrollment.resolve import ProfileFacts

SUPPORTED_BROWSERS = ("safari", "chrome", "edge", "firefox")
DEFAULT_INSTALL_WINDOW = 480  # seconds a downloaded profile waits to be installed
NOT_APPLICABLE = "WebEnrollmentNotApplicable"


class Screen(StrEnum):
    SIGN_IN = "signIn"
    DOWNLOAD = "download"  # Safari: This website is trying to download a configuration profile
    IGNORED = "ignored"  # Download again
    PROFILE_DOWNLOADED = "profileDownloaded"  # Settings: Profile Downloaded, Install
    WARNING = "warning"  # the remote-management warning, Install
    TRUST = "trust"  # Remote Management: Trust
    INSTALLED = "installed"  # Profile Installed: Done
    EXPIRED = "expired"  # Profile expired, Download again
    AUTHENTICATOR = "authenticator"  # Waiting for Microsoft Authenticator
    DONE = "done"  # You're all set!
    ERROR = "error"


@dataclass(frozen=True)
class WebWalk:
    model: str
    os_version: str
    serial_number: str
    imei: str
    authenticator: bool
    browser: str = "safari"
    screen: str = Screen.SIGN_IN.value
    upn: str = ""
    downloaded_at: float = 0.0
    error_code: str = ""
    error_message: str = ""
    device_id: str = ""
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Refused(ValueError):
    """A press the screen does not take; the message shows on the screen."""


def press(walk: WebWalk, action: str, now: float, install_window: int) -> WebWalk:
    """One press on the screens after sign-in (recording happens at INSTALLED → Done)."""
    screen = walk.screen
    if screen == Screen.DOWNLOAD and action == "allow":
        return replace(walk, screen=Screen.PROFILE_DOWNLOADED.value, downloaded_at=now)
    if screen == Screen.DOWNLOAD and action == "ignore":
        return replace(walk, screen=Screen.IGNORED.value)
    if screen in (Screen.IGNORED, Screen.EXPIRED) and action == "downloadAgain":
        return replace(walk, screen=Screen.DOWNLOAD.value)
    if screen == Screen.PROFILE_DOWNLOADED and action == "install":
        if now - walk.downloaded_at > install_window:
            return replace(walk, screen=Screen.EXPIRED.value)
        return replace(walk, screen=Screen.WARNING.value)
    if screen == Screen.WARNING and action == "install":
        return replace(walk, screen=Screen.TRUST.value)
    if screen == Screen.TRUST and action == "trust":
        return replace(walk, screen=Screen.INSTALLED.value)
    if screen == Screen.AUTHENTICATOR and action == "installAuthenticator":
        return replace(walk, authenticator=True)
    if screen == Screen.AUTHENTICATOR and action == "recheck":
        if not walk.authenticator:
            raise Refused("Microsoft Authenticator isn't installed yet. Install it, then recheck.")
        return replace(walk, screen=Screen.DONE.value)
    raise Refused(f"That button is not on this screen any more ({action}).")


def after_install(walk: WebWalk, device_id: str) -> WebWalk:
    """Done on Profile Installed: enrolled; wait for Authenticator unless it is installed."""
    next_screen = Screen.DONE if walk.authenticator else Screen.AUTHENTICATOR
    return replace(walk, screen=next_screen.value, device_id=device_id)


def eligibility(release: str, applied: ProfileFacts | None, os_version: str) -> tuple[bool, str]:
    """The user's applied profile must be web-based device enrollment, routed through Safari
    (`current`, iOS/iPadOS 15+) [simulator rule]; the reason names the release's rule."""
    if applied is None:
        return False, "no enrollment type profile applies, so Intune enrolls with Company Portal"
    routed = route(release, applied.default_enrollment_type, os_version)
    if applied.require_user_choice or not routed.via_web:
        return False, f"{applied.name} is not web-based device enrollment here: {routed.rule}"
    return True, f"{applied.name}: {routed.rule}"
