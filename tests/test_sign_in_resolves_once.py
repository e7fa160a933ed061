"""Sign-in decides the profile once: the walk's context and the decision it stores come from the
same resolution (issue 15, item 4), and it keeps what decided, not every profile (item 3)."""

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
    # Sign-in reads only the profiles that target the user: the walk keeps what decided.
    assert counted["load"] == 0
    with app.app_context():
        (walk,) = db.session.scalars(select(PortalWalk).filter_by(tenant_id=tenant["id"]))
        stored = walk.state["decision"]
    assert "trace" not in walk.state and "candidates" not in stored
    assert stored["appliedProfile"]["name"] == "Staff UE"
    assert [c["name"] for c in stored["deciding"]] == ["BYOD Choice", "Staff UE"]
    assert [c["applied"] for c in stored["deciding"]] == [False, True]
    assert stored["deciding"][0]["reason"].startswith("excluded by group Staff")
    assert stored["otherProfiles"] == 1  # Nobody's
