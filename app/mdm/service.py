"""Account-driven user enrollment as one small service (the shape of nanomdm's): discovery,
web sign-in, the enrollment profile, check-in Authenticate and TokenUpdate. The HTTP views and
the simulated Settings app both call these functions; each runs in one transaction and refuses
bad input with an MdmError (4xx) before anything is written.
"""

from __future__ import annotations

import plistlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.automation import journal, trace
from app.directory.devices import AppliedProfile, ChosenPath, SimulatedDevice, record_enrollment
from app.directory.profiles import resolve_for_user
from app.directory.standing import user_standing
from app.enrollment.account_driven import eligibility
from app.enrollment.company_portal import SecurityScope
from app.enrollment.ownership import OwnerAnswer
from app.enrollment.resolve import EnrollmentType
from app.enrollment.steps import ErrorCode, check_user
from app.enrollment.wording import ERRORS
from app.mdm import tokens, urls
from app.mdm.plists import MdmError, read_plist, text_key
from app.store import MdmEnrollment, Tenant, User, db, transaction

PLIST_TYPES = frozenset({"application/xml", "text/xml", "application/x-plist"})
DEVICE_INFO_TYPES = PLIST_TYPES | {"application/x-apple-aspen-deviceinfo"}
CHECKIN_TYPES = PLIST_TYPES | {"application/x-apple-aspen-mdm-checkin"}
NOT_APPLICABLE = "AccountDrivenEnrollmentNotApplicable"


@dataclass(frozen=True)
class DeviceInfo:
    """What the device reports when it asks for the enrollment profile."""

    language: str
    product: str  # e.g. iPhone15,2
    version: str  # e.g. 17.5 (the OS version)

    @property
    def model(self) -> str:
        return "iPad" if self.product.casefold().startswith("ipad") else "iPhone"

    def plist(self) -> bytes:
        data = {"LANGUAGE": self.language, "PRODUCT": self.product, "VERSION": self.version}
        return plistlib.dumps(data)


def read_device_info(body: bytes, mimetype: str) -> DeviceInfo:
    data = read_plist(body, mimetype, DEVICE_INFO_TYPES)
    language = data.get("LANGUAGE", "en")
    return DeviceInfo(
        language=language if isinstance(language, str) else "en",
        product=text_key(data, "PRODUCT", 64),
        version=text_key(data, "VERSION", 32),
    )


def discovery(tenant: Tenant) -> dict[str, Any] | None:
    """The service discovery document, or None when the tenant publishes none."""
    if tenant.service_discovery == "missing":
        return None
    return {"Servers": [{"Version": "mdm-byod", "BaseURL": urls.enroll_url(tenant)}]}


def find_user(tenant: Tenant, upn: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.tenant_id == tenant.id, User.upn_key == upn.strip().casefold())
    )


def sign_in(tenant: Tenant, upn: str, password: str) -> str:
    """The work account sign-in (Microsoft Entra page): an access token, or 401."""
    with transaction(tenant.id):
        user = find_user(tenant, upn)
        if user is None or not user.enabled or not user.check_password(password):
            journal.record(tenant.id, "mdm.signInFailed", user=upn)
            raise MdmError(401, "Your account or password is incorrect.")
        journal.record(tenant.id, "mdm.signIn", user=user.upn)
        return tokens.issue(tenant.id, user.id)


def _refuse(tenant: Tenant, user: User, code: str, message: str) -> MdmError:
    journal.record(tenant.id, "portal.failed", user=user.upn, flow="settings", code=code,
                   message=message)  # fmt: skip
    return MdmError(403, message, code)


def enroll(tenant: Tenant, token: str, info: DeviceInfo) -> tuple[str, bytes]:
    """The enrollment profile for the token's user and this device: (enrollment id, plist).
    Refused (403, journalled) when the checks or the user's profile say no."""
    user_id = tokens.read(token, tenant.id)
    failure: MdmError | None = None
    with transaction(tenant.id):
        user = db.session.get(User, user_id)
        if user is None or user.tenant_id != tenant.id or not user.enabled:
            raise MdmError(401, "The access token's user no longer exists or is disabled.")
        code = check_user(user_standing(tenant, user))
        if code is None and not user.managed_apple_id:
            code = ErrorCode.MANAGED_APPLE_ID
        resolution = resolve_for_user(user)
        allowed = eligibility(tenant.intune_release, resolution.applied, info.version)
        if code is not None:
            failure = _refuse(tenant, user, code.value, ERRORS[code].message)
        elif not allowed.allowed:
            failure = _refuse(tenant, user, NOT_APPLICABLE, f"[simulator rule] {allowed.reason}")
        else:
            enrollment_id = secrets.token_urlsafe(24)
            applied = resolution.applied
            db.session.add(
                MdmEnrollment(
                    id=enrollment_id,
                    tenant_id=tenant.id,
                    user_id=user.id,
                    facts={
                        "model": info.model,
                        "product": info.product,
                        "osVersion": info.version,
                        "ownerAnswer": allowed.owner_answer and allowed.owner_answer.value,
                        "securityScope": allowed.security_scope and allowed.security_scope.value,
                        "applied": applied
                        and {"id": applied.id, "name": applied.name, "priority": applied.priority},
                        "reason": allowed.reason,
                        "trace": trace.build(tenant, user, "", "", info.version),
                    },
                )  # fmt: skip
            )
            journal.record(tenant.id, "mdm.profile", user=user.upn, enrollmentId=enrollment_id)
            profile = _profile(tenant, user, enrollment_id)
    if failure is not None:
        raise failure
    return enrollment_id, profile


def _profile(tenant: Tenant, user: User, enrollment_id: str) -> bytes:
    """A configuration profile whose MDM payload enrolls in BYOD mode (user enrollment)."""
    topic = f"com.apple.mgmt.External.{tenant.organization_id}"
    root = f"com.microsoft.enrollsim.{tenant.id}"
    mdm = {
        "PayloadType": "com.apple.mdm",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{root}.mdm",
        "PayloadUUID": str(uuid.uuid4()).upper(),
        "PayloadDisplayName": "MDM",
        "EnrollmentMode": "BYOD",
        "AssignedManagedAppleID": user.upn,
        "ServerURL": f"{urls.tenant_root(tenant)}{urls.SERVER_PATH}",
        "CheckInURL": urls.checkin_url(tenant, enrollment_id),
        "Topic": topic,
        "ServerCapabilities": ["com.apple.mdm.per-user-connections"],
        "CheckOutWhenRemoved": True,
        "SignMessage": False,
    }
    return plistlib.dumps(
        {
            "PayloadType": "Configuration",
            "PayloadVersion": 1,
            "PayloadIdentifier": root,
            "PayloadUUID": str(uuid.uuid4()).upper(),
            "PayloadDisplayName": f"{tenant.company} Management Profile",
            "PayloadOrganization": tenant.company,
            "PayloadContent": [mdm],
        }
    )


def _enrollment(tenant: Tenant, enrollment_id: str) -> MdmEnrollment:
    row = db.session.get(MdmEnrollment, enrollment_id, populate_existing=True, with_for_update=True)
    if row is None or row.tenant_id != tenant.id:
        raise MdmError(404, f"No enrollment '{enrollment_id[:64]}' in this tenant: install the "
                       "enrollment profile first.")  # fmt: skip
    return row


def check_in(tenant: Tenant, enrollment_id: str, body: bytes, mimetype: str) -> str:
    """One check-in message (Authenticate, TokenUpdate); returns the stage it left."""
    message = read_plist(body, mimetype, CHECKIN_TYPES)
    kind = text_key(message, "MessageType", 64)
    if kind not in ("Authenticate", "TokenUpdate"):
        raise MdmError(400, f"MessageType '{kind}' is not supported here (Authenticate, "
                       "TokenUpdate).")  # fmt: skip
    topic = text_key(message, "Topic")
    if topic != f"com.apple.mgmt.External.{tenant.organization_id}":
        raise MdmError(400, f"Topic '{topic}' is not this tenant's MDM push topic.")
    device_enrollment = message.get("EnrollmentID") or message.get("UDID")
    if not isinstance(device_enrollment, str) or not device_enrollment.strip():
        raise MdmError(400, "The message has no EnrollmentID (user enrollment) or UDID.")
    if kind == "TokenUpdate" and not isinstance(message.get("Token"), bytes):
        raise MdmError(400, "The TokenUpdate has no Token (data).")
    failure: MdmError | None = None
    with transaction(tenant.id):
        row = _enrollment(tenant, enrollment_id)
        if kind == "Authenticate":
            if row.stage == "profile":
                row.stage, row.device_enrollment_id = "authenticated", device_enrollment[:128]
                journal.record(tenant.id, "mdm.authenticate", enrollmentId=row.id)
            stage = row.stage
        elif row.stage == "profile":
            raise MdmError(409, "TokenUpdate before Authenticate: send Authenticate first.")
        elif row.device_enrollment_id != device_enrollment[:128]:
            raise MdmError(400, "The TokenUpdate's EnrollmentID is not the one that authenticated.")
        elif row.stage == "authenticated":
            failure = _record(tenant, row)
            stage = row.stage
        else:
            stage = row.stage  # a repeated TokenUpdate: the same device
    if failure is not None:
        raise failure
    return stage


def _record(tenant: Tenant, row: MdmEnrollment) -> MdmError | None:
    user = db.session.get(User, row.user_id)
    assert user is not None  # the row goes with its user (ON DELETE CASCADE)
    code = check_user(user_standing(tenant, user))
    if code is not None:
        return _refuse(tenant, user, code.value, ERRORS[code].message)
    facts = row.facts
    applied = facts.get("applied")
    device = record_enrollment(
        tenant,
        walk_id=None,
        user=user,
        state=ChosenPath(
            EnrollmentType.ACCOUNT_DRIVEN,
            OwnerAnswer(facts["ownerAnswer"]) if facts.get("ownerAnswer") else None,
            SecurityScope(facts["securityScope"]) if facts.get("securityScope") else None,
        ),
        device=SimulatedDevice(facts["model"], facts["osVersion"], serial_number=""),
        applied=AppliedProfile(**applied) if applied else None,
        decision_trace=facts["trace"],
    )
    row.stage, row.device_id = "enrolled", device.id
    return None
