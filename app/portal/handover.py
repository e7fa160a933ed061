"""Where Company Portal in `current` hands a walk over (enrollment-today.md §2): the simulated
Settings app (§3) and the web-based enrollment site (§4), for the same user and device."""

from __future__ import annotations

from urllib.parse import urlencode

from app.store import DEFAULT_TENANT, Tenant

SETTINGS_PATH = "/settings/"
WEB_ENROLLMENT_PATH = "/enrollment/webenrollment/ios"


def tenant_root(tenant: Tenant) -> str:
    """The tenant's root path: the site root for the default tenant, else /t/<id>."""
    return "" if tenant.id == DEFAULT_TENANT else f"/t/{tenant.id}"


def handover_urls(tenant: Tenant, device_query: dict[str, str], upn: str) -> dict[str, str]:
    """The start URLs of the Settings app and the web enrollment for this device and user."""
    query = urlencode({**device_query, "upn": upn})
    root = tenant_root(tenant)
    return {
        "settings": f"{root}{SETTINGS_PATH}?{query}",
        "web": f"{root}{WEB_ENROLLMENT_PATH}?{query}",
    }
