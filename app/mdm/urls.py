"""The exchange's absolute URLs under a tenant's root (the site root for the default tenant)."""

from __future__ import annotations

from urllib.parse import quote

from app.security.hosts import external_url
from app.store import DEFAULT_TENANT, Tenant

DISCOVERY_PATH = "/.well-known/com.apple.remotemanagement"
ENROLL_PATH = "/EnrollmentServer/PostReportDeviceInfoForUEV2"
AUTHENTICATE_PATH = "/EnrollmentServer/authenticate"
CHECKIN_PATH = "/EnrollmentServer/checkin"
SERVER_PATH = "/EnrollmentServer/mdm"
LOGIN_SCHEME = "apple-remotemanagement-user-login://authentication-results"


def tenant_root(tenant: Tenant) -> str:
    base = external_url("control.health").removesuffix("/_sim/health")
    return base if tenant.id == DEFAULT_TENANT else f"{base}/t/{tenant.id}"


def enroll_url(tenant: Tenant) -> str:
    """The service discovery document's BaseURL."""
    return f"{tenant_root(tenant)}{ENROLL_PATH}?aadTenantId={quote(tenant.id)}"


def authenticate_url(tenant: Tenant) -> str:
    return f"{tenant_root(tenant)}{AUTHENTICATE_PATH}"


def checkin_url(tenant: Tenant, enrollment_id: str) -> str:
    return f"{tenant_root(tenant)}{CHECKIN_PATH}?enrollment={quote(enrollment_id)}"


def login_redirect(token: str) -> str:
    return f"{LOGIN_SCHEME}?access-token={quote(token)}"
