"""Control API for suites: the journal, the decision trace and fault injection (issue 5)."""

from __future__ import annotations

import re
from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from app.automation import faults, journal, trace
from app.automation.faults import FaultConfig
from app.control.blueprint import bp
from app.control.schemas import (
    ErrorBody,
    Event,
    EventPage,
    EventsQuery,
    ResolveQuery,
    Trace,
    api,
    validation_message,
)
from app.control.views import ControlError, json_body
from app.store import User, db, iso, transaction
from app.store.retention import journal_pruned
from app.tenancy import get_tenant_or_404

TYPE_FILTER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*(\.\*)?$")
NOT_FOUND = {400: ErrorBody, 401: ErrorBody, 404: ErrorBody}
PRUNING = {"prunedThrough", "prunedDateTime", "eventsDropped"}  # only once the journal was pruned


def _query(model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ControlError(400, "InvalidQuery", validation_message(exc)) from None


def _cursor(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdigit() or len(after) > 18:
        raise ControlError(400, "InvalidCursor", f"after: {after!r} is not a cursor of this API")
    return int(after)


def _types(value: str | None) -> list[str]:
    types = [t.strip() for t in (value or "").split(",") if t.strip()]
    for type_ in types:
        if not TYPE_FILTER.match(type_):
            raise ControlError(
                400, "InvalidQuery", f"type: {type_!r} is not an event type like portal.signIn"
            )
    return types


@bp.get("/tenants/<tenant_id>/events")
@api(query=EventsQuery, responses={200: EventPage, **NOT_FOUND})
def events(tenant_id: str):
    """The tenant's journal, oldest first; `after` continues from an earlier answer's cursor."""
    tenant = get_tenant_or_404(tenant_id)
    query: EventsQuery = _query(EventsQuery)
    after = _cursor(query.after)
    rows = journal.events(
        tenant.id, types=_types(query.type), user=query.user, after=after, limit=query.top
    )
    value = [
        Event(id=str(e.id), time=iso(e.time), type=e.type, user=e.user, detail=e.detail or {})
        for e in rows
    ]
    cursor = value[-1].id if value else query.after
    # Read after the events: a pass pruning in between makes the answer say so, never the reverse.
    pruned = journal_pruned(tenant.id)
    if pruned is None:
        return EventPage(value=value, cursor=cursor).body(exclude=PRUNING)
    return EventPage(
        value=value,
        cursor=cursor,
        prunedThrough=str(pruned.through),
        prunedDateTime=iso(pruned.at),
        eventsDropped=after is None or after < pruned.through,
    ).body()


@bp.get("/tenants/<tenant_id>/resolve")
@api(query=ResolveQuery, responses={200: Trace, **NOT_FOUND})
def resolve(tenant_id: str):
    """Which profile applies to a user, every candidate with the group that decided, and where
    each possible answer leads (enrollment type and ownership) on the given device."""
    tenant = get_tenant_or_404(tenant_id)
    query: ResolveQuery = _query(ResolveQuery)
    user = db.session.scalar(
        select(User).where(User.tenant_id == tenant.id, User.upn_key == query.upn.casefold())
    )
    if user is None:
        raise ControlError(404, "NotFound", f"No user '{query.upn}' in this tenant.")
    result = trace.build(tenant, user, query.serialNumber, query.imei, os_version=query.osVersion)
    result["device"] = {
        "osVersion": query.osVersion,
        "serialNumber": query.serialNumber,
        "imei": query.imei,
    }
    return trace_body(result)


def trace_body(result: dict[str, Any]) -> dict[str, Any]:
    """The trace as its schema writes it. The candidates (one per profile of the tenant) are
    built by `trace.candidate_json` with fixed types, already in the schema's key order: checking
    each of them on every call cost more than the rest of the trace at hundreds of profiles, so
    the schema checks the rest (tests/test_control_resolve_body.py proves the bytes are the same
    as checking it all)."""
    body = Trace.model_validate({**result, "candidates": []}).body()
    body["candidates"] = result["candidates"]
    return body


@bp.get("/tenants/<tenant_id>/faults")
@api(responses={200: FaultConfig, **NOT_FOUND})
def get_faults(tenant_id: str):
    """The tenant's fault injection settings (all null when none are set)."""
    return faults.current(get_tenant_or_404(tenant_id)).model_dump(mode="json")


@bp.put("/tenants/<tenant_id>/faults")
@api(body=FaultConfig, responses={200: FaultConfig, **NOT_FOUND})
def put_faults(tenant_id: str):
    """Make the tenant's Graph API and portal slow or failing; a seed makes it repeatable."""
    tenant = get_tenant_or_404(tenant_id)
    data = json_body()
    if not isinstance(data, dict):
        raise ControlError(400, "InvalidFaults", '(body): a JSON object like {"graph": {...}}')
    try:
        config = FaultConfig.model_validate(data)
    except ValidationError as exc:
        raise ControlError(400, "InvalidFaults", validation_message(exc)) from None
    with transaction(tenant.id):
        faults.store(tenant, config)
        journal.record(tenant.id, "control.faults", **config.model_dump(mode="json"))
    return config.model_dump(mode="json")


@bp.delete("/tenants/<tenant_id>/faults")
@api(responses={204: None, **NOT_FOUND})
def delete_faults(tenant_id: str):
    """Stop injecting faults into the tenant."""
    tenant = get_tenant_or_404(tenant_id)
    with transaction(tenant.id):
        faults.store(tenant, None)
        journal.record(tenant.id, "control.faultsCleared")
    return "", 204
