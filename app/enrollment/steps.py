"""What every enrollment flow shares: screens refuse actions they don't take, error codes, the
tenant's prerequisites and the OS version rule. Each flow is a module beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

MIN_USER_ENROLLMENT_OS = (13, 1)


class ErrorCode(StrEnum):
    MDM_AUTHORITY = "MdmAuthorityNotDefined"
    APNS = "APNSCertificateNotValid"
    OS_VERSION = "UserEnrollmentUnsupportedOsVersion"
    MANAGED_APPLE_ID = "ManagedAppleIdMissing"


class CheckCode(StrEnum):
    """The codes of the later releases (enrollment-today.md §2, §5), beside the 2019 ones."""

    USER_ENROLLMENT_UNSUPPORTED = "UserEnrollmentWithCompanyPortalUnsupported"  # current
    DEVICE_CAP = "DeviceCapReached"  # every release: the user's device limit
    UNLICENSED = "UserLicenseTypeInvalid"  # every release: no Intune license


AnyErrorCode = ErrorCode | CheckCode


def error_code_of(value: Any) -> AnyErrorCode | None:
    """A stored error code back as its enum (None for none)."""
    if value is None or value == "":
        return None
    try:
        return ErrorCode(value)
    except ValueError:
        return CheckCode(value)


class FlowError(ValueError):
    """An action the current screen does not accept; `message` is shown to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Prerequisites:
    """The tenant's side of screen 2."""

    mdm_authority: str  # intune | unknown
    apns_expires: date | None
    today: date


def unexpected(action: Any) -> FlowError:
    """The error for a button the current screen does not have (a stale tab, a replayed POST)."""
    return FlowError(f"That button is not on this screen any more ({action}).")


def optional(kind: type[StrEnum], value: Any) -> Any:
    return None if value is None or value == "" else kind(value)


_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")


def os_supports_user_enrollment(os_version: str) -> bool:
    """iOS/iPadOS 13.1 or later. "13" is 13.0; "13.1.2", "iOS 16.4" and "17" are read as
    written; a version with no number in it is refused rather than guessed."""
    match = _VERSION.search(os_version or "")
    if match is None:
        return False
    major, minor = int(match.group(1)), int(match.group(2) or 0)
    return (major, minor) >= MIN_USER_ENROLLMENT_OS


MAX_DEVICE_LIMIT = 15  # the most devices per user Intune allows, and its default


@dataclass(frozen=True)
class UserStanding:
    """The user's side of the checks every release makes (enrollment-today.md §5)."""

    licensed: bool
    device_count: int  # the user's devices already recorded in the tenant
    device_limit: int = MAX_DEVICE_LIMIT


def check_user(standing: UserStanding) -> CheckCode | None:
    """No Intune license → UserLicenseTypeInvalid; the limit reached → DeviceCapReached."""
    if not standing.licensed:
        return CheckCode.UNLICENSED
    if standing.device_count >= standing.device_limit:
        return CheckCode.DEVICE_CAP
    return None


def check_prerequisites(prereq: Prerequisites) -> ErrorCode | None:
    """Screen 2: the tenant must have an MDM authority and a valid APNs certificate."""
    if prereq.mdm_authority != "intune":
        return ErrorCode.MDM_AUTHORITY
    if prereq.apns_expires is None or prereq.apns_expires < prereq.today:
        return ErrorCode.APNS
    return None
