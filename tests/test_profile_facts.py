"""Resolving reuses a tenant's loaded profiles only while nothing has changed: every write
through any face shows at once, a write transaction sees its own uncommitted changes, and the
reasons name groups by name (also the groups the user is not in)."""

from __future__ import annotations

import pytest

from app.directory import profile_facts
from app.directory.profiles import move, resolve_for_user
from app.store import EnrollmentProfile, User, db, transaction

SCENARIO = {
    "company": "Contoso",
    "users": [{"upn": "alex@contoso.com", "password": "Passw0rd!"},
              {"upn": "megan@contoso.com", "password": "Passw0rd!"}],
    "groups": [{"name": "Staff", "members": ["alex@contoso.com"]},
               {"name": "Sales", "members": ["megan@contoso.com"]}],
    "profiles": [
        {"name": "Sales UE", "assign": {"include": ["Sales"]}},
        {"name": "Staff DE", "defaultEnrollmentType": "device", "assign": {"include": ["Staff"]}},
    ],
}  # fmt: skip


def resolve(client, tenant: dict, upn: str = "alex@contoso.com") -> dict:
    response = client.get(f"/_sim/tenants/{tenant['id']}/resolve", query_string={"upn": upn})
    assert response.status_code == 200
    return response.get_json()


def graph(client, tenant: dict, method: str, path: str, body: dict | None = None):
    return client.open(
        f"/t/{tenant['id']}/beta{path}",
        method=method,
        json=body,
        headers={"Authorization": f"Bearer {tenant['token']}"},
    )


def test_reasons_name_the_groups_the_user_is_not_in(client, new_tenant):
    tenant = new_tenant(SCENARIO)
    [sales, staff] = resolve(client, tenant)["candidates"]
    assert sales["reason"] == "not a member of any included group (Sales)"
    assert staff["reason"].startswith("included by group Staff")


def test_every_change_shows_at_once(client, new_tenant):
    tenant = new_tenant(SCENARIO)
    assert resolve(client, tenant)["appliedProfile"]["name"] == "Staff DE"
    assert resolve(client, tenant)["appliedProfile"]["name"] == "Staff DE"  # from the cache
    [sales] = graph(client, tenant, "GET", "/groups?$filter=displayName eq 'Sales'").json["value"]
    assert graph(client, tenant, "PATCH", f"/groups/{sales['id']}",
                 {"displayName": "Field Sales"}).status_code == 204  # fmt: skip
    assert "(Field Sales)" in resolve(client, tenant)["candidates"][0]["reason"]

    alex = graph(client, tenant, "GET", "/users/alex@contoso.com").json["id"]
    ref = {"@odata.id": f"https://graph.microsoft.com/beta/directoryObjects/{alex}"}
    added = graph(client, tenant, "POST", f"/groups/{sales['id']}/members/$ref", ref)
    assert added.status_code == 204
    assert resolve(client, tenant)["appliedProfile"]["name"] == "Sales UE"


def test_a_write_transaction_sees_its_own_changes_and_keeps_none(app, new_tenant):
    tenant = new_tenant(SCENARIO)
    with app.app_context():
        user = (
            db.session.query(User)
            .filter_by(tenant_id=tenant["id"], upn_key="megan@contoso.com")
            .one()
        )
        assert resolve_for_user(user).applied.priority == 0
        with pytest.raises(RuntimeError), transaction(tenant["id"]):
            sales = (
                db.session.query(EnrollmentProfile)
                .filter_by(tenant_id=tenant["id"], name="Sales UE")
                .one()
            )
            move(sales, 1)
            assert resolve_for_user(user).applied.priority == 1
            raise RuntimeError("roll back")
        assert resolve_for_user(user).applied.priority == 0


def test_the_cache_keeps_a_bounded_number_of_tenants(app, client, new_tenant, monkeypatch):
    monkeypatch.setattr(profile_facts, "CACHE_SIZE", 2)
    tenants = [new_tenant(SCENARIO) for _ in range(3)]
    for tenant in tenants:
        resolve(client, tenant)
    cache = app.extensions["enrollsim.profile_facts"]
    assert list(cache) == [tenants[1]["id"], tenants[2]["id"]]
