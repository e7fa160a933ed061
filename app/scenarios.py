"""Scenario documents: one schema for YAML, JSON, the control API and the command line.

`parse_document` validates a document completely (shape, enums, unknown keys, and every name it
refers to) before anything is written; `load_into` then writes it inside the caller's transaction,
so a tenant is seeded completely or not at all. `export` reads a tenant back into a document.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import delete, insert, select

from app.db import db, transaction
from app.enrollment import rules
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
    device_group_members,
    hash_password,
    new_id,
    user_group_members,
)
from app.profiles import DEVICE_GROUPS_REFUSED
from app.tenancy import DEFAULT_TENANT, new_token

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
GRAPH_ENROLLMENT_TYPES = (
    "unknown",
    "device",
    "user",
    "accountDrivenUserEnrollment",
    "webDeviceEnrollment",
    "unknownFutureValue",
)
DEFAULT_APNS_EXPIRY = date(2030, 1, 1)

Text = Annotated[str, Field(min_length=1, max_length=256)]


class ScenarioError(ValueError):
    """A document that cannot be loaded; `message` names the path of the bad field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SettingsDoc(_Doc):
    mdmAuthority: Literal["intune", "unknown"] = "intune"
    apnsCertificateExpires: date | None = DEFAULT_APNS_EXPIRY
    ownershipBehavior: Literal["preview-2019", "ga-2020"] = "preview-2019"
    fastProfileInstall: bool = False


class UserDoc(_Doc):
    upn: Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
    displayName: Text | None = None
    password: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    # written by export, so a round trip keeps passwords
    passwordHash: Annotated[str, Field(min_length=1, max_length=512)] | None = None
    managedAppleId: bool = True
    enabled: bool = True


class GroupDoc(_Doc):
    name: Text
    description: str = ""
    kind: Literal["user", "device"] = "user"
    members: list[str] = []
    rule: str | None = None


class AssignDoc(_Doc):
    include: list[str] = []
    exclude: list[str] = []

    @field_validator("include", "exclude", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class ProfileDoc(_Doc):
    name: Text
    description: str = ""
    requireUserChoice: bool = False
    defaultEnrollmentType: Literal[GRAPH_ENROLLMENT_TYPES] = "user"  # type: ignore[valid-type]
    platform: str = "iOS"
    assign: AssignDoc = AssignDoc()


class IdentifierDoc(_Doc):
    type: Literal["serialNumber", "imei"]
    value: Annotated[str, Field(min_length=1, max_length=64)]
    description: str = ""


class DeviceDoc(_Doc):
    userPrincipalName: str
    deviceName: str = ""
    model: Literal["iPhone", "iPad"] = "iPhone"
    operatingSystem: Literal["iOS", "iPadOS"] | None = None
    osVersion: str = ""
    serialNumber: str = ""
    imei: str = ""
    udid: str = ""
    deviceEnrollmentType: Literal["userEnrollment", "appleUserEnrollment"]
    enrollmentProfileName: str = ""
    managedDeviceOwnerType: Literal["personal", "company"]
    managementState: str = "managed"
    enrolledDateTime: datetime | None = None
    ownerAnswer: Literal["company", "personal"] | None = None
    securityScope: Literal["entireDevice", "workOnly"] | None = None


class ScenarioDoc(_Doc):
    company: Text = "Contoso"
    themeColor: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] = "#0078D4"
    settings: SettingsDoc = SettingsDoc()
    users: list[UserDoc] = []
    groups: list[GroupDoc] = []
    profiles: list[ProfileDoc] = []
    corporateIdentifiers: list[IdentifierDoc] = []
    devices: list[DeviceDoc] = []


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _message(err: dict[str, Any]) -> str:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    if err["type"] == "extra_forbidden":
        return f"{_path(loc)}: unknown key"
    if err["type"] == "literal_error":
        return f"{_path(loc)}: {err['input']!r} is not one of {err['ctx']['expected']}"
    return f"{_path(loc)}: {err['msg']}"


def _refs(doc: ScenarioDoc) -> list[str]:
    """Every name the document refers to must exist: errors in document order."""
    errors: list[str] = []
    upns: set[str] = set()
    for i, user in enumerate(doc.users):
        key = user.upn.casefold()
        if key in upns:
            errors.append(f"users[{i}].upn: duplicate userPrincipalName '{user.upn}'")
        upns.add(key)
        if (user.password is None) == (user.passwordHash is None):
            errors.append(f"users[{i}]: give exactly one of password or passwordHash")
    kinds: dict[str, str] = {}
    for i, group in enumerate(doc.groups):
        if group.name in kinds:
            errors.append(f"groups[{i}].name: duplicate group name '{group.name}'")
        kinds[group.name] = group.kind
        if group.kind == "device" and group.members:
            errors.append(
                f"groups[{i}].members: a device group's members are devices; give a rule instead"
            )
        for j, member in enumerate(group.members if group.kind == "user" else []):
            if member.casefold() not in upns:
                errors.append(f"groups[{i}].members[{j}]: no user '{member}'")
        if group.rule is not None:
            if group.kind == "user":
                errors.append(f"groups[{i}].rule: only device groups have a membership rule here")
            else:
                try:
                    rules.validate(group.rule)
                except rules.RuleError as exc:
                    errors.append(f"groups[{i}].rule: {exc}")
    for i, profile in enumerate(doc.profiles):
        for side in ("include", "exclude"):
            for j, name in enumerate(getattr(profile.assign, side)):
                where = f"profiles[{i}].assign.{side}[{j}]"
                if name.casefold() == "all":
                    if side == "exclude":
                        errors.append(f"{where}: All users can be included, not excluded")
                elif name not in kinds:
                    errors.append(f"{where}: no group named '{name}'")
                elif kinds[name] == "device":
                    errors.append(f"{where}: '{name}' is a device group. {DEVICE_GROUPS_REFUSED}")
    seen: set[tuple[str, str]] = set()
    for i, ident in enumerate(doc.corporateIdentifiers):
        key = (ident.type, CorporateIdentifier.key(ident.value))
        if key in seen:
            errors.append(
                f"corporateIdentifiers[{i}].value: duplicate {ident.type} '{ident.value}'"
            )
        seen.add(key)
    return errors


def parse_document(data: Any) -> ScenarioDoc:
    """Validate a decoded document (dict) completely; raise ScenarioError naming every bad path."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError("(document): a scenario is a mapping of keys (company, users, ...)")
    try:
        doc = ScenarioDoc.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError("; ".join(_message(e) for e in exc.errors())) from None
    errors = _refs(doc)
    if errors:
        raise ScenarioError("; ".join(errors))
    return doc


def parse_text(text: str, source: str = "scenario") -> ScenarioDoc:
    """YAML (and so JSON, a subset of it) text to a validated document."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML or JSON"
        raise ScenarioError(f"{source}: {problem}{where}") from None
    return parse_document(data)


def parse_file(path: str | Path) -> ScenarioDoc:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: {exc.strerror}") from None
    return parse_text(text, source=str(path))


def clear_tenant(tenant_id: str) -> None:
    """Delete everything a tenant holds, keeping the tenant (id and token) itself.

    Plain Core DELETEs on the session's connection: no ORM bookkeeping per statement, and the
    memberships go first in two statements instead of one cascade per deleted user and group.
    """
    connection = db.session.connection()
    for model in (PortalWalk, ManagedDevice, JournalEvent, CorporateIdentifier):
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
    db.session.expire_all()  # nothing loaded before may outlive the rows it stood for


@lru_cache(maxsize=256)
def _seed_hash(password: str) -> str:
    """Scenarios reuse a few test passwords, and a suite seeds hundreds of tenants with them:
    hash each once per process (PBKDF2 is the slowest step of a seed) — salted as always."""
    return hash_password(password)


def load_into(tenant: Tenant, doc: ScenarioDoc) -> None:
    """Write a validated document into an empty tenant, inside the caller's transaction.

    Rows go in as bulk INSERTs (one statement per table), which keeps create and reset of a
    test-sized tenant within a few milliseconds.
    """
    tenant.company = doc.company
    tenant.theme_color = doc.themeColor.upper()
    tenant.mdm_authority = doc.settings.mdmAuthority
    tenant.apns_expires = doc.settings.apnsCertificateExpires
    tenant.ownership_behavior = doc.settings.ownershipBehavior
    tenant.fast_profile_install = doc.settings.fastProfileInstall
    tenant.faults = None
    session = db.session
    session.flush()
    tid = tenant.id
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
                "mail_nickname": local,
                "enabled": u.enabled,
                "managed_apple_id": u.managedAppleId,
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
    for priority, p in enumerate(doc.profiles):
        profile_id = new_id()
        profile_rows.append(
            {
                "id": profile_id,
                "tenant_id": tid,
                "name": p.name,
                "description": p.description,
                "platform": p.platform,
                "default_enrollment_type": p.defaultEnrollmentType,
                "enrollment_type_options": list(CONSOLE_OPTIONS) if p.requireUserChoice else [],
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
        }
        for ident in doc.corporateIdentifiers
    ]
    device_rows = [
        {
            "id": new_id(),
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
            "owner_type": d.managedDeviceOwnerType,
            "owner_answer": d.ownerAnswer,
            "security_scope": d.securityScope,
            "management_state": d.managementState,
            "enrolled_at": d.enrolledDateTime or datetime.now(UTC),
        }
        for d in doc.devices
    ]
    for table, rows in (
        (User.__table__, user_rows),
        (Group.__table__, group_rows),
        (user_group_members, member_rows),
        (EnrollmentProfile.__table__, profile_rows),
        (ProfileAssignment.__table__, assignment_rows),
        (CorporateIdentifier.__table__, identifier_rows),
        (ManagedDevice.__table__, device_rows),
    ):
        if rows:
            session.execute(insert(table), rows)


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


def _assign_names(tenant_id: str) -> dict[str, dict[str, list[str]]]:
    """Each profile's included and excluded group names (`all` for All users), in one query."""
    rows = db.session.execute(
        select(ProfileAssignment.profile_id, ProfileAssignment.target, Group.name)
        .join(EnrollmentProfile, EnrollmentProfile.id == ProfileAssignment.profile_id)
        .outerjoin(Group, Group.id == ProfileAssignment.group_id)
        .where(EnrollmentProfile.tenant_id == tenant_id)
        .order_by(ProfileAssignment.profile_id, ProfileAssignment.position)
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
        select(User).where(User.tenant_id == tid).order_by(User.created_at, User.upn)
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
    members, assignments = _members(tid), _assign_names(tid)
    devices = session.scalars(
        select(ManagedDevice)
        .where(ManagedDevice.tenant_id == tid)
        .order_by(ManagedDevice.enrolled_at)
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
                members=members.get(g.id, []),
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
                assign=AssignDoc(**assignments.get(p.id, {})),
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
