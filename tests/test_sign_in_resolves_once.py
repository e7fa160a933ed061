"""Sign-in decides the profile once: the walk's context and the decision trace it stores come
from the same resolution (issue 15, item 4)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.directory import profile_facts, profiles
from app.store import PortalWalk, db
from tests.portal_walker import Walker, profile, scenario


@pytest.fixture
def counted(monkeypatch):
    """How many times sign-in resolved, and read the tenant's every profile."""
    calls = {"resolve": 0, "load": 0}
    resolve, load = profiles.resolve_for_user, profile_facts.load

    def counting_resolve(user):
        calls["resolve"] += 1
        return resolve(user)

    def counting_load(tenant_id):
        calls["load"] += 1
        return load(tenant_id)

    for module in ("app.portal.walks", "app.automation.trace"):
        monkeypatch.setattr(f"{module}.resolve_for_user", counting_resolve)
    monkeypatch.setattr(profile_facts, "load", counting_load)
    return calls


def test_sign_in_resolves_once_and_stores_the_same_decision(app, client, new_tenant, counted):
    doc = scenario(
        profiles=[
            profile("BYOD Choice", include=["All"], exclude=["Staff"]),
            profile("Staff UE", choice=False),
            profile("Nobody's", include=[]),
        ]
    )
    tenant = new_tenant(doc)
    w = Walker(client, tenant).open()
    w.sign_in()
    assert w.status == 200
    assert counted["resolve"] == 1
    assert counted["load"] == 1  # the trace's every profile, read once, inside sign-in
    with app.app_context():
        (walk,) = db.session.scalars(select(PortalWalk).filter_by(tenant_id=tenant["id"]))
        stored = walk.state["trace"]
    assert stored["appliedProfile"]["name"] == "Staff UE"
    assert [c["name"] for c in stored["candidates"]] == ["BYOD Choice", "Staff UE", "Nobody's"]
    assert [c["applied"] for c in stored["candidates"]] == [False, True, False]
    assert stored["candidates"][0]["reason"].startswith("excluded by group Staff")
