"""Scenario documents: load one into a tenant, export a tenant back into one.

The schema and validation live in `app.scenario_schema` (re-exported here); `load_into` writes a
validated document inside the caller's transaction, so a tenant is seeded completely or not at
all, and `export` reads a tenant back into a document that loads into an equal tenant.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from app.db import db, transaction
from app.models import (
    CorporateIdentifier,
    EnrollmentProfile,
    Group,
    JournalEvent,
    ManagedDevice,
    PortalWalk,
    ProfileAssignment,
    Tenant,
    User,
    hash_password,
)
from app.scenario_schema import (
    DEFAULT_APNS_EXPIRY,
    GRAPH_ENROLLMENT_TYPES,
    AssignDoc,
    DeviceDoc,
    GroupDoc,
    IdentifierDoc,
    ProfileDoc,
    ScenarioDoc,
    ScenarioError,
    SettingsDoc,
    UserDoc,
    parse_document,
    parse_file,
    parse_text,
)
from app.tenancy import DEFAULT_TENANT, new_token

__all__ = [
    "CONSOLE_OPTIONS",
    "DEFAULT_APNS_EXPIRY",
    "GRAPH_ENROLLMENT_TYPES",
    "AssignDoc",
    "DeviceDoc",
    "GroupDoc",
    "IdentifierDoc",
    "ProfileDoc",
    "ScenarioDoc",
    "ScenarioError",
    "SettingsDoc",
    "UserDoc",
    "clear_tenant",
    "create_tenant",
    "ensure_default_tenant",
    "export",
    "load_into",
    "parse_document",
    "parse_file",
    "parse_text",
    "reset_tenant",
]

CONSOLE_OPTIONS = [
    {
        "@odata.type": "microsoft.graph.appleOwnerTypeEnrollmentType",
        "ownerType": "company",
        "enrollmentType": "device",
    },
    {
        "@odata.type": "microsoft.graph.appleOwnerTypeEnrollmentType",
        "ownerType": "personal",
        "enrollmentType": "user",
    },
]


def clear_tenant(tenant_id: str) -> None:
    """Delete everything a tenant holds, keeping the tenant (id and token) itself."""
    for model in (PortalWalk, ManagedDevice, JournalEvent, CorporateIdentifier):
        db.session.execute(delete(model).where(model.tenant_id == tenant_id))
    profile_ids = select(EnrollmentProfile.id).where(EnrollmentProfile.tenant_id == tenant_id)
    db.session.execute(
        delete(ProfileAssignment).where(ProfileAssignment.profile_id.in_(profile_ids))
    )
    for model in (EnrollmentProfile, Group, User):
        db.session.execute(delete(model).where(model.tenant_id == tenant_id))


def load_into(tenant: Tenant, doc: ScenarioDoc) -> None:
    """Write a validated document into an empty tenant, inside the caller's transaction."""
    tenant.company = doc.company
    tenant.theme_color = doc.themeColor.upper()
    tenant.mdm_authority = doc.settings.mdmAuthority
    tenant.apns_expires = doc.settings.apnsCertificateExpires
    tenant.ownership_behavior = doc.settings.ownershipBehavior
    tenant.fast_profile_install = doc.settings.fastProfileInstall
    tenant.faults = None
    session = db.session
    # Rows are stamped a microsecond apart in document order, so export lists them back in
    # that order (and a round trip is stable) even when the whole load takes no time at all.
    start = datetime.now(UTC)
    stamps = (start + timedelta(microseconds=n) for n in itertools.count())
    users: dict[str, User] = {}
    hashes: dict[str, str] = {}  # scenarios reuse a few passwords: hash each once per load
    for u in doc.users:
        if u.passwordHash is None and u.password not in hashes:
            hashes[u.password] = hash_password(u.password)
        user = User(
            tenant_id=tenant.id,
            upn=u.upn,
            password_hash=u.passwordHash or hashes[u.password],
            display_name=u.displayName or u.upn.split("@")[0],
            mail_nickname=u.upn.split("@")[0][:64],
            enabled=u.enabled,
            managed_apple_id=u.managedAppleId,
            created_at=next(stamps),
        )
        users[u.upn.casefold()] = user
    groups: dict[str, Group] = {}
    for g in doc.groups:
        groups[g.name] = Group(
            tenant_id=tenant.id,
            name=g.name,
            description=g.description,
            kind=g.kind,
            rule=g.rule,
            mail_nickname="".join(ch for ch in g.name if ch.isalnum())[:64],
            users=[users[m.casefold()] for m in g.members] if g.kind == "user" else [],
            created_at=next(stamps),
        )
    session.add_all([*users.values(), *groups.values()])
    for priority, p in enumerate(doc.profiles):
        profile = EnrollmentProfile(
            tenant_id=tenant.id,
            name=p.name,
            description=p.description,
            platform=p.platform,
            default_enrollment_type=p.defaultEnrollmentType,
            enrollment_type_options=list(CONSOLE_OPTIONS) if p.requireUserChoice else [],
            priority=priority,
        )
        targets = [("include", n) for n in p.assign.include] + [
            ("exclude", n) for n in p.assign.exclude
        ]
        for position, (side, name) in enumerate(targets):
            all_users = name.casefold() == "all"
            profile.assignments.append(
                ProfileAssignment(
                    target="allUsers" if all_users else side,
                    group=None if all_users else groups[name],
                    position=position,
                )
            )
        session.add(profile)
    for ident in doc.corporateIdentifiers:
        session.add(
            CorporateIdentifier(
                tenant_id=tenant.id,
                kind=ident.type,
                value=ident.value,
                value_key=CorporateIdentifier.key(ident.value),
                description=ident.description,
                created_at=next(stamps),
            )
        )
    for d in doc.devices:
        user = users.get(d.userPrincipalName.casefold())
        session.add(
            ManagedDevice(
                tenant_id=tenant.id,
                user=user,
                user_principal_name=d.userPrincipalName,
                device_name=d.deviceName,
                model=d.model,
                operating_system=d.operatingSystem or ("iPadOS" if d.model == "iPad" else "iOS"),
                os_version=d.osVersion,
                serial_number=d.serialNumber,
                imei=d.imei,
                udid=d.udid,
                enrollment_type=d.deviceEnrollmentType,
                enrollment_profile_name=d.enrollmentProfileName,
                owner_type=d.managedDeviceOwnerType,
                owner_answer=d.ownerAnswer,
                security_scope=d.securityScope,
                management_state=d.managementState,
                enrolled_at=d.enrolledDateTime or next(stamps),
            )
        )
    session.flush()


def _assign_names(profile: EnrollmentProfile, side: str) -> list[str]:
    names = []
    for a in profile.assignments:
        if a.target == "allUsers" and side == "include":
            names.append("all")
        elif a.target == side and a.group is not None:
            names.append(a.group.name)
    return names


def export(tenant: Tenant) -> dict[str, Any]:
    """The tenant's whole state as a scenario document, recorded devices included."""
    tid = tenant.id
    session = db.session
    users = session.scalars(
        select(User).where(User.tenant_id == tid).order_by(User.created_at, User.upn_key)
    ).all()
    groups = session.scalars(
        select(Group).where(Group.tenant_id == tid).order_by(Group.created_at, Group.name)
    ).all()
    profiles = session.scalars(
        select(EnrollmentProfile)
        .where(EnrollmentProfile.tenant_id == tid)
        .order_by(EnrollmentProfile.priority)
    ).all()
    identifiers = session.scalars(
        select(CorporateIdentifier)
        .where(CorporateIdentifier.tenant_id == tid)
        .order_by(CorporateIdentifier.created_at, CorporateIdentifier.value)
    ).all()
    devices = session.scalars(
        select(ManagedDevice)
        .where(ManagedDevice.tenant_id == tid)
        .order_by(
            ManagedDevice.enrolled_at,
            ManagedDevice.user_principal_name,
            ManagedDevice.device_name,
            ManagedDevice.serial_number,
        )
    ).all()
    doc = ScenarioDoc(
        company=tenant.company,
        themeColor=tenant.theme_color,
        settings=SettingsDoc(
            mdmAuthority=tenant.mdm_authority,
            apnsCertificateExpires=tenant.apns_expires,
            ownershipBehavior=tenant.ownership_behavior,
            fastProfileInstall=tenant.fast_profile_install,
        ),
        users=[
            UserDoc(
                upn=u.upn,
                displayName=u.display_name,
                passwordHash=u.password_hash,
                managedAppleId=u.managed_apple_id,
                enabled=u.enabled,
            )
            for u in users
        ],
        groups=[
            GroupDoc(
                name=g.name,
                description=g.description,
                kind=g.kind,
                members=[u.upn for u in sorted(g.users, key=lambda u: u.upn_key)],
                rule=g.rule,
            )
            for g in groups
        ],
        profiles=[
            ProfileDoc(
                name=p.name,
                description=p.description,
                requireUserChoice=p.require_user_choice,
                defaultEnrollmentType=p.default_enrollment_type,
                platform=p.platform,
                assign=AssignDoc(
                    include=_assign_names(p, "include"), exclude=_assign_names(p, "exclude")
                ),
            )
            for p in profiles
        ],
        corporateIdentifiers=[
            IdentifierDoc(type=i.kind, value=i.value, description=i.description)
            for i in identifiers
        ],
        devices=[
            DeviceDoc(
                userPrincipalName=d.user_principal_name,
                deviceName=d.device_name,
                model=d.model,
                operatingSystem=d.operating_system,
                osVersion=d.os_version,
                serialNumber=d.serial_number,
                imei=d.imei,
                udid=d.udid,
                deviceEnrollmentType=d.enrollment_type,
                enrollmentProfileName=d.enrollment_profile_name,
                managedDeviceOwnerType=d.owner_type,
                managementState=d.management_state,
                enrolledDateTime=d.enrolled_at,
                ownerAnswer=d.owner_answer,
                securityScope=d.security_scope,
            )
            for d in devices
        ],
    )
    # Devices enrolled at the same moment come out in one order whatever order they went in.
    doc.devices.sort(key=lambda d: (d.enrolledDateTime, d.model_dump_json()))
    return doc.model_dump(mode="json", exclude_none=False)


def create_tenant(doc: ScenarioDoc | None, tenant_id: str, token: str | None = None) -> Tenant:
    """Create a tenant seeded with `doc`, all in one transaction."""
    with transaction():
        tenant = Tenant(id=tenant_id, token=token or new_token())
        db.session.add(tenant)
        db.session.flush()
        load_into(tenant, doc or ScenarioDoc())
    return tenant


def reset_tenant(tenant: Tenant, doc: ScenarioDoc | None) -> None:
    """Make the tenant hold exactly `doc` (empty when None); id and token unchanged."""
    with transaction(tenant.id):
        clear_tenant(tenant.id)
        load_into(tenant, doc or ScenarioDoc())


def ensure_default_tenant(scenario_path: str) -> None:
    """Create and seed the default tenant on first start."""
    if db.session.get(Tenant, DEFAULT_TENANT) is not None:
        return
    doc = parse_file(scenario_path) if scenario_path and Path(scenario_path).exists() else None
    create_tenant(doc, DEFAULT_TENANT)
