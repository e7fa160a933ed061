"""Directory groups and their members.

A group is a user group (members are users; the only kind a profile can be assigned to) or a device
group (members are devices). `enrollmentSimulatorGroupKind` (`user` | `device`) is the simulator's
extension property saying which; a dynamic group (`groupTypes: ["DynamicMembership"]`) whose
`membershipRule` uses `device.` properties is a device group, and its members are the recorded
devices the rule matches.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from flask import g, request
from pydantic import Field
from sqlalchemy import select

from app.db import db, iso, transaction
from app.enrollment import rules
from app.graph import bp
from app.graph.bodies import Body, given, parse
from app.graph.errors import GraphError, bad_request, not_found
from app.graph.odata import Resource, collection, entity, journal
from app.graph.users import find_user, user_json
from app.models import Group, ManagedDevice

GROUP_TYPE = "#microsoft.graph.group"
KIND = "enrollmentSimulatorGroupKind"
DYNAMIC = "DynamicMembership"
GROUPS = Resource(
    "groups",
    "microsoft.graph.group",
    (
        "id",
        "displayName",
        "description",
        "groupTypes",
        "membershipRule",
        "membershipRuleProcessingState",
        "securityEnabled",
        "mailEnabled",
        "mailNickname",
        "createdDateTime",
        KIND,
    ),
    {
        "id": str,
        "displayName": str,
        "description": str,
        "mailNickname": str,
        "securityEnabled": bool,
        "mailEnabled": bool,
        "membershipRule": str,
        KIND: str,
    },
)
Name = Annotated[str, Field(min_length=1, max_length=256)]
Nickname = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s@]+$")]
GroupType = Literal["DynamicMembership"]
_REF = re.compile(r"(?:/|\()(?:directoryObjects|users|devices|managedDevices)(?:/|\(')([^/?#'()]+)")


class GroupCreate(Body):
    displayName: Name
    description: str = ""
    mailEnabled: bool
    mailNickname: Nickname
    securityEnabled: bool
    groupTypes: list[GroupType] = []
    membershipRule: str = None  # type: ignore[assignment]
    membershipRuleProcessingState: Literal["On"] = "On"
    enrollmentSimulatorGroupKind: Literal["user", "device"] = None  # type: ignore[assignment]


class GroupUpdate(Body):
    displayName: Name = None  # type: ignore[assignment]
    description: str = None  # type: ignore[assignment]
    mailEnabled: bool = None  # type: ignore[assignment]
    mailNickname: Nickname = None  # type: ignore[assignment]
    securityEnabled: bool = None  # type: ignore[assignment]
    membershipRule: str = None  # type: ignore[assignment]


class MemberRef(Body):
    odata_id: Annotated[str, Field(alias="@odata.id", min_length=1)]


def group_json(group: Group) -> dict[str, Any]:
    return {
        "@odata.type": GROUP_TYPE,
        "id": group.id,
        "displayName": group.name,
        "description": group.description,
        "groupTypes": [DYNAMIC] if group.rule else [],
        "membershipRule": group.rule,
        "membershipRuleProcessingState": "On" if group.rule else None,
        "securityEnabled": group.security_enabled,
        "mailEnabled": group.mail_enabled,
        "mailNickname": group.mail_nickname,
        "createdDateTime": iso(group.created_at),
        KIND: group.kind,
    }


def device_object_json(device: ManagedDevice) -> dict[str, Any]:
    """A recorded device as the directory's device object (a device group's member)."""
    return {
        "@odata.type": "#microsoft.graph.device",
        "id": device.id,
        "displayName": device.device_name,
        "operatingSystem": device.operating_system,
        "operatingSystemVersion": device.os_version,
        "model": device.model,
        "manufacturer": "Apple",
        "enrollmentProfileName": device.enrollment_profile_name,
        "deviceOwnership": device.owner_type.capitalize(),
        "isManaged": True,
    }


def _check_rule(rule: str) -> None:
    try:
        rules.validate(rule)
    except rules.RuleError as exc:
        raise bad_request(
            f"Invalid value for property 'membershipRule': {exc}. The simulator evaluates "
            "dynamic device-group rules (device.* properties)."
        ) from None


def _check_name_free(name: str, group_id: str | None = None) -> None:
    other = db.session.scalar(
        select(Group).where(Group.tenant_id == g.tenant.id, Group.name == name)
    )
    if other is not None and other.id != group_id:
        raise GraphError(
            409,
            f"A group named '{name}' already exists. The simulator keeps group names unique "
            "so that scenarios and the console can refer to groups by name.",
        )


def _kind(body: GroupCreate) -> str:
    dynamic = DYNAMIC in body.groupTypes
    if dynamic and body.membershipRule is None:
        raise bad_request(
            "The property 'membershipRule' is required for a DynamicMembership group."
        )
    if not dynamic and body.membershipRule is not None:
        raise bad_request(
            "The property 'membershipRule' can only be set when groupTypes contains "
            "DynamicMembership."
        )
    if dynamic:
        _check_rule(body.membershipRule)
        if body.enrollmentSimulatorGroupKind == "user":
            raise bad_request(
                f"Invalid value \"user\" for property '{KIND}': a dynamic group's rule uses "
                "device properties, so it is a device group."
            )
        return "device"
    return body.enrollmentSimulatorGroupKind or "user"


def _group(group_id: str) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or group.tenant_id != g.tenant.id:
        raise not_found("group", group_id, directory=True)
    return group


def _devices_of(group: Group) -> list[ManagedDevice]:
    """Static device members plus the recorded devices a dynamic rule matches."""
    if not group.rule:
        return sorted(group.devices, key=lambda d: (d.enrolled_at, d.id))
    rule = rules.parse(group.rule)
    devices = db.session.scalars(
        select(ManagedDevice)
        .where(ManagedDevice.tenant_id == g.tenant.id)
        .order_by(ManagedDevice.enrolled_at, ManagedDevice.id)
    )
    return [
        d
        for d in devices
        if rule.matches(
            rules.DeviceFacts(
                enrollment_profile_name=d.enrollment_profile_name,
                device_ownership=d.owner_type,
                device_model=d.model,
                device_os_version=d.os_version,
            )
        )
    ]


@bp.get("/groups")
def list_groups():
    """Every group, oldest first."""
    groups = db.session.scalars(
        select(Group).where(Group.tenant_id == g.tenant.id).order_by(Group.created_at, Group.name)
    )
    return collection(GROUPS, [group_json(group) for group in groups])


@bp.post("/groups")
def create_group():
    """Create a user group, a device group, or a dynamic device group."""
    body = parse(GroupCreate)
    kind = _kind(body)
    with transaction(g.tenant.id):
        _check_name_free(body.displayName)
        group = Group(
            tenant_id=g.tenant.id,
            name=body.displayName,
            description=body.description,
            kind=kind,
            rule=body.membershipRule,
            mail_nickname=body.mailNickname,
            mail_enabled=body.mailEnabled,
            security_enabled=body.securityEnabled,
        )
        db.session.add(group)
        db.session.flush()
        journal("create", "group", group.id, name=group.name, kind=kind)
    return entity(GROUPS, group_json(group)), 201


@bp.get("/groups/<group_id>")
def get_group(group_id: str):
    """One group."""
    return entity(GROUPS, group_json(_group(group_id)))


@bp.patch("/groups/<group_id>")
def update_group(group_id: str):
    """Change the properties the body gives; a group's kind stays what it was created as."""
    body = parse(GroupUpdate)
    with transaction(g.tenant.id):
        group = _group(group_id)
        if given(body, "displayName"):
            _check_name_free(body.displayName, group.id)
            group.name = body.displayName
        if given(body, "membershipRule"):
            if not group.rule:
                raise bad_request(
                    "The property 'membershipRule' can only be set on a DynamicMembership group."
                )
            _check_rule(body.membershipRule)
            group.rule = body.membershipRule
        for prop, attr in (
            ("description", "description"),
            ("mailEnabled", "mail_enabled"),
            ("mailNickname", "mail_nickname"),
            ("securityEnabled", "security_enabled"),
        ):
            if given(body, prop):
                setattr(group, attr, getattr(body, prop))
        journal("update", "group", group.id, fields=sorted(body.model_fields_set))
    return "", 204


@bp.delete("/groups/<group_id>")
def delete_group(group_id: str):
    """Delete a group; profile assignments to it go with it."""
    with transaction(g.tenant.id):
        group = _group(group_id)
        journal("delete", "group", group.id, name=group.name)
        db.session.delete(group)
    return "", 204


@bp.get("/groups/<group_id>/members")
def list_members(group_id: str):
    """A user group's users, or a device group's devices."""
    group = _group(group_id)
    if group.kind == "user":
        members = [user_json(u) for u in sorted(group.users, key=lambda u: u.upn_key)]
    else:
        members = [device_object_json(d) for d in _devices_of(group)]
    properties = tuple(dict.fromkeys(k for m in members[:1] for k in m)) or ("id",)
    resource = Resource(
        f"groups('{group.id}')/members", "microsoft.graph.directoryObject", properties, {"id": str}
    )
    return collection(resource, members)


def _member_id(reference: str) -> str:
    match = _REF.search(reference)
    if match is None:
        raise bad_request(
            "Invalid value for property '@odata.id': give a directory object URL such as "
            "https://graph.microsoft.com/beta/directoryObjects/{id}."
        )
    return match.group(1)


def _static(group: Group) -> None:
    if group.rule:
        raise bad_request(
            "The members of a DynamicMembership group are computed from its membershipRule; "
            "they can't be added or removed."
        )


@bp.post("/groups/<group_id>/members/$ref")
def add_member(group_id: str):
    """Add a user (user group) or a recorded device (static device group)."""
    body = parse(MemberRef)
    member_id = _member_id(body.odata_id)
    with transaction(g.tenant.id):
        group = _group(group_id)
        _static(group)
        if group.kind == "user":
            member = find_user(member_id)
            members: list = group.users
        else:
            member = db.session.get(ManagedDevice, member_id)
            member = member if member is not None and member.tenant_id == g.tenant.id else None
            members = group.devices
        if member is None:
            kind = "user" if group.kind == "user" else "recorded device"
            raise GraphError(
                404,
                f"Resource '{member_id}' does not exist or is not a {kind}: a {group.kind} "
                f"group's members are {kind}s.",
                code="Request_ResourceNotFound",
            )
        if member in members:
            raise bad_request(
                "One or more added object references already exist for the following modified "
                "properties: 'members'."
            )
        members.append(member)
        journal("addMember", "group", group.id, member=member.id)
    return "", 204


@bp.delete("/groups/<group_id>/members/$ref")
def remove_member_by_query(group_id: str):
    """Graph's other spelling: DELETE .../members/$ref?$id=<directory object URL>."""
    reference = request.args.get("$id")
    if not reference:
        raise bad_request("Give the member to remove as $id=<directory object URL>.")
    return remove_member(group_id, _member_id(reference))


@bp.delete("/groups/<group_id>/members/<member_id>/$ref")
def remove_member(group_id: str, member_id: str):
    """Remove a member from a static group."""
    with transaction(g.tenant.id):
        group = _group(group_id)
        _static(group)
        members: list = group.users if group.kind == "user" else group.devices
        member = next((m for m in members if m.id == member_id), None)
        if member is None and group.kind == "user":
            user = find_user(member_id)
            member = user if user in members else None
        if member is None:
            raise not_found("member", member_id, directory=True)
        members.remove(member)
        journal("removeMember", "group", group.id, member=member.id)
    return "", 204
