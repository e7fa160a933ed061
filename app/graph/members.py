"""Group members: `GET /groups/{id}/members`, `POST .../members/$ref`, `DELETE .../$ref`.

A user group's members are users; a device group's are recorded devices — listed as the directory's
device objects, and for a dynamic group computed from its rule, so they can't be added or removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from flask import g, request
from pydantic import Field
from sqlalchemy import select

from app.enrollment import rules
from app.graph.blueprint import bp
from app.graph.bodies import Body, parse
from app.graph.errors import GraphError, bad_request, not_found
from app.graph.groups import MEMBER_LOADERS, find_group
from app.graph.odata import EXPANDED_MAX, Resource, collection, journal, query
from app.graph.urls import key_text
from app.graph.users import USER_TABLE, USERS, find_user, user_json
from app.graph.versions import view_of
from app.store import Group, ManagedDevice, User, db, transaction, user_group_members

_REF = re.compile(
    r"(?:/|\()(?:directoryObjects|users|devices|managedDevices)(?:/([^/?#()]+)|\(([^()]+)\))",
    re.I,
)


class MemberRef(Body):
    odata_id: Annotated[str, Field(alias="@odata.id", min_length=1)]


def device_object_json(device: ManagedDevice) -> dict[str, Any]:
    """A recorded device as the directory's device object (a device group's member)."""
    return view_of(
        "device",
        {
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
        },
    )


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


def _user_members(group_ids: list[str]):
    return (
        select(User)
        .join(user_group_members, user_group_members.c.user_id == User.id)
        .where(user_group_members.c.group_id.in_(group_ids))
    )


@bp.get("/groups/<group_id>/members")
def list_members(group_id: str):
    """A user group's users (paged in SQL), or a device group's devices."""
    group = find_group(group_id)
    entity_set = f"groups('{group.id}')/members"
    if group.kind == "user":
        resource = Resource(
            entity_set, USERS.type_name, USERS.properties, directory=True, page_size=100
        )
        statement = _user_members([group.id])
        return query(resource, USER_TABLE, statement, lambda rows, _: [user_json(u) for u in rows])
    members = [device_object_json(d) for d in _devices_of(group)]
    properties = tuple(dict.fromkeys(k for m in members[:1] for k in m)) or ("id",)
    resource = Resource(
        entity_set,
        "microsoft.graph.device",
        properties,
        {"id": str, "displayName": str, "operatingSystem": str, "model": str},
        directory=True,
        page_size=100,
    )
    return collection(resource, members)


def _expand_members(groups: Sequence[Group]) -> dict[str, list[dict[str, Any]]]:
    """`$expand=members` for a page of groups: at most 20 members each, as Graph expands."""
    out: dict[str, list[dict[str, Any]]] = {group.id: [] for group in groups}
    user_groups = [group.id for group in groups if group.kind == "user"]
    if user_groups:
        rows = db.session.execute(
            _user_members(user_groups)
            .add_columns(user_group_members.c.group_id)
            .order_by(User.created_at, User.upn_key)
        )
        for user, owner in rows:
            if len(out[owner]) < EXPANDED_MAX:
                out[owner].append(user_json(user))
    for group in groups:
        if group.kind != "user":
            devices = _devices_of(group)[:EXPANDED_MAX]
            out[group.id] = [device_object_json(d) for d in devices]
    return out


MEMBER_LOADERS["members"] = _expand_members


def _member_id(reference: str) -> str:
    match = _REF.search(reference)
    if match is None:
        raise bad_request(
            "Invalid value for property '@odata.id': give a directory object URL such as "
            "https://graph.microsoft.com/beta/directoryObjects/{id}."
        )
    return key_text(match.group(1) or match.group(2))


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
        group = find_group(group_id)
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
        group = find_group(group_id)
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
