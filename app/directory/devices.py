"""Managed devices: recording the outcome of a completed Company Portal walk-through (spec §4).

`record_enrollment` runs inside the caller's transaction, the one that also writes the walk's
final state, so a walk either ends with exactly one device and its journal entry or with neither.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from app.automation import journal, trace
from app.enrollment import wording
from app.enrollment.company_portal import SecurityScope, WalkState
from app.enrollment.ownership import DEVICE_ENROLLMENT_TYPE, USER_ENROLLMENT_TYPES, OwnerAnswer
from app.enrollment.resolve import EnrollmentType
from app.store import EnrollmentProfile, ManagedDevice, Tenant, User, db


@dataclass(frozen=True)
class SimulatedDevice:
    """The device a walk enrolls, as set in the portal's "Simulated device" panel."""

    model: str  # iPhone | iPad
    os_version: str
    serial_number: str
    imei: str = ""
    authenticator: bool = False

    @property
    def operating_system(self) -> str:
        return "iPadOS" if self.model == "iPad" else "iOS"

    @classmethod
    def from_query(cls, facts: dict[str, Any]) -> SimulatedDevice:
        """From the portal's query-parameter names (model, osVersion, serialNumber, ...)."""
        return cls(
            model=facts["model"],
            os_version=facts["osVersion"],
            serial_number=facts["serialNumber"],
            imei=facts.get("imei", ""),
            authenticator=bool(facts.get("authenticator")),
        )

    def to_query(self) -> dict[str, str]:
        """The portal's query parameters for this device (links that start a new walk)."""
        query = {
            "model": self.model,
            "osVersion": self.os_version,
            "serialNumber": self.serial_number,
            "authenticator": "1" if self.authenticator else "0",
        }
        if self.imei:
            query["imei"] = self.imei
        return query


@dataclass(frozen=True)
class ChosenPath:
    """What a flow other than Company Portal's walk chose (the Settings app, the web site)."""

    enrollment_type: EnrollmentType
    owner_answer: OwnerAnswer | None = None
    security_scope: SecurityScope | None = None


@dataclass(frozen=True)
class AppliedProfile:
    """The profile resolved at sign-in, as the walk remembers it."""

    id: str
    name: str
    priority: int


def new_udid() -> str:
    """A UDID in the shape of current Apple devices: 8 and 16 hex digits."""
    return f"{secrets.token_hex(4)}-{secrets.token_hex(8)}".upper()


def profile_name_now(tenant: Tenant, applied: AppliedProfile | None) -> str:
    """The applied profile's Name at the moment of enrollment: a rename during the walk counts;
    a profile deleted during the walk keeps the name it had at sign-in."""
    if applied is None:
        return ""
    current = db.session.get(EnrollmentProfile, applied.id)
    if current is not None and current.tenant_id == tenant.id:
        return current.name
    return applied.name


def record_enrollment(
    tenant: Tenant,
    *,
    walk_id: str | None,
    user: User,
    state: WalkState | ChosenPath,
    device: SimulatedDevice,
    applied: AppliedProfile | None,
    decision_trace: dict[str, Any],
) -> ManagedDevice:
    """Write the managed device of a completed walk and its `portal.enrolled` journal entry.

    Ownership comes from the corporate identifiers (and, in ga-2020 only, the answer): in
    preview-2019 the owner answer is stored but never consulted.
    """
    enrollment_type = state.enrollment_type
    if enrollment_type is None:
        raise ValueError("A walk that chose no enrollment type cannot be recorded.")
    user_enrollment = enrollment_type in USER_ENROLLMENT_TYPES
    decision = trace.ownership_for(
        tenant, enrollment_type, state.owner_answer, device.serial_number, device.imei
    )
    profile_name = profile_name_now(tenant, applied)
    outcome = {
        "enrollmentType": enrollment_type.value,
        "deviceEnrollmentType": DEVICE_ENROLLMENT_TYPE[enrollment_type],
        "enrollmentProfileName": profile_name,
        "ownerAnswer": state.owner_answer and state.owner_answer.value,
        "securityScope": state.security_scope and state.security_scope.value,
        "managedDeviceOwnerType": decision.owner_type.value,
        "ownershipReason": decision.reason,
    }
    managed_device = ManagedDevice(
        tenant_id=tenant.id,
        walk_id=walk_id,
        user_id=user.id,
        user_principal_name=user.upn,
        device_name=wording.device_name(user.display_name, device.model),
        model=device.model,
        operating_system=device.operating_system,
        os_version=device.os_version,
        # Apple reports no hardware identifiers for User Enrollment.
        serial_number="" if user_enrollment else device.serial_number,
        imei="" if user_enrollment else device.imei,
        udid="" if user_enrollment else new_udid(),
        enrollment_type=outcome["deviceEnrollmentType"],
        enrollment_profile_name=profile_name,
        profile_id=applied.id if applied else None,
        owner_type=outcome["managedDeviceOwnerType"],
        owner_answer=outcome["ownerAnswer"],
        security_scope=outcome["securityScope"],
        trace={**decision_trace, "outcome": outcome},
    )
    db.session.add(managed_device)
    db.session.flush()
    journal.record(
        tenant.id,
        "portal.enrolled",
        user=user.upn,
        deviceId=managed_device.id,
        walkId=walk_id,
        deviceName=managed_device.device_name,
        **{k: v for k, v in outcome.items() if k != "enrollmentType"},
    )
    return managed_device
