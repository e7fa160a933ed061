"""Export: a tenant's whole state read back into a scenario document, recorded devices included.

What `export` writes loads into a new tenant (`app.scenarios.load_into`) that exports equal.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from app.enrollment.steps import MAX_DEVICE_LIMIT
from app.enrollment.web_enrollment import DEFAULT_INSTALL_WINDOW
from app.scenarios.branding import export_branding
from app.scenarios.schema import (
    CONSOLE_OPTIONS,
    AssignDoc,
    DeviceDoc,
    GroupDoc,
    IdentifierDoc,
    OptionDoc,
    ProfileDoc,
    ScenarioDoc,
    SettingsDoc,
    UserDoc,
)
from app.scenarios.trace_doc import TraceDoc
from app.store import (
    CorporateIdentifier,
    EnrollmentProfile,
    Group,
    ManagedDevice,
    ProfileAssignment,
    Tenant,
    User,
    db,
    device_group_members,
    user_group_members,
)


def _members(tenant_id: str) -> dict[str, list[str]]:
    """Each user group's member UPNs (sorted case-insensitively), in one query."""
    rows = db.session.execute(
        select(user_group_members.c.group_id, User.upn)
        .join(User, User.id == user_group_members.c.user_id)
        .where(User.tenant_id == tenant_id)
        .order_by(user_group_members.c.group_id, User.upn_key)
    )
    members: dict[str, list[str]] = {}
    for group_id, upn in rows:
        members.setdefault(group_id, []).append(upn)
    return members


def _device_members(tenant_id: str) -> dict[str, list[str]]:
    """Each static device group's members as the document names them (serialNumber, else
    deviceName: DeviceDoc.reference), each once and sorted, in one query."""
    rows = db.session.execute(
        select(
            device_group_members.c.group_id, ManagedDevice.serial_number, ManagedDevice.device_name
        )
        .join(ManagedDevice, ManagedDevice.id == device_group_members.c.device_id)
        .join(Group, Group.id == device_group_members.c.group_id)
        .where(ManagedDevice.tenant_id == tenant_id, Group.rule.is_(None))
    )
    members: dict[str, set[str]] = {}
    for group_id, serial, name in rows:
        members.setdefault(group_id, set()).add(serial or name)
    return {group_id: sorted(refs) for group_id, refs in members.items()}


def _options(stored: list[dict[str, str]]) -> list[OptionDoc] | None:
    """Graph's availableEnrollmentTypeOptions when they say more than requireUserChoice does."""
    pairs = [(o["ownerType"], o["enrollmentType"]) for o in stored or []]
    if not pairs or pairs == [(o["ownerType"], o["enrollmentType"]) for o in CONSOLE_OPTIONS]:
        return None
    return [OptionDoc(ownerType=owner, enrollmentType=kind) for owner, kind in pairs]


def _trace(recorded: dict[str, Any] | None) -> TraceDoc | None:
    """The device's decision trace, left out should it not have the shape a document needs (a
    trace recorded by an older version), so the export still loads."""
    try:
        return None if recorded is None else TraceDoc.model_validate(recorded)
    except ValidationError:
        return None


def _assign_names(tenant_id: str) -> dict[str, dict[str, list[str]]]:
    """Each profile's included and excluded group names (`all` for All users), in one query."""
    rows = db.session.execute(
        select(ProfileAssignment.profile_id, ProfileAssignment.target, Group.name)
        .join(EnrollmentProfile, EnrollmentProfile.id == ProfileAssignment.profile_id)
        .outerjoin(Group, Group.id == ProfileAssignment.group_id)
        .where(EnrollmentProfile.tenant_id == tenant_id)
        .order_by(ProfileAssignment.profile_id, ProfileAssignment.position, ProfileAssignment.id)
    )
    names: dict[str, dict[str, list[str]]] = {}
    for profile_id, target, group_name in rows:
        sides = names.setdefault(profile_id, {"include": [], "exclude": []})
        if target == "allUsers":
            sides["include"].append("all")
        elif group_name is not None:
            sides[target].append(group_name)
    return names


def export(tenant: Tenant) -> dict[str, Any]:
    """The tenant's whole state as a scenario document, recorded devices included."""
    tid = tenant.id
    session = db.session
    users = session.scalars(
        select(User).where(User.tenant_id == tid).order_by(User.created_at, User.upn_key)
    ).all()
    groups = session.scalars(
        select(Group).where(Group.tenant_id == tid).order_by(Group.created_at, Group.name, Group.id)
    ).all()
    profiles = session.scalars(
        select(EnrollmentProfile)
        .where(EnrollmentProfile.tenant_id == tid)
        .order_by(EnrollmentProfile.priority)
    ).all()
    identifiers = session.scalars(
        select(CorporateIdentifier)
        .where(CorporateIdentifier.tenant_id == tid)
        .order_by(CorporateIdentifier.created_at, CorporateIdentifier.value, CorporateIdentifier.id)
    ).all()
    members, assignments = _members(tid), _assign_names(tid)
    members.update(_device_members(tid))
    devices = session.scalars(
        select(ManagedDevice)
        .where(ManagedDevice.tenant_id == tid)
        .order_by(
            ManagedDevice.enrolled_at,
            ManagedDevice.user_principal_name,
            ManagedDevice.device_name,
            ManagedDevice.serial_number,
            ManagedDevice.id,
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
            intuneRelease=tenant.intune_release,
            deviceLimit=tenant.device_limit,
            serviceDiscovery=tenant.service_discovery,
            profileInstallWindowSeconds=tenant.profile_install_window_seconds,
        ),
        users=[
            UserDoc(
                upn=u.upn,
                displayName=u.display_name,
                passwordHash=u.password_hash,
                managedAppleId=u.managed_apple_id,
                enabled=u.enabled,
                graphProperties=u.graph_properties or None,
                intuneLicensed=u.intune_licensed,
            )
            for u in users
        ],
        groups=[
            GroupDoc(
                name=g.name,
                description=g.description,
                kind=g.kind,
                members=members.get(g.id, []),
                rule=g.rule,
                graphProperties=g.graph_properties or None,
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
                assign=AssignDoc(**assignments.get(p.id, {})),
                enrollmentTypeOptions=_options(p.enrollment_type_options),
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
                decisionTrace=_trace(d.trace),
                graphProperties=d.graph_properties or None,
            )
            for d in devices
        ],
    )
    # Devices enrolled at the same moment come out in one order whatever order they went in.
    doc.devices.sort(key=lambda d: (d.enrolledDateTime, d.model_dump_json()))
    data = doc.model_dump(mode="json", exclude_none=False)
    # Keys added with enrollment-today.md appear only when they say something the others don't.
    if tenant.intune_release == tenant.ownership_behavior:  # ownershipBehavior says it all
        del data["settings"]["intuneRelease"]
    if tenant.device_limit == MAX_DEVICE_LIMIT:
        del data["settings"]["deviceLimit"]
    if tenant.service_discovery == "published":
        del data["settings"]["serviceDiscovery"]
    if tenant.profile_install_window_seconds == DEFAULT_INSTALL_WINDOW:
        del data["settings"]["profileInstallWindowSeconds"]
    for user in data["users"]:
        if user["intuneLicensed"]:
            del user["intuneLicensed"]
    # The optional keys appear only when they carry something, so an export of a tenant that
    # never needed them reads exactly as before they existed; a trace reads as it was recorded.
    for profile in data["profiles"]:
        if profile["enrollmentTypeOptions"] is None:
            del profile["enrollmentTypeOptions"]
    for key in ("users", "groups"):
        for item in data[key]:
            if item["graphProperties"] is None:
                del item["graphProperties"]
    for device, item in zip(doc.devices, data["devices"], strict=True):
        if device.graphProperties is None:
            del item["graphProperties"]
        else:
            item["graphProperties"] = device.graphProperties.stored()
        if device.decisionTrace is None:
            del item["decisionTrace"]
        else:
            item["decisionTrace"] = device.decisionTrace.model_dump(mode="json", exclude_unset=True)
    branding = export_branding(tenant)
    if branding:
        data["brandingProfiles"] = branding
    else:
        del data["brandingProfiles"]
    return data
