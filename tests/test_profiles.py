"""app/profiles.py: priorities stay 0..n-1 through every change, even concurrent ones."""

from __future__ import annotations

import itertools
import random
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.directory import profiles
from app.scenarios import create_tenant, parse_document
from app.store import EnrollmentProfile, Group, Tenant, User, db, transaction

_tenant_numbers = itertools.count()


def new_tenant(doc: dict | None = None) -> Tenant:
    return create_tenant(parse_document(doc) if doc else None, f"profiles-{next(_tenant_numbers)}")


def tenant_with_profiles(profile_names) -> str:
    """A new tenant holding these profiles, in this priority order; its id."""
    tid = new_tenant().id
    with transaction(tid):
        for name in profile_names:
            profiles.add(new_profile(tid, name))
    return tid


def new_profile(tenant_id: str, name: str, **fields) -> EnrollmentProfile:
    return EnrollmentProfile(tenant_id=tenant_id, name=name, **fields)


def names(tenant_id: str) -> list[str]:
    rows = profiles.ordered(tenant_id)
    assert [p.priority for p in rows] == list(range(len(rows)))
    return [p.name for p in rows]


def by_name(tenant_id: str, name: str) -> EnrollmentProfile:
    return next(p for p in profiles.ordered(tenant_id) if p.name == name)


def test_add_goes_to_the_end_or_where_asked(app) -> None:
    with app.app_context():
        tid = tenant_with_profiles(("A", "B", "C"))
        assert names(tid) == ["A", "B", "C"]
        with transaction(tid):
            profiles.add(new_profile(tid, "top"), priority=0)
            profiles.add(new_profile(tid, "middle"), priority=2)
            profiles.add(new_profile(tid, "clamped high"), priority=99)
            profiles.add(new_profile(tid, "clamped low"), priority=-5)
        assert names(tid) == ["clamped low", "top", "A", "middle", "B", "C", "clamped high"]


def test_move_renumbers_the_others(app) -> None:
    with app.app_context():
        tid = tenant_with_profiles("ABCD")
        with transaction(tid):
            profiles.move(by_name(tid, "D"), 0)
        assert names(tid) == ["D", "A", "B", "C"]
        with transaction(tid):
            profiles.move(by_name(tid, "D"), 2)
        assert names(tid) == ["A", "B", "D", "C"]
        with transaction(tid):
            profiles.move(by_name(tid, "A"), 100)
        assert names(tid) == ["B", "D", "C", "A"]


def test_reorder_puts_listed_first_and_keeps_the_rest_in_order(app) -> None:
    with app.app_context():
        tid = tenant_with_profiles("ABCD")
        ids = {p.name: p.id for p in profiles.ordered(tid)}
        with transaction(tid):
            result = profiles.reorder(tid, [ids["C"], ids["A"]])
        assert [p.name for p in result] == ["C", "A", "B", "D"]
        assert names(tid) == ["C", "A", "B", "D"]


@pytest.mark.parametrize(
    ("make_ids", "message"),
    [
        (lambda ids: [ids[0], "nope"], "No profile with id 'nope' in this tenant."),
        (lambda ids: [ids[1], ids[1]], "A profile is listed twice in the new order."),
    ],
)
def test_reorder_refuses_bad_lists_and_changes_nothing(app, make_ids, message) -> None:
    with app.app_context():
        tid = tenant_with_profiles("ABC")
        ids = [p.id for p in profiles.ordered(tid)]
        with pytest.raises(profiles.ProfileError) as caught, transaction(tid):
            profiles.reorder(tid, make_ids(ids))
        assert caught.value.message == message
        assert names(tid) == ["A", "B", "C"]


def test_reorder_refuses_a_profile_of_another_tenant(app) -> None:
    with app.app_context():
        mine, other = new_tenant().id, new_tenant().id
        with transaction(other):
            stranger = profiles.add(new_profile(other, "X"))
        with pytest.raises(profiles.ProfileError, match="No profile with id"), transaction(mine):
            profiles.reorder(mine, [stranger.id])


def test_remove_closes_the_gap(app) -> None:
    with app.app_context():
        tid = tenant_with_profiles("ABCD")
        with transaction(tid):
            profiles.remove(by_name(tid, "B"))
        assert names(tid) == ["A", "C", "D"]
        with transaction(tid):
            profiles.remove(by_name(tid, "A"))
            profiles.remove(by_name(tid, "D"))
        assert names(tid) == ["C"]


def test_tenants_number_their_profiles_independently(app) -> None:
    with app.app_context():
        first, second = new_tenant().id, new_tenant().id
        with transaction(first):
            profiles.add(new_profile(first, "A"))
        with transaction(second):
            profiles.add(new_profile(second, "B"))
        assert names(first) == ["A"] and names(second) == ["B"]


# Assignments: only user groups of the same tenant.

GROUPS_DOC = {
    "users": [{"upn": "alex@contoso.com", "password": "pw"}],
    "groups": [
        {"name": "BYOD Users", "members": ["alex@contoso.com"]},
        {"name": "Contractors"},
        {"name": "iPads", "kind": "device", "rule": 'device.deviceModel -eq "iPad"'},
    ],
}


def group(tenant_id: str, name: str) -> Group:
    return Group.query.filter_by(tenant_id=tenant_id, name=name).one()


def test_device_group_is_refused_with_the_documented_message(app) -> None:
    with app.app_context():
        tid = new_tenant(GROUPS_DOC).id
        with pytest.raises(profiles.ProfileError) as caught:
            profiles.check_target_group(group(tid, "iPads"), tid)
        assert caught.value.field == "groupId"
        assert caught.value.message == (
            "Device groups aren't supported for User Enrollment scenarios because the feature is "
            "based on user identities, rather than devices."
        )
        assert caught.value.message == profiles.DEVICE_GROUPS_REFUSED


def test_missing_or_foreign_group_is_refused(app) -> None:
    with app.app_context():
        tid, other = new_tenant(GROUPS_DOC).id, new_tenant(GROUPS_DOC).id
        for candidate in (None, group(other, "BYOD Users")):
            with pytest.raises(profiles.ProfileError, match="No such group in this tenant."):
                profiles.check_target_group(candidate, tid)
        assert profiles.check_target_group(group(tid, "BYOD Users"), tid).name == "BYOD Users"


def test_set_assignments_replaces_them_and_refuses_device_groups_without_change(app) -> None:
    with app.app_context():
        tid = new_tenant(GROUPS_DOC).id
        byod, contractors = group(tid, "BYOD Users"), group(tid, "Contractors")
        with transaction(tid):
            profile = profiles.add(new_profile(tid, "P"))
            profiles.set_assignments(profile, all_users=True, include=[byod], exclude=[contractors])
        facts = profiles.facts(by_name(tid, "P"))
        assert facts.all_users
        assert facts.include_group_ids == {byod.id}
        assert facts.exclude_group_ids == {contractors.id}

        with pytest.raises(profiles.ProfileError), transaction(tid):
            profiles.set_assignments(
                by_name(tid, "P"), all_users=False, include=[group(tid, "iPads")], exclude=[]
            )
        assert profiles.facts(by_name(tid, "P")) == facts

        with transaction(tid):
            profiles.set_assignments(
                by_name(tid, "P"), all_users=False, include=[byod, byod], exclude=[byod]
            )
        stored = by_name(tid, "P").assignments
        assert [(a.target, a.group_id, a.position) for a in stored] == [
            ("include", byod.id, 0),
            ("exclude", byod.id, 1),
        ]
        assert profiles.resolve_for_user(User.query.filter_by(tenant_id=tid).one()).applied is None

        with transaction(tid):
            profiles.set_assignments(by_name(tid, "P"), all_users=False, include=[], exclude=[])
        facts = profiles.facts(by_name(tid, "P"))
        assert not facts.all_users and not facts.include_group_ids and not facts.exclude_group_ids


def test_resolve_for_user_on_the_demo_tenant(app) -> None:
    expected = {
        "alex@contoso.com": "BYOD Choice",
        "megan@contoso.com": "BYOD Choice",  # also in Sales: priority decides
        "lee@contoso.com": "Sales User Enrollment",
        "diego@contoso.com": "Corporate Device Enrollment",
        "nestor@contoso.com": None,  # excluded as a contractor
        "patti@contoso.com": None,
        "isaiah@contoso.com": "BYOD Choice",
    }
    with app.app_context():
        for upn, profile_name in expected.items():
            user = User.query.filter_by(tenant_id="default", upn_key=upn).one()
            resolution = profiles.resolve_for_user(user)
            assert (resolution.applied and resolution.applied.name) == profile_name, upn
        nestor = User.query.filter_by(tenant_id="default", upn_key="nestor@contoso.com").one()
        byod = profiles.resolve_for_user(nestor).candidates[0]
        assert byod.reason == (
            "excluded by group Contractors (exclusion wins over inclusion by group BYOD Users)"
        )
        # Groups the user is not in are named too, never shown as bare ids.
        alex = User.query.filter_by(tenant_id="default", upn_key="alex@contoso.com").one()
        reasons = [c.reason for c in profiles.resolve_for_user(alex).candidates]
        assert reasons[1] == "not a member of any included group (Sales)"
        assert reasons[2] == "not a member of any included group (Corporate Staff)"


# Property: any sequence of add/move/remove/reorder keeps priorities 0..n-1, in the right order.

operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.none() | st.integers(-2, 8)),
        st.tuples(st.just("move"), st.integers(0, 10), st.integers(-2, 8)),
        st.tuples(st.just("remove"), st.integers(0, 10)),
        st.tuples(st.just("reorder"), st.permutations(range(8)), st.integers(0, 8)),
    ),
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_priorities_stay_contiguous_after_any_changes(app, ops) -> None:
    with app.app_context():
        tid = new_tenant().id  # a fresh tenant per example
        model: list[str] = []
        counter = itertools.count()
        for op in ops:
            with transaction(tid):
                current = profiles.ordered(tid)
                if op[0] == "add":
                    name = f"P{next(counter)}"
                    profiles.add(new_profile(tid, name), priority=op[1])
                    at = len(model) if op[1] is None else max(0, min(op[1], len(model)))
                    model.insert(at, name)
                elif not current:
                    continue
                elif op[0] == "move":
                    profile = current[op[1] % len(current)]
                    profiles.move(profile, op[2])
                    model.remove(profile.name)
                    model.insert(max(0, min(op[2], len(model))), profile.name)
                elif op[0] == "remove":
                    profile = current[op[1] % len(current)]
                    profiles.remove(profile)
                    model.remove(profile.name)
                else:
                    order = [i for i in op[1] if i < len(current)][: op[2]]
                    profiles.reorder(tid, [current[i].id for i in order])
                    listed = [model[i] for i in order]
                    model = listed + [n for n in model if n not in listed]
            assert names(tid) == model


# Two admins reordering at once against a SQLite file: no duplicates, no gaps, no lost writes.


def test_concurrent_reorders_never_give_duplicates_or_gaps(app) -> None:
    with app.app_context():
        tid = new_tenant().id
        with transaction(tid):
            for n in range(6):
                profiles.add(new_profile(tid, f"P{n}"))
        all_names = set(names(tid))
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def admin(seed: int) -> None:
        rng = random.Random(seed)
        try:
            with app.app_context():
                start.wait()
                for _ in range(15):
                    with transaction(tid):
                        current = profiles.ordered(tid)
                        if rng.random() < 0.5:
                            ids = [p.id for p in current]
                            rng.shuffle(ids)
                            profiles.reorder(tid, ids[: rng.randint(1, len(ids))])
                        else:
                            profiles.move(rng.choice(current), rng.randint(0, len(current)))
                    db.session.remove()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=admin, args=(seed,)) for seed in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with app.app_context():
        assert set(names(tid)) == all_names  # names() also checks 0..n-1
        revision = db.session.get(Tenant, tid).revision
        assert revision >= 1 + 30  # every write went through the tenant lock
