"""The tenant of a request without loading its row through the ORM each time.

Every request of every face starts by finding its tenant. The row changes rarely, and every
change to it goes through `app.store.transaction(tenant_id)`, which bumps `Tenant.revision`:
so each request reads only (revision, token, created_at) — a deleted and recreated tenant has a
new token or creation time — and, when this process last saw the same state, puts a copy of the
cached column values into the session as a persistent row (no further SELECT; relationships
still load lazily as usual). Safe across processes and workers: the state is read from the
database on every lookup, only the columns are reused.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from app.store.database import db
from app.store.models import Tenant
from app.store.session import is_writing

CACHE_SIZE = 256  # tenants kept per app; the least recently used is dropped first

_STATE = select(Tenant.revision, Tenant.token, Tenant.created_at).where(
    Tenant.id == bindparam("tenant_id")
)
_COLUMNS = [attr.key for attr in inspect(Tenant).column_attrs]
_lock = threading.Lock()


def get_tenant(tenant_id: str) -> Tenant | None:
    """The tenant with this id in the current session, or None when there is none."""
    session = db.session
    present = session.identity_map.get(inspect(Tenant).identity_key_from_primary_key((tenant_id,)))
    if present is not None or is_writing():
        return session.get(Tenant, tenant_id)
    state = session.connection().execute(_STATE, {"tenant_id": tenant_id}).first()
    if state is None:
        return None
    key = tuple(state)
    cache: OrderedDict[str, tuple[tuple, dict[str, Any]]] = current_app.extensions.setdefault(
        "enrollsim.tenants", OrderedDict()
    )
    with _lock:
        hit = cache.get(tenant_id)
        if hit is not None and hit[0] == key:
            cache.move_to_end(tenant_id)
            return _attach(hit[1])
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        return None
    values = {name: getattr(tenant, name) for name in _COLUMNS}
    if (values["revision"], values["token"], values["created_at"]) == key:  # same state read
        with _lock:
            cache[tenant_id] = (key, copy.deepcopy(values))
            cache.move_to_end(tenant_id)
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
    return tenant


def _attach(values: dict[str, Any]) -> Tenant:
    """A persistent Tenant holding these committed values, as if just loaded."""
    tenant = inspect(Tenant).class_manager.new_instance()
    for name, value in values.items():
        set_committed_value(tenant, name, copy.deepcopy(value) if name == "faults" else value)
    make_transient_to_detached(tenant)
    db.session.add(tenant)
    return tenant
