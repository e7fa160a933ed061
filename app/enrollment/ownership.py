"""Device ownership (spec §5): the user's answer picks the enrollment type, not the owner."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from app.enrollment.resolve import EnrollmentType

# Enrollment types that report no serial number, IMEI or UDID (Apple keeps them from the MDM).
USER_ENROLLMENT_TYPES = frozenset({EnrollmentType.USER, EnrollmentType.ACCOUNT_DRIVEN})


class OwnershipBehavior(StrEnum):
    PREVIEW_2019 = "preview-2019"  # the answer is never reflected in Device Ownership
    GA_2020 = "ga-2020"  # the answer is reflected; no answer falls back to identifiers


class OwnerAnswer(StrEnum):
    COMPANY = "company"
    PERSONAL = "personal"


class OwnerType(StrEnum):
    PERSONAL = "personal"
    COMPANY = "company"


@dataclass(frozen=True)
class OwnershipDecision:
    owner_type: OwnerType
    reason: str


def reported_identifiers(
    enrollment_type: EnrollmentType, serial_number: str, imei: str
) -> tuple[str, str]:
    """What the device reports at enrollment: User Enrollment reports no serial number or IMEI."""
    if enrollment_type in USER_ENROLLMENT_TYPES:
        return "", ""
    return serial_number, imei


def normalize_identifier(value: str) -> str:
    return "".join(value.split()).upper()


def device_ownership(
    *,
    behavior: OwnershipBehavior,
    enrollment_type: EnrollmentType,
    owner_answer: OwnerAnswer | None,
    serial_number: str,
    imei: str,
    corporate_serials: Collection[str],
    corporate_imeis: Collection[str],
) -> OwnershipDecision:
    """Decide managedDeviceOwnerType. Identifier collections hold normalized (upper-case) values."""
    if behavior is OwnershipBehavior.GA_2020 and owner_answer is not None:
        owner = OwnerType.COMPANY if owner_answer is OwnerAnswer.COMPANY else OwnerType.PERSONAL
        return OwnershipDecision(
            owner, f"ga-2020: the user's answer ({owner_answer.value}) sets Device Ownership"
        )
    serial, device_imei = reported_identifiers(enrollment_type, serial_number, imei)
    serial, device_imei = normalize_identifier(serial), normalize_identifier(device_imei)
    if serial and serial in corporate_serials:
        return OwnershipDecision(
            OwnerType.COMPANY, f"serial number {serial} is a corporate device identifier"
        )
    if device_imei and device_imei in corporate_imeis:
        return OwnershipDecision(
            OwnerType.COMPANY, f"IMEI {device_imei} is a corporate device identifier"
        )
    if enrollment_type is EnrollmentType.ACCOUNT_DRIVEN:
        why = (
            "account-driven user enrollment reports no serial number or IMEI, so no corporate "
            "identifier matches"
        )
    elif enrollment_type is EnrollmentType.USER:
        why = "User Enrollment reports no serial number or IMEI, so no corporate identifier matches"
    else:
        why = "no corporate device identifier matches the device's serial number or IMEI"
    if owner_answer is not None:
        why += "; the user's answer is not reflected in Device Ownership"
    return OwnershipDecision(OwnerType.PERSONAL, f"personal by default: {why}")


# The managedDevice `deviceEnrollmentType` each enrollment type is recorded with.
GRAPH_ENROLLMENT_TYPE = {
    EnrollmentType.USER: "appleUserEnrollment",
    EnrollmentType.DEVICE: "userEnrollment",
}
# ...and with the later releases' account-driven user enrollment (web-based device enrollment
# records as Device Enrollment, userEnrollment: Graph has no web member [simulator rule]).
DEVICE_ENROLLMENT_TYPE = {
    **GRAPH_ENROLLMENT_TYPE,
    EnrollmentType.ACCOUNT_DRIVEN: "appleAccountDrivenUserEnrollment",
}
