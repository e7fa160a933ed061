"""The decision trace: which profile applies to a user, why, and where each answer leads.

One function serves the control API's /resolve, the console's "Check a user", the device page and
the record written at enrollment, so all of them explain a decision the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from app.directory import branding
from app.directory.profiles import resolve_for_user
from app.directory.standing import user_standing
from app.enrollment import steps
from app.enrollment.company_portal import Path, SecurityScope, WalkContext
from app.enrollment.ownership import (
    DEVICE_ENROLLMENT_TYPE,
    OwnerAnswer,
    OwnershipBehavior,
    OwnershipDecision,
    device_ownership,
)
from app.enrollment.paths import release_paths
from app.enrollment.releases import RELEASE_LABEL, IntuneRelease
from app.enrollment.resolve import Candidate, EnrollmentType, Resolution
from app.enrollment.steps import ErrorCode, Prerequisites
from app.enrollment.wording import ERRORS
from app.store import CorporateIdentifier, Tenant, User, db


def corporate_identifiers(tenant_id: str) -> tuple[set[str], set[str]]:
    """Normalized corporate serial numbers and IMEIs of a tenant."""
    serials: set[str] = set()
    imeis: set[str] = set()
    rows = db.session.execute(
        select(CorporateIdentifier.kind, CorporateIdentifier.value_key).where(
            CorporateIdentifier.tenant_id == tenant_id
        )
    )
    for kind, key in rows:
        (serials if kind == "serialNumber" else imeis).add(key)
    return serials, imeis


def ownership_for(
    tenant: Tenant,
    enrollment_type: EnrollmentType,
    owner_answer: OwnerAnswer | None,
    serial_number: str,
    imei: str,
    identifiers: tuple[set[str], set[str]] | None = None,
) -> OwnershipDecision:
    """The ownership rule with the tenant's behaviour and corporate identifiers."""
    serials, imeis = identifiers or corporate_identifiers(tenant.id)
    decision = device_ownership(
        behavior=OwnershipBehavior(tenant.ownership_behavior),
        enrollment_type=enrollment_type,
        owner_answer=owner_answer,
        serial_number=serial_number,
        imei=imei,
        corporate_serials=serials,
        corporate_imeis=imeis,
    )
    if tenant.intune_release == "current" and decision.reason.startswith("ga-2020:"):
        reason = "current (owns as ga-2020):" + decision.reason.removeprefix("ga-2020:")
        decision = OwnershipDecision(decision.owner_type, reason)
    return decision


def asks_owner_and_type(resolution: Resolution) -> tuple[bool, EnrollmentType | None]:
    ctx = WalkContext.for_profile(
        resolution.applied,
        model="iPhone",
        os_version="",
        has_managed_apple_id=True,
        authenticator_installed=True,
        fast_install=False,
    )
    return ctx.asks_owner, ctx.auto_type


def candidate_json(c: Candidate) -> dict[str, Any]:
    """One profile of the trace as the control API, the console and the panel read it."""
    return {  # in the order the control API's schema writes them (`excluded` came later)
        "id": c.profile.id,
        "name": c.profile.name,
        "priority": c.profile.priority,
        "included": c.is_candidate,
        "applied": c.applied,
        "reason": c.reason,
        "excluded": c.excluded,
    }


def decided_json(resolution: Resolution) -> dict[str, Any]:
    """The applied profile and why, without the candidates (which read every profile)."""
    applied = resolution.applied
    return {
        "appliedProfile": None
        if applied is None
        else {"id": applied.id, "name": applied.name, "priority": applied.priority},
        "reason": resolution.reason,
    }


def resolution_json(resolution: Resolution) -> dict[str, Any]:
    return {
        **decided_json(resolution),
        "candidates": [candidate_json(c) for c in resolution.candidates],
    }


def enrollment_type_reason(resolution: Resolution, path: Path) -> str:
    """Why this path gives this enrollment type, in the console's words."""
    label = path.enrollment_type.label
    applied = resolution.applied
    if applied is None:
        return f"No profile applies: {label} with no questions [simulator rule]"
    if path.owner_answer is OwnerAnswer.COMPANY:
        return f'"Company owns this device" → {label}'
    if path.security_scope is SecurityScope.ENTIRE_DEVICE:
        return f'"I own this device" + "Secure entire device" → {label}'
    if path.security_scope is SecurityScope.WORK_ONLY:
        return f'"I own this device" + "Secure work-related apps and data only" → {label}'
    if applied.default_enrollment_type not in {"user", "device"}:
        return (
            f"Default enrollment type {applied.default_enrollment_type} is not simulated: "
            f"{label} [simulator rule]"
        )
    return f"Require user to select device type is Not configured: the default, {label}"


def blocking_error(
    tenant: Tenant,
    user: User,
    enrollment_type: EnrollmentType,
    os_version: str,
    today: date | None = None,
) -> dict[str, str] | None:
    """The error screen a path to this enrollment type would stop at for this tenant, user and
    device (an empty OS version is not checked), or None when it would reach the end."""
    code = steps.check_prerequisites(
        Prerequisites(tenant.mdm_authority, tenant.apns_expires, today or date.today())
    ) or steps.check_user(user_standing(tenant, user))
    if code is None and enrollment_type is EnrollmentType.USER:
        if os_version and not steps.os_supports_user_enrollment(os_version):
            code = ErrorCode.OS_VERSION
        elif not user.managed_apple_id:
            code = ErrorCode.MANAGED_APPLE_ID
    if code is None and enrollment_type is EnrollmentType.ACCOUNT_DRIVEN:
        if not user.managed_apple_id:
            code = ErrorCode.MANAGED_APPLE_ID
    if code is None:
        return None
    return {"code": code.value, "message": ERRORS[code].message}


def build(
    tenant: Tenant,
    user: User,
    serial_number: str = "",
    imei: str = "",
    os_version: str | None = None,
    today: date | None = None,
    resolution: Resolution | None = None,
) -> dict[str, Any]:
    """The whole trace for one user (and optionally one device's identifiers). Given the device's
    OS version (even empty: not known), each outcome also says the error screen it would stop at.
    A caller that has just resolved for this user in the same transaction passes its
    `resolution`, so that sign-in resolves once."""
    if resolution is None:
        resolution = resolve_for_user(user)
    parts = outcome_parts(tenant, user, serial_number, imei, os_version, today, resolution)
    return with_candidates(parts, [candidate_json(c) for c in resolution.candidates])


def with_candidates(parts: dict[str, Any], candidates: list[dict[str, Any]]) -> dict[str, Any]:
    """A trace from its parts without the candidates (`outcome_parts`) and the candidates, with
    the keys in the order the control API has always answered them."""
    head = {k: parts[k] for k in ("user", "appliedProfile", "reason")}
    rest = {k: v for k, v in parts.items() if k not in head}
    return {**head, "candidates": candidates, **rest}


def outcome_parts(
    tenant: Tenant,
    user: User,
    serial_number: str,
    imei: str,
    os_version: str | None,
    today: date | None,
    resolution: Resolution,
) -> dict[str, Any]:
    """Everything in the trace but the candidates: the decision, the questions and where each
    answer leads, and the branding. None of it grows with the tenant's profiles."""
    asks_owner, _ = asks_owner_and_type(resolution)
    identifiers = corporate_identifiers(tenant.id)
    release = IntuneRelease(tenant.intune_release)
    outcomes = []
    for routed in release_paths(release, resolution.applied, os_version or ""):
        path = routed.path
        decision = ownership_for(
            tenant, path.enrollment_type, path.owner_answer, serial_number, imei, identifiers
        )
        outcome = {
            "ownerAnswer": path.owner_answer and path.owner_answer.value,
            "securityScope": path.security_scope and path.security_scope.value,
            "enrollmentType": path.enrollment_type.value,
            "deviceEnrollmentType": DEVICE_ENROLLMENT_TYPE[path.enrollment_type],
            "enrollmentTypeReason": enrollment_type_reason(resolution, path),
            "managedDeviceOwnerType": decision.owner_type.value,
            "ownershipReason": decision.reason,
        }
        if routed.route.refused:
            code = routed.route.error
            outcome["error"] = {"code": code.value, "message": ERRORS[code].message}
        elif os_version is not None:
            outcome["error"] = blocking_error(tenant, user, path.enrollment_type, os_version, today)
        outcome["releaseRule"] = routed.route.rule
        outcomes.append(outcome)
    return {
        "user": user.upn,
        **decided_json(resolution),
        "asksOwner": asks_owner,
        "ownershipBehavior": tenant.ownership_behavior,
        "intuneRelease": release.value,
        "intuneReleaseName": RELEASE_LABEL[release],
        "outcomes": outcomes,
        "brandingProfile": branding.decision_json(*branding.decide(tenant, user)),
    }
