"""Resolving from the user's side (their groups, then only the profiles that target them) decides
exactly as the full trace over every profile does, and reads the others only when asked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.directory import profile_facts, profiles
from app.enrollment.resolve import ProfileFacts, resolve_profile, resolve_targeting
from app.scenarios import create_tenant, parse_document
from app.store import User, db, transaction
from bench import tenants
from tests import test_resolve

GROUPS = ["a", "b", "c", "d", "e"]
NAMES = {g: f"Group {g.upper()}" for g in GROUPS}
group_sets = st.frozensets(st.sampled_from(GROUPS))


def profile_lists() -> st.SearchStrategy[list[ProfileFacts]]:
    return test_resolve.profile_lists(group_sets, most=8, types=("user", "device", "shared"))


@given(profile_lists(), group_sets)
def test_the_fast_path_decides_as_the_full_trace(
    facts: list[ProfileFacts], user_groups: frozenset[str]
) -> None:
    ordered = tuple(sorted(facts, key=lambda p: p.priority))
    full = resolve_profile(facts, user_groups, NAMES)
    indexed = profile_facts.TenantProfiles.indexed(ordered, NAMES)
    asked = []

    def everything():
        asked.append(True)
        return indexed.explained(user_groups)

    fast = resolve_targeting(indexed.targeting(user_groups), user_groups, everything)
    assert fast.applied == full.applied
    assert fast.reason == full.reason
    assert not asked  # deciding never read the other profiles
    assert fast.candidates == full.candidates  # the trace, when opened, is the same
    assert fast.candidates is fast.candidates and len(asked) == 1  # and worked out once


def test_targeting_is_only_the_profiles_that_name_the_users_groups_or_all_users() -> None:
    def profile(i: int, **fields) -> ProfileFacts:
        return ProfileFacts(f"p{i}", f"P{i}", i, False, "device", **fields)

    facts = (
        profile(0, include_group_ids=frozenset({"a"})),
        profile(1, exclude_group_ids=frozenset({"a"})),
        profile(2, all_users=True),
        profile(3, include_group_ids=frozenset({"b", "a"})),
    )
    indexed = profile_facts.TenantProfiles.indexed(facts, {})
    assert [p.id for p in indexed.targeting({"a"})] == ["p0", "p2", "p3"]
    assert [p.id for p in indexed.targeting({"c"})] == ["p2"]


def test_the_store_decides_as_the_full_trace_in_and_out_of_a_write(app) -> None:
    """Every user of a made-up tenant: the cached index (a read) and the targeted SQL (inside a
    write transaction, where nothing is cached) decide as resolving over every profile."""
    with app.app_context():
        document = tenants.build(60, 12, 15, password=tenants.PASSWORD)
        document["users"].append({"upn": "alone@bench.test", "password": tenants.PASSWORD})
        tenant_id = create_tenant(parse_document(document), "fast-path").id
        everything = profile_facts.load(tenant_id)
        users = db.session.scalars(db.select(User).where(User.tenant_id == tenant_id)).all()
        decided = set()
        for user in users:
            groups = profiles.user_group_ids(user)
            full = resolve_profile(everything.facts, groups, everything.group_names)
            read = profiles.resolve_for_user(user)
            assert (read.applied, read.reason) == (full.applied, full.reason), user.upn
            with transaction(tenant_id):
                written = profiles.resolve_for_user(user)
                assert (written.applied, written.reason) == (full.applied, full.reason)
                assert written.candidates == full.candidates
            assert read.candidates == full.candidates
            decided.add(full.applied and full.applied.id)
        assert None in decided and len(decided) > 3  # the tenant exercises several outcomes


def test_every_profiles_reasons_are_kept_per_group_set_within_a_bound() -> None:
    """A suite reading many users' traces pays for every profile once per group set, and a
    tenant of many profiles keeps fewer group sets (the bound counts candidates)."""
    facts = tuple(
        ProfileFacts(f"p{i}", f"P{i}", i, False, "device", include_group_ids=frozenset({f"g{i}"}))
        for i in range(40)
    )
    indexed = profile_facts.TenantProfiles.indexed(facts, {})
    first = indexed.explained(frozenset({"g3"}))
    assert first == resolve_profile(facts, {"g3"}).candidates
    assert indexed.explained(frozenset({"g3"})) is first
    assert indexed.explained(frozenset({"g4"})) is not first
    for i in range(profile_facts.EXPLAINED_SIZE // len(facts) + 10):
        indexed.explained(frozenset({f"other{i}"}))
    assert len(indexed._explained) * len(facts) <= profile_facts.EXPLAINED_SIZE
    assert indexed.explained(frozenset({"g3"})) is not first  # the oldest went first
    assert indexed.explained(frozenset({"g3"})) == first
