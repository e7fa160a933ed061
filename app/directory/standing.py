"""The user's standing for the checks every release makes (enrollment-today.md §5): the Intune
licence and how many devices the user already has against the tenant's device limit."""

from __future__ import annotations

from sqlalchemy import func, select

from app.enrollment.steps import UserStanding
from app.store import ManagedDevice, Tenant, User, db


def user_standing(tenant: Tenant, user: User) -> UserStanding:
    """Read now, inside the caller's transaction: a walk checks at sign-in and again at the end."""
    count = db.session.scalar(
        select(func.count())
        .select_from(ManagedDevice)
        .where(ManagedDevice.tenant_id == tenant.id, ManagedDevice.user_id == user.id)
    )
    return UserStanding(
        licensed=user.intune_licensed, device_count=count or 0, device_limit=tenant.device_limit
    )
