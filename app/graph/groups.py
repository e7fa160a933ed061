"""Directory groups.

A group is a user group (members are users; the only kind a profile can be assigned to) or a device
group (members are devices). `enrollmentSimulatorGroupKind` (`user` | `device`) is the simulator's
extension property saying which; a dynamic group (`groupTypes: ["DynamicMembership"]`) whose
`membershipRule` uses `device.` properties is a device group, and its members are the recorded
devices the rule matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from flask import g
from pydantic import Field
from sqlalchemy import and_, select

from app.enrollment import rules
from app.graph import kept, kept_types
from app.graph.blueprint import bp
from app.graph.bodies import (
    Body,
    Description,
    MembershipRule,
    create_data,
    given,
    json_body,
    parse,
)
from app.graph.dates import whole_seconds
from app.graph.errors import GraphError, bad_request, not_found
from app.graph.odata import Resource, Table, entity, expanded, journal, query
from app.graph.query import filterable
from app.graph.query.fields import Field as QueryField
from app.graph.query.fields import type_fields
from app.graph.versions import view_of
from app.store import Group, db, transaction
from app.tenancy import tenant_row

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
        *kept_types.GROUP.names,
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
    expandable=frozenset({"members", "memberOf"}),
    directory=True,
    page_size=100,
)
_RULE = and_(Group.rule.is_not(None), Group.rule != "")
# Filters and pages run in SQL: where each filterable property lives (app.graph.query.fields);
# groupTypes and membershipRuleProcessingState follow from whether a rule is stored.
GROUP_TABLE = Table(
    type_fields(
        GROUPS.type_name,
        filterable.GROUP,
        Group,
        id=Group.id,
        displayName=Group.name,
        description=Group.description,
        mailNickname=Group.mail_nickname,
        securityEnabled=Group.security_enabled,
        mailEnabled=Group.mail_enabled,
        membershipRule=Group.rule,
        createdDateTime=Group.created_at,
        groupTypes=((~_RULE, []), (_RULE, [DYNAMIC])),
        membershipRuleProcessingState=((~_RULE, None), (_RULE, "On")),
        mail=QueryField("mail", "Edm.String"),
        **{KIND: Group.kind},
    ),
    (Group.created_at, Group.name, Group.id),
)
# `$expand=members` is loaded by app.graph.members (it knows device groups): group id -> JSON.
MEMBER_LOADERS: dict[str, Callable[[Sequence[Group]], dict[str, list[dict[str, Any]]]]] = {}
Name = Annotated[str, Field(min_length=1, max_length=256)]
Nickname = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s@]+$")]
GroupType = Literal["DynamicMembership"]


class GroupCreate(Body):
    displayName: Name
    description: Description = ""
    mailEnabled: bool
    mailNickname: Nickname
    securityEnabled: bool
    groupTypes: list[GroupType] = []
    membershipRule: MembershipRule = None  # type: ignore[assignment]
    membershipRuleProcessingState: Literal["On"] = "On"
    enrollmentSimulatorGroupKind: Literal["user", "device"] = None  # type: ignore[assignment]


class GroupUpdate(Body):
    displayName: Name = None  # type: ignore[assignment]
    description: Description = None  # type: ignore[assignment]
    mailEnabled: bool = None  # type: ignore[assignment]
    mailNickname: Nickname = None  # type: ignore[assignment]
    securityEnabled: bool = None  # type: ignore[assignment]
    membershipRule: MembershipRule = None  # type: ignore[assignment]


def group_json(group: Group) -> dict[str, Any]:
    return view_of(
        "group",
        {
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
            "createdDateTime": whole_seconds(group.created_at),
            **kept.shown(kept_types.GROUP, group.graph_extra()),
            KIND: group.kind,
        },
    )


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


def find_group(group_id: str) -> Group:
    group = tenant_row(Group, group_id)
    if group is None:
        raise not_found("group", group_id, directory=True)
    return group


def groups_json(groups: Sequence[Group], expand) -> list[dict[str, Any]]:
    """A page of groups in Graph's JSON with the expansions asked for (loaded for the page)."""
    out = [group_json(group) for group in groups]
    names = {e.name for e in expand}
    if "members" in names and groups:
        members = MEMBER_LOADERS["members"](groups)
        for data in out:
            data["members"] = members[data["id"]]
    if "memberOf" in names:
        for data in out:  # the simulator's groups are never members of other groups
            data["memberOf"] = []
    return out


@bp.get("/groups")
def list_groups():
    """Every group, oldest first, 100 a page."""
    statement = select(Group).where(Group.tenant_id == g.tenant.id)
    return query(GROUPS, GROUP_TABLE, statement, groups_json)


# <collection>/$count gets its own endpoint: a second rule of one endpoint would make werkzeug
# redirect the default tenant's URL (its rules carry defaults) to the other rule.
bp.add_url_rule("/groups/$count", "count_groups", list_groups)


@bp.post("/groups")
def create_group():
    """Create a user group, a device group, or a dynamic device group."""
    data = create_data()
    body = parse(GroupCreate, data)
    extra = kept.accept(kept_types.GROUP, data)
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
        group.keep_graph(extra)
        db.session.add(group)
        db.session.flush()
        journal("create", "group", group.id, name=group.name, kind=kind)
    return entity(GROUPS, group_json(group)), 201


@bp.get("/groups/<group_id>")
def get_group(group_id: str):
    """One group."""
    return entity(GROUPS, groups_json([find_group(group_id)], expanded(GROUPS))[0])


@bp.patch("/groups/<group_id>")
def update_group(group_id: str):
    """Change the properties the body gives; a group's kind stays what it was created as."""
    data = json_body()
    body = parse(GroupUpdate, data)
    extra = kept.accept(kept_types.GROUP, data)
    with transaction(g.tenant.id):
        group = find_group(group_id)
        group.keep_graph(extra)
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
        journal("update", "group", group.id, fields=sorted(body.model_fields_set | set(extra)))
    return "", 204


@bp.delete("/groups/<group_id>")
def delete_group(group_id: str):
    """Delete a group; profile assignments to it go with it."""
    with transaction(g.tenant.id):
        group = find_group(group_id)
        journal("delete", "group", group.id, name=group.name)
        db.session.delete(group)
    return "", 204
