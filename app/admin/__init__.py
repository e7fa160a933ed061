"""Blueprint: the admin console, laid out like the Endpoint Manager admin center."""

from app.admin import (  # noqa: F401  (each module registers its routes on bp)
    console_lock,
    views_activity,
    views_branding,
    views_devices,
    views_groups,
    views_profiles,
    views_scenario,
    views_tenant,
    views_users,
    views_wizard,
)
from app.admin.blueprint import bp

__all__ = ["bp"]
