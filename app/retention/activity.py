"""When a tenant was last used, for removing idle tenants: any request to any of its faces.

Written at most once a minute per tenant: each process remembers when it last wrote a tenant's
mark and skips the database until a minute has passed, and the write itself only moves a mark
that is more than a minute old, so several workers write it about once a minute together. The
mark lives in `tenant_retention`, apart from the tenant's row, so it never waits for a writer of
the tenant. It is written and committed as the request finds its tenant, before the view does
anything (never inside a transaction of the view). A failure is logged, never raised: bookkeeping
must not fail a request.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import timedelta

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from app.store import TenantRetention, db, is_writing, utcnow

EVERY_SECONDS = 60  # a tenant's mark is at most this old while it is in use
REMEMBERED = 4096  # tenants whose last write each process remembers
_lock = threading.Lock()


def seen(tenant_id: str) -> None:
    """Mark the tenant as used now (at most once a minute; cheap otherwise)."""
    if is_writing():  # inside a caller's transaction: committing here would cut it in two
        return
    if not _due(tenant_id):
        return
    now = utcnow()
    table = TenantRetention.__table__
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(tenant_id=tenant_id, last_seen_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id"],
        set_={"last_seen_at": statement.excluded.last_seen_at},
        where=(table.c.last_seen_at.is_(None))
        | (table.c.last_seen_at < now - timedelta(seconds=EVERY_SECONDS)),
    )
    session = db.session
    try:
        session.execute(statement)
        session.commit()
    except SQLAlchemyError as exc:  # a locked database, a tenant deleted meanwhile
        session.rollback()
        current_app.logger.warning("Could not mark tenant %s as used: %s", tenant_id, exc)


def _due(tenant_id: str) -> bool:
    """Whether this process last wrote the tenant's mark more than a minute ago (or never)."""
    remembered: OrderedDict[str, float] = current_app.extensions.setdefault(
        "enrollsim.tenants_seen", OrderedDict()
    )
    now = time.monotonic()
    with _lock:
        last = remembered.get(tenant_id)
        if last is not None and now - last < EVERY_SECONDS:
            return False
        remembered[tenant_id] = now
        remembered.move_to_end(tenant_id)
        while len(remembered) > REMEMBERED:
            remembered.popitem(last=False)
    return True
