"""Which profile applies to a user (spec §2): inclusion, exclusion, All users and priority."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.enrollment.resolve import NO_PROFILE_REASON, ProfileFacts, resolve_profile

NAMES = {"g-byod": "BYOD Users", "g-sales": "Sales", "g-contr": "Contractors", "g-corp": "Corp"}


def profile(
    name: str,
    priority: int,
    *,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    all_users: bool = False,
    choice: bool = False,
    default: str = "user",
) -> ProfileFacts:
    return ProfileFacts(
        id=f"id-{name}",
        name=name,
        priority=priority,
        require_user_choice=choice,
        default_enrollment_type=default,
        all_users=all_users,
        include_group_ids=frozenset(include),
        exclude_group_ids=frozenset(exclude),
    )


def test_included_group_applies() -> None:
    byod = profile("BYOD Choice", 0, include=("g-byod",))
    result = resolve_profile([byod], {"g-byod"}, NAMES)
    assert result.applied == byod
    (candidate,) = result.candidates
    assert candidate.included and not candidate.excluded and candidate.applied
    assert candidate.is_candidate
    assert "included by group BYOD Users" in candidate.reason
    assert result.reason == "BYOD Choice applies (priority 1)."


def test_all_users_applies_to_anyone() -> None:
    everyone = profile("Everyone", 0, all_users=True)
    result = resolve_profile([everyone], set(), NAMES)
    assert result.applied == everyone
    assert "included by All users" in result.candidates[0].reason


@pytest.mark.parametrize(
    ("assignment", "inclusion"),
    [
        ({"include": ("g-byod",)}, "inclusion by group BYOD Users"),
        ({"all_users": True}, "inclusion by All users"),
    ],
)
def test_exclusion_wins_over_inclusion_and_the_reason_names_both_groups(
    assignment: dict, inclusion: str
) -> None:
    byod = profile("BYOD Choice", 0, exclude=("g-contr",), **assignment)
    result = resolve_profile([byod], {"g-byod", "g-contr"}, NAMES)
    assert result.applied is None
    assert result.reason == NO_PROFILE_REASON
    (candidate,) = result.candidates
    assert candidate.included and candidate.excluded
    assert not candidate.is_candidate and not candidate.applied
    assert candidate.reason == (f"excluded by group Contractors (exclusion wins over {inclusion})")


def test_excluded_but_not_included_says_so() -> None:
    byod = profile("BYOD Choice", 0, include=("g-byod",), exclude=("g-contr",))
    (candidate,) = resolve_profile([byod], {"g-contr"}, NAMES).candidates
    assert not candidate.included and candidate.excluded
    assert candidate.reason == (
        "excluded by group Contractors; not a member of any included group (BYOD Users)"
    )
    exclude_only = profile("Exclude only", 1, exclude=("g-contr",))
    (candidate,) = resolve_profile([exclude_only], {"g-contr"}, NAMES).candidates
    assert candidate.reason == "excluded by group Contractors"


def test_exclusion_falls_through_to_the_next_profile() -> None:
    byod = profile("BYOD Choice", 0, include=("g-byod",), exclude=("g-contr",))
    sales = profile("Sales UE", 1, include=("g-sales",))
    result = resolve_profile([sales, byod], {"g-byod", "g-contr", "g-sales"}, NAMES)
    assert result.applied == sales
    assert [c.profile.name for c in result.candidates] == ["BYOD Choice", "Sales UE"]


def test_no_profile_when_not_a_member() -> None:
    byod = profile("BYOD Choice", 0, include=("g-byod", "g-sales"))
    unassigned = profile("Draft", 1)
    result = resolve_profile([byod, unassigned], {"g-corp"}, NAMES)
    assert result.applied is None
    assert result.reason == NO_PROFILE_REASON
    assert "Device Enrollment" in result.reason and "[simulator rule]" in result.reason
    reasons = [c.reason for c in result.candidates]
    assert reasons == [
        "not a member of any included group (BYOD Users, Sales)",
        "not assigned to any group",
    ]


def test_no_profiles_at_all() -> None:
    result = resolve_profile([], {"g-byod"})
    assert result.applied is None and result.candidates == ()


def test_priority_decides_between_two_groups_and_the_loser_says_why() -> None:
    byod = profile("BYOD Choice", 0, include=("g-byod",))
    sales = profile("Sales UE", 1, include=("g-sales",))
    result = resolve_profile([sales, byod], {"g-byod", "g-sales"}, NAMES)
    assert result.applied == byod
    winner, loser = result.candidates
    assert winner.applied and winner.reason.endswith(
        "; highest-priority profile that targets the user"
    )
    assert not loser.applied and loser.is_candidate
    assert loser.reason == (
        "included by group Sales; a higher-priority profile (BYOD Choice) applies"
    )


def test_unknown_group_ids_are_shown_as_ids() -> None:
    p = profile("P", 0, include=("g-unnamed",))
    assert "included by group g-unnamed" in resolve_profile([p], {"g-unnamed"}).candidates[0].reason


# Property: the applied profile is the lowest-priority-number candidate, never an excluded one.

GROUPS = ["a", "b", "c", "d"]
group_sets = st.frozensets(st.sampled_from(GROUPS))


@st.composite
def profile_lists(
    draw: st.DrawFn,
    groups: st.SearchStrategy[frozenset[str]] = group_sets,
    most: int = 6,
    types: tuple[str, ...] = ("user", "device"),
) -> list[ProfileFacts]:
    """Up to `most` profiles with distinct priorities, each assigned to some of `groups`."""
    count = draw(st.integers(0, most))
    priorities = draw(st.permutations(range(count)))
    return [
        ProfileFacts(
            id=f"p{i}",
            name=f"Profile {i}",
            priority=priorities[i],
            require_user_choice=draw(st.booleans()),
            default_enrollment_type=draw(st.sampled_from(types)),
            all_users=draw(st.booleans()),
            include_group_ids=draw(groups),
            exclude_group_ids=draw(groups),
        )
        for i in range(count)
    ]


@given(profile_lists(), group_sets)
def test_applied_is_the_highest_priority_candidate_and_never_excluded(
    profiles: list[ProfileFacts], user_groups: frozenset[str]
) -> None:
    result = resolve_profile(profiles, user_groups)
    targeting = [
        p
        for p in profiles
        if (p.all_users or p.include_group_ids & user_groups)
        and not p.exclude_group_ids & user_groups
    ]
    expected = min(targeting, key=lambda p: p.priority, default=None)
    assert result.applied == expected
    if expected is not None:
        assert not expected.exclude_group_ids & user_groups
    assert [c.profile.priority for c in result.candidates] == sorted(p.priority for p in profiles)
    assert sum(c.applied for c in result.candidates) == (expected is not None)
    for candidate in result.candidates:
        assert candidate.excluded == bool(candidate.profile.exclude_group_ids & user_groups)
        assert candidate.is_candidate == (candidate.profile in targeting)
        assert candidate.reason
