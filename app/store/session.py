"""The one place that owns transactions: written together or not at all, one tenant at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.store.database import db
from app.store.models import Tenant

_WRITING = "enrollsim.writing"


@contextmanager
def transaction(tenant_id: str | None = None) -> Iterator[None]:
    """Everything inside is written together or not at all.

    With a tenant id, the tenant's row is locked first, so that concurrent writers of one tenant
    (two admins reordering profiles, say) run one after the other and each sees the other's result.
    """
    session = db.session
    session.info[_WRITING] = session.info.get(_WRITING, 0) + 1
    try:
        if tenant_id is not None:
            session.execute(
                Tenant.__table__.update()
                .where(Tenant.id == tenant_id)
                .values(revision=Tenant.revision + 1)
            )
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info[_WRITING] -= 1


def is_writing() -> bool:
    """Whether the session is inside `transaction()`: what it reads may not be committed yet."""
    return bool(db.session.info.get(_WRITING))
