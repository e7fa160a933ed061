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
from app.graph.groups import GROUPS, group_json
from app.graph.odata import Resource, collection, entity, journal
from app.graph.versions import view_of
from app.store import User, db, transaction

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


@bp.get("/users")
def list_users():
    """Every user, oldest first."""
    users = db.session.scalars(
        select(User).where(User.tenant_id == g.tenant.id).order_by(User.created_at, User.upn_key)
    )
    return collection(USERS, [user_json(u) for u in users])


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
    return entity(USERS, user_json(_user(key)))


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
    groups = sorted(user.groups, key=lambda group: (group.created_at, group.name))
    resource = Resource(
        f"users('{user.id}')/memberOf",
        "microsoft.graph.directoryObject",
        GROUPS.properties,
        GROUPS.filterable,
    )
    return collection(resource, [group_json(group) for group in groups])
