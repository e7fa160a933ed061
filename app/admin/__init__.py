"""Blueprint: the admin console, laid out like the Endpoint Manager admin center."""

from flask import Blueprint, g, request

from app.tenancy import face_url

bp = Blueprint("admin", __name__)

NAV_ITEMS = [
    ("profiles", "Enrollment type profiles", "▤"),
    ("users", "Users", "👤"),
    ("groups", "Groups", "👥"),
    ("devices", "Devices", "📱"),
    ("tenant", "Tenant administration", "⚙"),
    ("check_user", "Check a user", "✓"),
    ("activity", "Activity", "☰"),
]
_SECTION_OF = {  # endpoint prefix -> nav entry it belongs to
    "profile": "profiles",
    "wizard": "profiles",
    "user": "users",
    "group": "groups",
    "device": "devices",
    "tenant": "tenant",
    "identifier": "tenant",
    "check": "check_user",
    "activity": "activity",
}


@bp.context_processor
def _layout() -> dict:
    endpoint = (request.endpoint or "").split(".")[-1]
    active = next((nav for prefix, nav in _SECTION_OF.items() if endpoint.startswith(prefix)), "")
    return {
        "nav_items": NAV_ITEMS,
        "active_nav": active,
        "portal_url": face_url("portal", "start", g.tenant.id),
    }


from app.admin import (  # noqa: E402,F401
    views_activity,
    views_devices,
    views_groups,
    views_profiles,
    views_tenant,
    views_users,
    views_wizard,
)
