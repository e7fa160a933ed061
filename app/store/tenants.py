"""Tenants in the store: ids, tokens, lookup by token, and what each one holds."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from app.store.database import db
from app.store.models import EnrollmentProfile, Group, ManagedDevice, Tenant, User

DEFAULT_TENANT = "default"


def new_tenant_id() -> str:
    """128 random bits (UUID4-like entropy, 122+), hex: unguessable and URL-safe."""
    return secrets.token_hex(16)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tenant_for_token(token: str) -> Tenant | None:
    return db.session.scalar(select(Tenant).where(Tenant.token == token))


def tenant_counts(tenant_id: str) -> dict[str, int]:
    def count(model) -> int:
        return db.session.scalar(
            select(func.count()).select_from(model).where(model.tenant_id == tenant_id)
        )

    return {
        "users": count(User),
        "groups": count(Group),
        "profiles": count(EnrollmentProfile),
        "devices": count(ManagedDevice),
    }
