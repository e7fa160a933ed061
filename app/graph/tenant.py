"""Tenant settings: organization and its MDM authority, deviceManagement with intuneBrand (the
company name and colour in Company Portal), and the Apple push notification certificate."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated, Any

from flask import g
from pydantic import Field

from app.directory import branding
from app.graph.blueprint import bp
from app.graph.bodies import Body, given, json_body, parse
from app.graph.branding import IntuneBrandBody, intune_brand_changes, intune_brand_json
from app.graph.dates import whole_seconds
from app.graph.errors import not_found
from app.graph.odata import Resource, base_url, collection, entity, journal
from app.graph.versions import complex_view_of, view_of
from app.store import Tenant, db, transaction

ORGANIZATION = Resource(
    "organization",
    "microsoft.graph.organization",
    ("id", "displayName", "mobileDeviceManagementAuthority", "createdDateTime", "verifiedDomains"),
    {"id": str, "displayName": str},
)
DEVICE_MANAGEMENT = Resource(
    "deviceManagement",
    "microsoft.graph.deviceManagement",
    ("id", "intuneBrand", "subscriptionState"),
)
APNS = Resource(
    "deviceManagement/applePushNotificationCertificate",
    "microsoft.graph.applePushNotificationCertificate",
    (
        "id",
        "appleIdentifier",
        "topicIdentifier",
        "expirationDateTime",
        "lastModifiedDateTime",
        "certificateUploadStatus",
        "certificateSerialNumber",
    ),
)


class DeviceManagementUpdate(Body):
    intuneBrand: IntuneBrandBody = None  # type: ignore[assignment]


class ApnsUpdate(Body):
    appleIdentifier: Annotated[str, Field(max_length=200)] = None  # type: ignore[assignment]
    expirationDateTime: Annotated[datetime | None, Field(strict=False)] = None


def _domain(tenant: Tenant) -> str:
    words = "".join(ch for ch in tenant.company.lower() if ch.isalnum()) or "contoso"
    return f"{words}.onmicrosoft.com"


def organization_json(tenant: Tenant) -> dict[str, Any]:
    return view_of(
        "organization",
        {
            "@odata.type": "#microsoft.graph.organization",
            "id": tenant.organization_id,
            "displayName": tenant.company,
            "mobileDeviceManagementAuthority": tenant.mdm_authority,
            "createdDateTime": whole_seconds(tenant.created_at),
            "verifiedDomains": [
                {"name": _domain(tenant), "isDefault": True, "isInitial": True, "type": "Managed"}
            ],
        },
    )


def device_management_json(tenant: Tenant) -> dict[str, Any]:
    return view_of(
        "deviceManagement",
        {
            "@odata.type": "#microsoft.graph.deviceManagement",
            "id": tenant.organization_id,
            "subscriptionState": "active",
            "intuneBrand": intune_brand_json(tenant.default_branding),
        },
    )


def apns_json(tenant: Tenant) -> dict[str, Any]:
    expires = tenant.apns_expires
    return view_of(
        "applePushNotificationCertificate",
        {
            "@odata.type": "#microsoft.graph.applePushNotificationCertificate",
            "id": tenant.organization_id,
            "appleIdentifier": tenant.apns_apple_identifier,
            "topicIdentifier": f"com.apple.mgmt.External.{tenant.organization_id}",
            "expirationDateTime": whole_seconds(datetime.combine(expires, time(), UTC))
            if expires
            else None,
            "lastModifiedDateTime": whole_seconds(tenant.created_at),
            "certificateUploadStatus": "success" if expires else "notUploaded",
            "certificateSerialNumber": tenant.organization_id.replace("-", "")[:16].upper()
            if expires
            else None,
        },
    )


@bp.get("/organization")
def list_organization():
    """The one organization of the tenant."""
    return collection(ORGANIZATION, [organization_json(g.tenant)])


def _organization(organization_id: str) -> Tenant:
    if organization_id != g.tenant.organization_id:
        raise not_found("organization", organization_id, directory=True)
    return g.tenant


@bp.get("/organization/<organization_id>")
def get_organization(organization_id: str):
    """The organization by id."""
    return entity(ORGANIZATION, organization_json(_organization(organization_id)))


@bp.post("/organization/<organization_id>/setMobileDeviceManagementAuthority")
def set_mdm_authority(organization_id: str):
    """Set the MDM authority to Intune (what the portal's prerequisite check looks at)."""
    json_body(required=False)
    with transaction(g.tenant.id):
        tenant = _organization(organization_id)
        tenant.mdm_authority = "intune"
        journal("setMobileDeviceManagementAuthority", "organization", tenant.organization_id)
    # Graph answers with an Int32: the authority now set (1 = intune).
    return {"@odata.context": f"{_metadata()}#Edm.Int32", "value": 1}


def _metadata() -> str:
    return f"{base_url()}/$metadata"


@bp.get("/deviceManagement")
def get_device_management():
    """The tenant's Intune settings, with the Company Portal branding."""
    return entity(DEVICE_MANAGEMENT, device_management_json(g.tenant))


@bp.get("/deviceManagement/intuneBrand")
def get_intune_brand():
    """The Company Portal branding alone (the default branding profile's legacy view)."""
    return {
        "@odata.context": f"{_metadata()}#deviceManagement/intuneBrand",
        **complex_view_of("intuneBrand", intune_brand_json(g.tenant.default_branding)),
    }


@bp.patch("/deviceManagement")
def update_device_management():
    """Change the Company Portal branding: every intuneBrand property the body gives is written
    to the default branding profile; the others keep their values."""
    body = parse(DeviceManagementUpdate)
    with transaction(g.tenant.id):
        tenant = g.tenant
        changes = {}
        if body.intuneBrand is not None:
            changes = intune_brand_changes(body.intuneBrand)
            branding.update(tenant.default_branding, changes)
        journal("update", "deviceManagement", tenant.organization_id, fields=sorted(changes))
        db.session.flush()
        data = entity(DEVICE_MANAGEMENT, device_management_json(tenant))
    return data


@bp.get("/deviceManagement/applePushNotificationCertificate")
def get_apns():
    """The APNs certificate; expirationDateTime is null when none was uploaded."""
    return entity(APNS, apns_json(g.tenant))


@bp.patch("/deviceManagement/applePushNotificationCertificate")
def update_apns():
    """Renew (or, with a past date, expire) the certificate: expirationDateTime, appleIdentifier."""
    body = parse(ApnsUpdate)
    with transaction(g.tenant.id):
        tenant = g.tenant
        if given(body, "expirationDateTime"):
            expires = body.expirationDateTime
            if expires is not None and expires.tzinfo is None:
                expires = expires.replace(tzinfo=UTC)
            tenant.apns_expires = expires.astimezone(UTC).date() if expires else None
        if given(body, "appleIdentifier"):
            tenant.apns_apple_identifier = body.appleIdentifier
        journal("update", "applePushNotificationCertificate", tenant.organization_id)
    return entity(APNS, apns_json(tenant))
