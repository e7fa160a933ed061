"""Loading a validated scenario document into a tenant: `load_into` writes it inside the caller's
transaction, so a tenant is seeded completely or not at all; create, reset and the default tenant.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from app.scenarios.branding import load_branding
from app.scenarios.parsing import parse_file
from app.scenarios.references import device_index
from app.scenarios.schema import (
    ScenarioDoc,
)
from app.store import (
    DEFAULT_TENANT,
    BrandingAssignment,
    BrandingProfile,
    CorporateIdentifier,
    EnrollmentProfile,
    Group,
    JournalEvent,
    ManagedDevice,
    MdmEnrollment,
    PortalWalk,
    ProfileAssignment,
    ScenarioSnapshot,
    Tenant,
    User,
    db,
    device_group_members,
    hash_password,
    new_id,
    new_token,
    transaction,
    user_group_members,
    utcnow,
)
from app.store.changes import mark_reset
from app.store.retention import forget_journal_pruning


def clear_tenant(tenant_id: str) -> None:
    """Delete everything a tenant holds, keeping the tenant (id and token) itself.

    Plain Core DELETEs on the session's connection: no ORM bookkeeping per statement, and the
    memberships go first in two statements instead of one cascade per deleted user and group.
    """
    connection = db.session.connection()
    for model in (
        PortalWalk,
        MdmEnrollment,
        ManagedDevice,
        JournalEvent,
        CorporateIdentifier,
        BrandingAssignment,
        BrandingProfile,
    ):
        connection.execute(delete(model.__table__).where(model.tenant_id == tenant_id))
    profile_ids = select(EnrollmentProfile.id).where(EnrollmentProfile.tenant_id == tenant_id)
    connection.execute(
        delete(ProfileAssignment.__table__).where(ProfileAssignment.profile_id.in_(profile_ids))
    )
    group_ids = select(Group.id).where(Group.tenant_id == tenant_id)
    connection.execute(
        delete(user_group_members).where(user_group_members.c.group_id.in_(group_ids))
    )
    connection.execute(
        delete(device_group_members).where(device_group_members.c.group_id.in_(group_ids))
    )
    for model in (EnrollmentProfile, Group, User):
        connection.execute(delete(model.__table__).where(model.tenant_id == tenant_id))
    mark_reset(connection, tenant_id)  # delta tokens issued before now start over
    forget_journal_pruning(connection, tenant_id)  # a fresh journal: nothing pruned from it
    db.session.expire_all()  # nothing loaded before may outlive the rows it stood for


@lru_cache(maxsize=256)
def _seed_hash(password: str) -> str:
    """Scenarios reuse a few test passwords, and a suite seeds hundreds of tenants with them:
    hash each once per process (PBKDF2 is the slowest step of a seed) — salted as always."""
    return hash_password(password)


def _snapshot(doc: ScenarioDoc) -> dict:
    """The document as given (only the keys it set), for Reset tenant; passwords kept as
    hashes, never as the text the document carried."""
    snapshot = doc.model_dump(mode="json", exclude_unset=True, by_alias=True)
    for user in snapshot.get("users", []):
        if user.get("password") is not None:
            user["passwordHash"] = _seed_hash(user.pop("password"))
    return snapshot


def load_into(tenant: Tenant, doc: ScenarioDoc) -> None:
    """Write a validated document into an empty tenant, inside the caller's transaction.

    Rows go in as bulk INSERTs (one statement per table), which keeps create and reset of a
    test-sized tenant within a few milliseconds.
    """
    tenant.company = doc.company
    tenant.theme_color = doc.themeColor.upper()
    tenant.mdm_authority = doc.settings.mdmAuthority
    tenant.apns_expires = doc.settings.apnsCertificateExpires
    tenant.intune_release = doc.settings.intuneRelease
    tenant.device_limit = doc.settings.deviceLimit
    tenant.service_discovery = doc.settings.serviceDiscovery
    tenant.profile_install_window_seconds = doc.settings.profileInstallWindowSeconds
    tenant.fast_profile_install = doc.settings.fastProfileInstall
    tenant.faults = None
    session = db.session
    session.merge(
        ScenarioSnapshot(tenant_id=tenant.id, document=_snapshot(doc), loaded_at=utcnow())
    )
    session.flush()
    tid = tenant.id
    # Rows are stamped a microsecond apart in document order, so export lists them back in
    # that order (and a round trip is stable) even when the whole load takes no time at all.
    start = datetime.now(UTC)
    stamps = (start + timedelta(microseconds=n) for n in itertools.count())
    user_ids: dict[str, str] = {}
    user_rows = []
    for u in doc.users:
        user_ids[u.upn.casefold()] = user_id = new_id()
        local = u.upn.split("@")[0]
        user_rows.append(
            {
                "id": user_id,
                "tenant_id": tid,
                "upn": u.upn,
                "upn_key": u.upn.casefold(),
                "password_hash": u.passwordHash or _seed_hash(u.password),
                "display_name": u.displayName or local,
                "mail_nickname": local[:64],
                "enabled": u.enabled,
                "managed_apple_id": u.managedAppleId,
                "graph_properties": u.graphProperties,
                "intune_licensed": u.intuneLicensed,
                "created_at": next(stamps),
            }
        )
    group_ids = {g.name: new_id() for g in doc.groups}
    group_rows = [
        {
            "id": group_ids[g.name],
            "tenant_id": tid,
            "name": g.name,
            "description": g.description,
            "kind": g.kind,
            "rule": g.rule,
            "mail_nickname": "".join(ch for ch in g.name if ch.isalnum())[:64],
            "graph_properties": g.graphProperties,
            "created_at": next(stamps),
        }
        for g in doc.groups
    ]
    member_rows = [
        {"group_id": group_ids[g.name], "user_id": user_ids[m.casefold()]}
        for g in doc.groups
        if g.kind == "user"
        for m in dict.fromkeys(m.casefold() for m in g.members)
    ]
    profile_rows, assignment_rows = [], []
    profile_ids: dict[str, list[str]] = {}
    for priority, p in enumerate(doc.profiles):
        profile_id = new_id()
        profile_ids.setdefault(p.name, []).append(profile_id)
        profile_rows.append(
            {
                "id": profile_id,
                "tenant_id": tid,
                "name": p.name,
                "description": p.description,
                "platform": p.platform,
                "default_enrollment_type": p.defaultEnrollmentType,
                "enrollment_type_options": p.stored_options(),
                "priority": priority,
            }
        )
        targets = [("include", n) for n in p.assign.include]
        targets += [("exclude", n) for n in p.assign.exclude]
        for position, (side, name) in enumerate(targets):
            all_users = name.casefold() == "all"
            assignment_rows.append(
                {
                    "id": new_id(),
                    "profile_id": profile_id,
                    "target": "allUsers" if all_users else side,
                    "group_id": None if all_users else group_ids[name],
                    "position": position,
                }
            )
    identifier_rows = [
        {
            "id": new_id(),
            "tenant_id": tid,
            "kind": ident.type,
            "value": ident.value,
            "value_key": CorporateIdentifier.key(ident.value),
            "description": ident.description,
            "created_at": next(stamps),
        }
        for ident in doc.corporateIdentifiers
    ]
    device_ids = [new_id() for _ in doc.devices]
    # A profile id belongs to one tenant: a device links to this tenant's profile of the name
    # it was enrolled with when exactly one profile has that name, else to none.
    linked = {name: ids[0] for name, ids in profile_ids.items() if len(ids) == 1}
    device_rows = [
        {
            "id": device_id,
            "tenant_id": tid,
            "user_id": user_ids.get(d.userPrincipalName.casefold()),
            "user_principal_name": d.userPrincipalName,
            "device_name": d.deviceName,
            "model": d.model,
            "operating_system": d.operatingSystem or ("iPadOS" if d.model == "iPad" else "iOS"),
            "os_version": d.osVersion,
            "serial_number": d.serialNumber,
            "imei": d.imei,
            "udid": d.udid,
            "enrollment_type": d.deviceEnrollmentType,
            "enrollment_profile_name": d.enrollmentProfileName,
            "profile_id": linked.get(d.enrollmentProfileName),
            "owner_type": d.managedDeviceOwnerType,
            "owner_answer": d.ownerAnswer,
            "security_scope": d.securityScope,
            "management_state": d.managementState,
            "enrolled_at": d.enrolledDateTime or next(stamps),
            "trace": d.decisionTrace
            and d.decisionTrace.model_dump(mode="json", exclude_unset=True),
            "graph_properties": d.graphProperties and d.graphProperties.stored(),
        }
        for device_id, d in zip(device_ids, doc.devices, strict=True)
    ]
    named = device_index(doc.devices)
    device_member_rows = [
        {"group_id": group_ids[g.name], "device_id": device_ids[n]}
        for g in doc.groups
        if g.kind == "device" and g.rule is None
        for n in dict.fromkeys(n for m in g.members for n in named[m])
    ]
    for table, rows in (
        (User.__table__, user_rows),
        (Group.__table__, group_rows),
        (user_group_members, member_rows),
        (EnrollmentProfile.__table__, profile_rows),
        (ProfileAssignment.__table__, assignment_rows),
        (CorporateIdentifier.__table__, identifier_rows),
        (ManagedDevice.__table__, device_rows),
        (device_group_members, device_member_rows),
    ):
        if rows:
            session.execute(insert(table), rows)
    load_branding(tenant, doc, group_ids, stamps)


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
    """Create and seed the default tenant on first start; once, however many processes start at
    once (whoever writes it second finds it there and leaves it as the first wrote it)."""
    if db.session.get(Tenant, DEFAULT_TENANT) is not None:
        return
    doc = parse_file(scenario_path) if scenario_path and Path(scenario_path).exists() else None
    try:
        create_tenant(doc, DEFAULT_TENANT)
    except IntegrityError:  # transaction() rolled it back whole
        if db.session.get(Tenant, DEFAULT_TENANT) is None:
            raise


def ensure_named_tenant(tenant_id: str, scenario_path: str) -> Tenant:
    """A demo tenant by a fixed id, created and seeded from the scenario file on first use."""
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        try:
            tenant = create_tenant(parse_file(scenario_path), tenant_id)
        except IntegrityError:  # another request created it a moment ago
            db.session.rollback()
            tenant = db.session.get(Tenant, tenant_id)
    return tenant
