"""`GET /users/delta` and `/groups/delta`: Graph's change tracking.

The first call (no token) pages through every user or group and ends with `@odata.deltaLink`;
calling that link returns only what changed since (created or changed objects in full, deleted
ones as `{"id", "@removed": {"reason": "deleted"}}`), ending with a new deltaLink. Positions are
ids of app.store.changes rows, written in the transaction of each change; a page is a keyset range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from flask import g, request
from sqlalchemy import func, select

from app.graph.blueprint import bp
from app.graph.errors import GraphError
from app.graph.groups import GROUP_TABLE, GROUPS, groups_json
from app.graph.odata import Resource, Table, context, project
from app.graph.query import options as opt
from app.graph.query import paging
from app.graph.users import USER_TABLE, USERS, users_json
from app.store import Group, User, db
from app.store.changes import RESET, DirectoryChange, latest

PAGE = 100
DELTA_OPTIONS = {"$select", "$deltatoken", "$skiptoken"}


def _link(**args: str) -> str:
    return f"{request.base_url}?{urlencode(args, safe='$')}"


def _resync() -> GraphError:
    return GraphError(
        410,
        "The delta token is no longer valid: the directory was rewritten since (a scenario load "
        "or reset), or the changes since it were pruned (ENROLLSIM_JOURNAL_MAX_AGE). Start a new "
        "sync without a token.",
        code="syncStateNotFound",
    )


def _token(options: dict[str, str]) -> dict[str, Any]:
    if "$skiptoken" in options:
        return paging.decode(options["$skiptoken"])
    if "$deltatoken" in options:
        state = paging.decode(options["$deltatoken"], "$deltatoken")
        if type(state.get("s")) is not int:
            raise paging.bad_token("$deltatoken")
        return {**state, "u": latest(db.session, g.tenant.id)}
    return {"u": latest(db.session, g.tenant.id)}


def _delta(
    resource: Resource,
    table: Table,
    model: Any,
    kind: str,
    page_json: Callable[[Sequence[Any], list], list[dict[str, Any]]],
) -> dict[str, Any]:
    options = opt.raw_options(DELTA_OPTIONS)
    state = _token(options)
    upto = state.get("u")
    if type(upto) is not int:
        raise paging.bad_token()
    # The links keep the first call's $select, as Graph's state tokens do.
    text = options.get("$select", state.get("sel"))
    chosen = opt.select(
        text if isinstance(text, str) else None, resource.known(), resource.type_name
    )
    kept = {"sel": ",".join(chosen)} if chosen else {}
    if chosen and "id" not in chosen:  # a delta item always says which object it is
        chosen = ["id", *chosen]
    body: dict[str, Any] = {"@odata.context": context(resource.entity_set, chosen)}
    if "s" not in state:  # the initial sync: every object, a keyset page at a time
        statement = select(model).where(model.tenant_id == g.tenant.id)
        if "k" in state:
            after = paging.key_of(state, len(table.key))
            statement = statement.where(paging.after(table.key, after))
        rows = db.session.scalars(statement.order_by(*table.key).limit(PAGE + 1)).all()
        values = [project(e, chosen, ()) for e in page_json(rows[:PAGE], [])]
        if len(rows) > PAGE:
            last = rows[PAGE - 1]
            key = [getattr(last, column.key) for column in table.key]
            body["@odata.nextLink"] = _link(
                **{"$skiptoken": paging.encode({"u": upto, "k": key, **kept})}
            )
        else:
            body["@odata.deltaLink"] = _link(**{"$deltatoken": paging.encode({"s": upto, **kept})})
        body["value"] = values
        return body
    since, cursor = state["s"], state.get("c", 0)
    if type(since) is not int or type(cursor) is not int:
        raise paging.bad_token()
    reset = db.session.scalar(
        select(func.max(DirectoryChange.id)).where(
            DirectoryChange.tenant_id == g.tenant.id, DirectoryChange.kind == RESET
        )
    )
    if reset is not None and reset > since:
        raise _resync()
    last = func.max(DirectoryChange.id).label("last")
    changed = db.session.execute(
        select(DirectoryChange.object_id, last)
        .where(
            DirectoryChange.tenant_id == g.tenant.id,
            DirectoryChange.kind == kind,
            DirectoryChange.id > since,
            DirectoryChange.id <= upto,
        )
        .group_by(DirectoryChange.object_id)
        .having(last > cursor)
        .order_by(last)
        .limit(PAGE + 1)
    ).all()
    page = changed[:PAGE]
    ids = [object_id for object_id, _ in page]
    live = {
        row.id: row
        for row in db.session.scalars(
            select(model).where(model.tenant_id == g.tenant.id, model.id.in_(ids))
        )
    }
    present = [live[i] for i in ids if i in live]
    by_id = {e["id"]: project(e, chosen, ()) for e in page_json(present, [])}
    body["value"] = [by_id.get(i, {"id": i, "@removed": {"reason": "deleted"}}) for i in ids]
    if len(changed) > PAGE:
        token = paging.encode({"s": since, "u": upto, "c": page[-1][1], **kept})
        body["@odata.nextLink"] = _link(**{"$skiptoken": token})
    else:
        body["@odata.deltaLink"] = _link(**{"$deltatoken": paging.encode({"s": upto, **kept})})
    return body


@bp.get("/users/delta")
def users_delta():
    """Users created, changed or deleted since the delta link's position (all, the first time)."""
    return _delta(USERS, USER_TABLE, User, "user", users_json)


@bp.get("/groups/delta")
def groups_delta():
    """Groups created, changed or deleted since the delta link's position (all, the first time)."""
    return _delta(GROUPS, GROUP_TABLE, Group, "group", groups_json)
