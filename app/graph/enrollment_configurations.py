"""deviceManagement/deviceEnrollmentConfigurations: the tenant's default device limit
restriction (a deviceEnrollmentLimitConfiguration), whose `limit` is the device limit Company
Portal and the Settings app check (enrollment-today.md §5)."""

from __future__ import annotations

from typing import Annotated, Any

from flask import g
from pydantic import Field

from app.enrollment.steps import MAX_DEVICE_LIMIT
from app.graph.blueprint import bp
from app.graph.bodies import Body, given, parse
from app.graph.errors import GraphError, not_found
from app.graph.odata import Resource, collection, entity, journal
from app.store import Tenant, iso, transaction

LIMIT_TYPE = "#microsoft.graph.deviceEnrollmentLimitConfiguration"
CONFIGURATIONS = Resource(
    "deviceManagement/deviceEnrollmentConfigurations",
    "microsoft.graph.deviceEnrollmentConfiguration",
    (
        "id",
        "displayName",
        "description",
        "priority",
        "createdDateTime",
        "lastModifiedDateTime",
        "version",
        "deviceEnrollmentConfigurationType",
        "limit",
    ),
    {"id": str, "displayName": str, "priority": int, "deviceEnrollmentConfigurationType": str},
)
DEFAULT_NAME = "All users and all devices"
DEFAULT_DESCRIPTION = (
    "This is the default Device Limit Restriction applied with the lowest priority to all users "
    "regardless of group membership."
)


class LimitUpdate(Body):
    odata_type: str = Field(None, alias="@odata.type")  # type: ignore[assignment]
    limit: Annotated[int, Field(ge=1, le=MAX_DEVICE_LIMIT)] = MAX_DEVICE_LIMIT


def default_limit_id(tenant: Tenant) -> str:
    """Intune names its default restrictions `<guid>_DefaultLimit`."""
    return f"{tenant.organization_id}_DefaultLimit"


def limit_json(tenant: Tenant) -> dict[str, Any]:
    return {
        "@odata.type": LIMIT_TYPE,
        "id": default_limit_id(tenant),
        "displayName": DEFAULT_NAME,
        "description": DEFAULT_DESCRIPTION,
        "priority": 0,
        "createdDateTime": iso(tenant.created_at),
        "lastModifiedDateTime": iso(tenant.created_at),
        "version": 1,
        "deviceEnrollmentConfigurationType": "limit",
        "limit": tenant.device_limit,
    }


def _default(configuration_id: str) -> Tenant:
    if configuration_id.casefold() != default_limit_id(g.tenant).casefold():
        raise not_found("deviceEnrollmentConfiguration", configuration_id)
    return g.tenant


@bp.get("/deviceManagement/deviceEnrollmentConfigurations")
def list_enrollment_configurations():
    """The default device limit restriction (the only configuration the simulator keeps)."""
    return collection(CONFIGURATIONS, [limit_json(g.tenant)])


@bp.get("/deviceManagement/deviceEnrollmentConfigurations/<configuration_id>")
def get_enrollment_configuration(configuration_id: str):
    """One configuration by id."""
    return entity(CONFIGURATIONS, limit_json(_default(configuration_id)))


@bp.patch("/deviceManagement/deviceEnrollmentConfigurations/<configuration_id>")
def update_enrollment_configuration(configuration_id: str):
    """Change the device limit (1-15); other properties of the default restriction are fixed."""
    body = parse(LimitUpdate)
    if given(body, "odata_type") and body.odata_type != LIMIT_TYPE:
        raise GraphError(
            400, f"'@odata.type' must be {LIMIT_TYPE} for the default device limit restriction."
        )
    with transaction(g.tenant.id):
        tenant = _default(configuration_id)
        if given(body, "limit"):
            tenant.device_limit = body.limit
        journal("update", "deviceEnrollmentConfiguration", default_limit_id(tenant))
    return entity(CONFIGURATIONS, limit_json(tenant))
