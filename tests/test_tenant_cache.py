"""The request's tenant is reused only while the database says it is unchanged: another worker's
write, a deleted tenant and a recreated one are seen at once (app/store/tenant_cache.py)."""

from __future__ import annotations

import pytest

from app import create_app
from app.scenarios import create_tenant
from app.store import Tenant, db, get_tenant, transaction


@pytest.fixture
def other_worker(database_url, app):
    """A second app on the same database: another gunicorn worker, with its own cache."""
    with app.app_context():
        db.session.get(Tenant, "default")  # the first app has set up the database
    other = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test"}
    )
    yield other
    with other.app_context():
        db.engine.dispose()


def lookup(app, tenant_id: str):
    with app.app_context():
        tenant = get_tenant(tenant_id)
        return None if tenant is None else (tenant.device_limit, tenant.token, tenant.revision)


def test_another_workers_write_is_seen_by_the_next_lookup(app, other_worker) -> None:
    with app.app_context():
        tenant_id = create_tenant(None, "cached-tenant").id
    first = lookup(app, tenant_id)
    assert lookup(app, tenant_id) == first  # cached, same answer
    with other_worker.app_context(), transaction(tenant_id):
        db.session.get(Tenant, tenant_id).device_limit = 3
    assert lookup(app, tenant_id)[0] == 3


def test_a_deleted_then_recreated_tenant_is_never_the_cached_one(app, other_worker) -> None:
    with app.app_context():
        create_tenant(None, "again")
    old = lookup(app, "again")
    lookup(app, "again")
    with other_worker.app_context():
        with transaction():
            db.session.delete(db.session.get(Tenant, "again"))
        assert lookup(other_worker, "again") is None
        create_tenant(None, "again")
    assert lookup(app, "again") is not None and lookup(app, "again")[1] != old[1]


def test_a_cached_tenant_is_a_persistent_row_that_writes_go_through(app) -> None:
    with app.app_context():
        tenant_id = create_tenant(None, "writable").id
    lookup(app, tenant_id)
    with app.app_context():
        tenant = get_tenant(tenant_id)  # from the cache
        assert tenant in db.session and not db.session.is_modified(tenant)
        with transaction(tenant_id):
            tenant.device_limit = 7
            tenant.faults = {"config": {}, "revision": 1}
    assert lookup(app, tenant_id)[0] == 7
    with app.app_context():
        assert get_tenant(tenant_id).faults == {"config": {}, "revision": 1}
    assert lookup(app, "no-such-tenant") is None
