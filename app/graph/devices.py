"""Managed devices: the outcomes the Company Portal recorded, as Graph's managedDevice.

Read them, change the ownership (the admin's change — the user's answers never do), retire or
delete them.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import g
from sqlalchemy import select, true
from sqlalchemy.orm import defer

from app.graph.blueprint import bp
from app.graph.bodies import Body, given, parse
from app.graph.errors import not_found
from app.graph.odata import Resource, Table, entity, journal, query
from app.graph.query import filterable
from app.graph.query.fields import type_fields
from app.store import ManagedDevice, db, iso, transaction
from app.tenancy import tenant_row

DEVICE_TYPE = "#microsoft.graph.managedDevice"
DEVICES = Resource(
    "deviceManagement/managedDevices",
    "microsoft.graph.managedDevice",
    (
        "id",
        "deviceName",
        "userId",
        "userPrincipalName",
        "enrolledByUserPrincipalName",
        "emailAddress",
        "operatingSystem",
        "osVersion",
        "model",
        "manufacturer",
        "serialNumber",
        "imei",
        "udid",
        "enrolledDateTime",
        "lastSyncDateTime",
        "deviceEnrollmentType",
        "managedDeviceOwnerType",
        "ownerType",
        "enrollmentProfileName",
        "managementState",
        "managementAgent",
    ),
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
# Filters and pages run in SQL: where each filterable property lives (app.graph.query.fields).
DEVICE_TABLE = Table(
    type_fields(
        DEVICES.type_name,
        filterable.primitive(DEVICES.type_name),
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
        lastSyncDateTime=ManagedDevice.enrolled_at,
        deviceEnrollmentType=ManagedDevice.enrollment_type,
        managedDeviceOwnerType=ManagedDevice.owner_type,
        ownerType=ManagedDevice.owner_type,
        enrollmentProfileName=ManagedDevice.enrollment_profile_name,
        managementState=ManagedDevice.management_state,
        managementAgent=((true(), "mdm"),),
    ),
    (ManagedDevice.enrolled_at, ManagedDevice.id),
)


class DeviceUpdate(Body):
    managedDeviceOwnerType: Literal["company", "personal"] = None  # type: ignore[assignment]


def device_json(device: ManagedDevice) -> dict[str, Any]:
    return {
        "@odata.type": DEVICE_TYPE,
        "id": device.id,
        "deviceName": device.device_name,
        "userId": device.user_id,
        "userPrincipalName": device.user_principal_name,
        "enrolledByUserPrincipalName": device.user_principal_name,
        "emailAddress": device.user_principal_name,
        "operatingSystem": device.operating_system,
        "osVersion": device.os_version,
        "model": device.model,
        "manufacturer": "Apple",
        "serialNumber": device.serial_number,
        "imei": device.imei,
        "udid": device.udid,
        "enrolledDateTime": iso(device.enrolled_at),
        "lastSyncDateTime": iso(device.enrolled_at),
        "deviceEnrollmentType": device.enrollment_type,
        "managedDeviceOwnerType": device.owner_type,
        "ownerType": device.owner_type,
        "enrollmentProfileName": device.enrollment_profile_name,
        "managementState": device.management_state,
        "managementAgent": "mdm",
    }


def _device(device_id: str) -> ManagedDevice:
    device = tenant_row(ManagedDevice, device_id)
    if device is None:
        raise not_found("managedDevice", device_id)
    return device


@bp.get("/deviceManagement/managedDevices")
def list_devices():
    """Every recorded device, oldest enrollment first (the trace is never loaded for a list)."""
    statement = (
        select(ManagedDevice)
        .where(ManagedDevice.tenant_id == g.tenant.id)
        .options(defer(ManagedDevice.trace))
    )
    return query(DEVICES, DEVICE_TABLE, statement, lambda rows, _: [device_json(d) for d in rows])


# <collection>/$count gets its own endpoint: a second rule of one endpoint would make werkzeug
# redirect the default tenant's URL (its rules carry defaults) to the other rule.
bp.add_url_rule("/deviceManagement/managedDevices/$count", "count_devices", list_devices)


@bp.get("/deviceManagement/managedDevices/<device_id>")
def get_device(device_id: str):
    """One recorded device."""
    return entity(DEVICES, device_json(_device(device_id)))


@bp.patch("/deviceManagement/managedDevices/<device_id>")
def update_device(device_id: str):
    """The admin changes a device's ownership (personal or company)."""
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
    return entity(DEVICES, device_json(device))


@bp.delete("/deviceManagement/managedDevices/<device_id>")
def delete_device(device_id: str):
    """Forget a recorded device."""
    with transaction(g.tenant.id):
        device = _device(device_id)
        journal("delete", "managedDevice", device.id, user=device.user_principal_name)
        db.session.delete(device)
    return "", 204


@bp.post("/deviceManagement/managedDevices/<device_id>/retire")
def retire_device(device_id: str):
    """Retire: the device is marked retirePending, as Intune shows it until the device checks in."""
    with transaction(g.tenant.id):
        device = _device(device_id)
        device.management_state = "retirePending"
        journal("retire", "managedDevice", device.id, user=device.user_principal_name)
    return "", 204
