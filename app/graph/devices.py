"""Managed devices: the outcomes the Company Portal recorded, as Graph's managedDevice.

Read them (app/graph/device_json.py: every property of Graph's type), change the ownership (the
admin's change — the user's answers never do) and what a tool may note on them, or delete them;
the remote actions are app/graph/device_actions.py.
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Annotated, Any, Literal

from flask import g
from pydantic import Field
from sqlalchemy import Text, cast, func, select, true
from sqlalchemy.engine import Row

from app.graph import schema
from app.graph.blueprint import bp
from app.graph.bodies import Body, given, parse
from app.graph.device_json import WRITABLE, device_json
from app.graph.errors import not_found
from app.graph.odata import Resource, Table, collection, entity, journal, query
from app.graph.query import filterable
from app.graph.query.fields import type_fields
from app.graph.users import find_user
from app.graph.versions import BETA, version, view_of
from app.store import ManagedDevice, User, db, limits, transaction
from app.tenancy import tenant_row

DEVICES = Resource(
    "deviceManagement/managedDevices",
    "microsoft.graph.managedDevice",
    schema.beta_properties("managedDevice"),
    {
        "id": str,
        "deviceName": str,
        "userId": str,
        "userPrincipalName": str,
        "enrollmentProfileName": str,
        "managedDeviceOwnerType": str,
        "deviceEnrollmentType": str,
        "operatingSystem": str,
        "model": str,
        "serialNumber": str,
        "managementState": str,
    },
    page_size=1000,  # Intune pages managedDevices at 1,000
)
# Derived at read time from the device's id or kept properties (app/graph/device_json.py), not
# held in a column: a filter on them is refused as unsupported rather than answered wrongly.
DERIVED = frozenset(
    {
        "azureADDeviceId",
        "azureActiveDirectoryDeviceId",
        "wiFiMacAddress",
        "totalStorageSpaceInBytes",
        "freeStorageSpaceInBytes",
        "managedDeviceName",
        "userDisplayName",
        "deviceCategoryDisplayName",
        "notes",
        "managementCertificateExpirationDate",
    }
)
# Filters and pages run in SQL: where each filterable property lives (app.graph.query.fields).
DEVICE_TABLE = Table(
    type_fields(
        DEVICES.type_name,
        tuple(n for n in filterable.primitive(DEVICES.type_name) if n not in DERIVED),
        ManagedDevice,
        id=ManagedDevice.id,
        deviceName=ManagedDevice.device_name,
        userId=ManagedDevice.user_id,
        userPrincipalName=ManagedDevice.user_principal_name,
        enrolledByUserPrincipalName=ManagedDevice.user_principal_name,
        emailAddress=ManagedDevice.user_principal_name,
        operatingSystem=ManagedDevice.operating_system,
        osVersion=ManagedDevice.os_version,
        model=ManagedDevice.model,
        manufacturer=((true(), "Apple"),),
        serialNumber=ManagedDevice.serial_number,
        imei=ManagedDevice.imei,
        udid=ManagedDevice.udid,
        enrolledDateTime=ManagedDevice.enrolled_at,
        lastSyncDateTime=func.coalesce(ManagedDevice.last_sync_at, ManagedDevice.enrolled_at),
        deviceEnrollmentType=ManagedDevice.enrollment_type,
        managedDeviceOwnerType=ManagedDevice.owner_type,
        ownerType=ManagedDevice.owner_type,
        enrollmentProfileName=ManagedDevice.enrollment_profile_name,
        managementState=ManagedDevice.management_state,
        managementAgent=((true(), "mdm"),),
        # What every device the simulator records reports (app/graph/device_json.py), so a
        # filter on them answers as the list shows them.
        deviceType=(
            (ManagedDevice.model == "iPad", "iPad"),
            (ManagedDevice.model != "iPad", "iPhone"),
        ),
        chassisType=(
            (ManagedDevice.model == "iPad", "tablet"),
            (ManagedDevice.model != "iPad", "phone"),
        ),
        complianceState=((true(), "compliant"),),
        jailBroken=((true(), "False"),),
        isSupervised=((true(), False),),
        isEncrypted=((true(), True),),
        aadRegistered=((true(), True),),
        azureADRegistered=((true(), True),),
        deviceRegistrationState=((true(), "registered"),),
        exchangeAccessState=((true(), "none"),),
        lostModeState=((true(), "disabled"),),
        partnerReportedThreatState=((true(), "unknown"),),
        autopilotEnrolled=((true(), False),),
        easActivated=((true(), False),),
    ),
    (ManagedDevice.enrolled_at, ManagedDevice.id),
    rows=True,
)
# What a page of the list reads, in one SELECT of plain rows (no ORM objects): every column but
# the trace, and the user's display name (Graph's userDisplayName) from the same query.
# Table columns, not ORM attributes: SQLAlchemy then reuses its compiled statement's result map
# as it is (a third of the query's time).
_DEVICES, _USERS = ManagedDevice.__table__, User.__table__
LIST_COLUMNS = (
    *(
        # As its text: a row is then all plain values, the key of its JSON (_listed_json).
        cast(column, Text).label(column.key) if column.key == "graph_properties" else column
        for column in _DEVICES.columns
        if column.key != "trace"
    ),
    _USERS.c.display_name.label("user_display_name"),
)
_LIST = select(*LIST_COLUMNS).select_from(
    _DEVICES.outerjoin(_USERS, _USERS.c.id == _DEVICES.c.user_id)
)
# A row as device_json reads it: by attribute, at a tuple's cost.
ListedDevice = namedtuple("ListedDevice", [column.key for column in LIST_COLUMNS])  # type: ignore[misc]


class DeviceUpdate(Body):
    """What a tool may change on a device; Intune ignores the read-only rest of a body."""

    managedDeviceOwnerType: Literal["company", "personal"] = None  # type: ignore[assignment]
    notes: Annotated[str, Field(max_length=limits.DESCRIPTION)] | None = None
    managedDeviceName: Annotated[str, Field(min_length=1, max_length=256)] = None  # type: ignore[assignment]
    roleScopeTagIds: Annotated[
        list[Annotated[str, Field(max_length=64)]], Field(max_length=100)
    ] = None  # type: ignore[assignment]


def device_view(device: ManagedDevice) -> dict[str, Any]:
    """The device as the request's version shows it."""
    name = device.user.display_name if device.user is not None else None
    return view_of("managedDevice", device_json(device, name))


def _device(device_id: str) -> ManagedDevice:
    device = tenant_row(ManagedDevice, device_id)
    if device is None:
        raise not_found("managedDevice", device_id)
    return device


@bp.get("/deviceManagement/managedDevices")
def list_devices():
    """Every recorded device, oldest enrollment first (the trace is never loaded for a list)."""
    statement = _LIST.where(ManagedDevice.tenant_id == g.tenant.id)
    return query(DEVICES, DEVICE_TABLE, statement, _page_json)


def _page_json(rows: Sequence[Row], _expand: object) -> list[dict[str, Any]]:
    shown = [_listed_json(tuple(row)) for row in rows]
    return shown if version() == BETA else [view_of("managedDevice", d) for d in shown]


@lru_cache(maxsize=2048)
def _listed_json(values: tuple) -> dict[str, Any]:
    """The JSON of a device from every column the list reads: the same values always give the
    same JSON, so a device a list shows again is not built again until one of them changes.
    The dict is shared between requests: read only (project and view_of make new ones)."""
    device = ListedDevice._make(values)
    kept = json.loads(device.graph_properties) if device.graph_properties else None
    return device_json(device._replace(graph_properties=kept), device.user_display_name)


# <collection>/$count gets its own endpoint: a second rule of one endpoint would make werkzeug
# redirect the default tenant's URL (its rules carry defaults) to the other rule.
bp.add_url_rule("/deviceManagement/managedDevices/$count", "count_devices", list_devices)


@bp.get("/deviceManagement/managedDevices/<device_id>")
def get_device(device_id: str):
    """One recorded device."""
    return entity(DEVICES, device_view(_device(device_id)))


@bp.patch("/deviceManagement/managedDevices/<device_id>")
def update_device(device_id: str):
    """The admin changes a device's ownership (personal or company), its notes, name or tags."""
    body = parse(DeviceUpdate)
    with transaction(g.tenant.id):
        device = _device(device_id)
        if given(body, "managedDeviceOwnerType"):
            before = device.owner_type
            device.owner_type = body.managedDeviceOwnerType
            journal(
                "setOwnership",
                "managedDevice",
                device.id,
                before=before,
                after=device.owner_type,
                user=device.user_principal_name,
            )
        kept = {name: getattr(body, name) for name in WRITABLE if given(body, name)}
        if kept:
            device.keep_graph(kept)
            journal(
                "update",
                "managedDevice",
                device.id,
                fields=sorted(kept),
                user=device.user_principal_name,
            )
    return entity(DEVICES, device_view(device))


@bp.delete("/deviceManagement/managedDevices/<device_id>")
def delete_device(device_id: str):
    """Forget a recorded device."""
    with transaction(g.tenant.id):
        device = _device(device_id)
        journal("delete", "managedDevice", device.id, user=device.user_principal_name)
        db.session.delete(device)
    return "", 204


@bp.get("/users/<key>/managedDevices")
def user_devices(key: str):
    """The devices a user enrolled (Graph's user navigation property)."""
    user = find_user(key)
    if user is None:
        raise not_found("user", key, directory=True)
    devices = db.session.scalars(
        select(ManagedDevice)
        .where(ManagedDevice.tenant_id == g.tenant.id, ManagedDevice.user_id == user.id)
        .order_by(ManagedDevice.enrolled_at, ManagedDevice.id)
    )
    resource = replace(DEVICES, entity_set=f"users('{user.id}')/managedDevices")
    return collection(resource, [device_view(d) for d in devices])
