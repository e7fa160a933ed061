"""Directory users: the people who sign in to the Company Portal.

`enrollmentSimulatorHasManagedAppleId` is the simulator's extension property: whether the user has
a Managed Apple ID, which User Enrollment needs (default true).
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import g
from pydantic import Field
from sqlalchemy import select

from app.graph import kept, kept_types
from app.graph.blueprint import bp
from app.graph.bodies import Body, create_data, given, json_body, parse
from app.graph.dates import whole_seconds
from app.graph.errors import GraphError, not_found
from app.graph.groups import GROUP_TABLE, GROUPS, group_json
from app.graph.odata import (
    EXPANDED_MAX,
    Resource,
    Table,
    entity,
    expanded,
    journal,
    query,
)
from app.graph.query import filterable
from app.graph.query.fields import BOOLEAN, type_fields
from app.graph.query.fields import Field as QueryField
from app.graph.versions import view_of
from app.store import Group, User, db, transaction, user_group_members

USER_TYPE = "#microsoft.graph.user"
MANAGED_APPLE_ID = "enrollmentSimulatorHasManagedAppleId"
USERS = Resource(
    "users",
    "microsoft.graph.user",
    (
        "id",
        "accountEnabled",
        "displayName",
        "mailNickname",
        "userPrincipalName",
        "mail",
        "createdDateTime",
        *(name for name in kept_types.USER.names if name != "mail"),
        MANAGED_APPLE_ID,
    ),
    {
        "id": str,
        "accountEnabled": bool,
        "displayName": str,
        "mailNickname": str,
        "userPrincipalName": str,
        "mail": str,
        MANAGED_APPLE_ID: bool,
    },
    expandable=frozenset({"memberOf"}),
    directory=True,
    page_size=100,
)
# Filters and pages run in SQL: where each filterable property lives (app.graph.query.fields).
USER_TABLE = Table(
    type_fields(
        USERS.type_name,
        filterable.USER,
        User,
        id=User.id,
        accountEnabled=User.enabled,
        displayName=User.display_name,
        mailNickname=User.mail_nickname,
        userPrincipalName=QueryField("userPrincipalName", "Edm.String", User.upn_key, folded=True),
        mail=QueryField("mail", "Edm.String", User.upn_key, folded=True),
        createdDateTime=User.created_at,
        **{MANAGED_APPLE_ID: QueryField(MANAGED_APPLE_ID, BOOLEAN, User.managed_apple_id)},
    ),
    (User.created_at, User.upn_key),
)
Upn = Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Name = Annotated[str, Field(min_length=1, max_length=256)]
Nickname = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s@]+$")]


class PasswordProfile(Body):
    password: Annotated[str, Field(min_length=1, max_length=256)]
    forceChangePasswordNextSignIn: bool = False


class UserCreate(Body):
    accountEnabled: bool
    displayName: Name
    mailNickname: Nickname
    userPrincipalName: Upn
    passwordProfile: PasswordProfile
    enrollmentSimulatorHasManagedAppleId: bool = True


class UserUpdate(Body):
    accountEnabled: bool = None  # type: ignore[assignment]
    displayName: Name = None  # type: ignore[assignment]
    mailNickname: Nickname = None  # type: ignore[assignment]
    userPrincipalName: Upn = None  # type: ignore[assignment]
    passwordProfile: PasswordProfile = None  # type: ignore[assignment]
    enrollmentSimulatorHasManagedAppleId: bool = None  # type: ignore[assignment]


def user_json(user: User) -> dict[str, Any]:
    stored = user.graph_extra()
    return view_of(
        "user",
        {
            "@odata.type": USER_TYPE,
            "id": user.id,
            "accountEnabled": user.enabled,
            "displayName": user.display_name,
            "mailNickname": user.mail_nickname,
            "userPrincipalName": user.upn,
            "createdDateTime": whole_seconds(user.created_at),
            **kept.shown(kept_types.USER, stored),
            "mail": stored.get("mail", user.upn),
            MANAGED_APPLE_ID: user.managed_apple_id,
        },
    )


def find_user(key: str) -> User | None:
    """A user of this tenant by id or by userPrincipalName (any case)."""
    user = db.session.get(User, key)
    if user is not None and user.tenant_id == g.tenant.id:
        return user
    return db.session.scalar(
        select(User).where(User.tenant_id == g.tenant.id, User.upn_key == key.casefold())
    )


def _user(key: str) -> User:
    user = find_user(key)
    if user is None:
        raise not_found("user", key, directory=True)
    return user


def _check_upn_free(upn: str, user_id: str | None = None) -> None:
    other = db.session.scalar(
        select(User).where(User.tenant_id == g.tenant.id, User.upn_key == upn.casefold())
    )
    if other is not None and other.id != user_id:
        raise GraphError(
            400,
            "Another object with the same value for property userPrincipalName already exists.",
            code="Request_BadRequest",
        )


def users_json(users, expand) -> list[dict[str, Any]]:
    """A page of users in Graph's JSON; `memberOf` loaded for the page in one query."""
    out = [user_json(u) for u in users]
    if any(e.name == "memberOf" for e in expand) and users:
        groups: dict[str, list[dict[str, Any]]] = {u.id: [] for u in users}
        rows = db.session.execute(
            select(user_group_members.c.user_id, Group)
            .join(Group, Group.id == user_group_members.c.group_id)
            .where(user_group_members.c.user_id.in_(list(groups)))
            .order_by(Group.created_at, Group.name, Group.id)
        )
        for user_id, group in rows:
            if len(groups[user_id]) < EXPANDED_MAX:
                groups[user_id].append(group_json(group))
        for data in out:
            data["memberOf"] = groups[data["id"]]
    return out


@bp.get("/users")
def list_users():
    """Every user, oldest first, 100 a page."""
    return query(USERS, USER_TABLE, select(User).where(User.tenant_id == g.tenant.id), users_json)


# <collection>/$count gets its own endpoint: a second rule of one endpoint would make werkzeug
# redirect the default tenant's URL (its rules carry defaults) to the other rule.
bp.add_url_rule("/users/$count", "count_users", list_users)


@bp.post("/users")
def create_user():
    """Create a user; a userPrincipalName already taken (in any case) is a conflict."""
    data = create_data()
    body = parse(UserCreate, data)
    extra = kept.accept(kept_types.USER, data)
    with transaction(g.tenant.id):
        _check_upn_free(body.userPrincipalName)
        user = User(
            tenant_id=g.tenant.id,
            upn=body.userPrincipalName,
            password=body.passwordProfile.password,
            display_name=body.displayName,
            mail_nickname=body.mailNickname,
            enabled=body.accountEnabled,
            managed_apple_id=body.enrollmentSimulatorHasManagedAppleId,
        )
        user.keep_graph(extra)
        db.session.add(user)
        db.session.flush()
        journal("create", "user", user.id, user=user.upn)
    return entity(USERS, user_json(user)), 201


@bp.get("/users/<key>")
def get_user(key: str):
    """One user, by id or userPrincipalName."""
    user = _user(key)
    return entity(USERS, users_json([user], expanded(USERS))[0])


@bp.patch("/users/<key>")
def update_user(key: str):
    """Change the properties the body gives (a new password through passwordProfile)."""
    data = json_body()
    body = parse(UserUpdate, data)
    extra = kept.accept(kept_types.USER, data)
    with transaction(g.tenant.id):
        user = _user(key)
        user.keep_graph(extra)
        if given(body, "userPrincipalName"):
            _check_upn_free(body.userPrincipalName, user.id)
            user.set_upn(body.userPrincipalName)
        if given(body, "displayName"):
            user.display_name = body.displayName
        if given(body, "mailNickname"):
            user.mail_nickname = body.mailNickname
        if given(body, "accountEnabled"):
            user.enabled = body.accountEnabled
        if given(body, "passwordProfile"):
            user.set_password(body.passwordProfile.password)
        if given(body, MANAGED_APPLE_ID):
            user.managed_apple_id = body.enrollmentSimulatorHasManagedAppleId
        fields = sorted((body.model_fields_set | set(extra)) - {"passwordProfile"})
        journal("update", "user", user.id, user=user.upn, fields=fields)
    return "", 204


@bp.delete("/users/<key>")
def delete_user(key: str):
    """Delete a user; their group memberships go with them, recorded devices stay."""
    with transaction(g.tenant.id):
        user = _user(key)
        journal("delete", "user", user.id, user=user.upn)
        db.session.delete(user)
    return "", 204


@bp.get("/users/<key>/memberOf")
def member_of(key: str):
    """The groups a user is a member of."""
    user = _user(key)
    resource = Resource(
        f"users('{user.id}')/memberOf",
        GROUPS.type_name,
        GROUPS.properties,
        directory=True,
        page_size=100,
    )
    statement = (
        select(Group)
        .join(user_group_members, user_group_members.c.group_id == Group.id)
        .where(user_group_members.c.user_id == user.id)
    )
    return query(resource, GROUP_TABLE, statement, lambda rows, _: [group_json(g) for g in rows])
