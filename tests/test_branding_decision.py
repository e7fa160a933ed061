"""Which branding profile brands a user (app.enrollment.branding): the profile assigned to one of
the user's groups, the oldest when several are, else the default; and what each choice says."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.enrollment import wording
from app.enrollment.branding import BrandingFacts, choose_branding, offers_enrollment

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DEFAULT = BrandingFacts("default", "Default", True, T0)
NAMES = {"g1": "Staff", "g2": "Contractors", "g3": "Sales"}


def custom(name: str, minutes: int, *groups: str) -> BrandingFacts:
    return BrandingFacts(name, name, False, T0 + timedelta(minutes=minutes), groups)


def test_no_profile_for_the_users_groups_is_the_default():
    decision = choose_branding([DEFAULT, custom("A", 1, "g2")], {"g1"}, NAMES)
    assert decision.profile is DEFAULT and decision.via_group is None
    assert "default profile" in decision.reason


def test_a_user_without_groups_gets_the_default():
    assert choose_branding([DEFAULT, custom("A", 1, "g1")], set()).profile is DEFAULT


def test_the_profile_assigned_to_a_users_group_brands_them():
    decision = choose_branding([DEFAULT, custom("A", 1, "g1")], {"g1", "g3"}, NAMES)
    assert decision.profile.name == "A" and decision.via_group == "g1"
    assert decision.reason == 'Assigned to the user\'s group "Staff".'


def test_the_oldest_of_several_wins_whatever_the_list_order():
    newer, older = custom("Newer", 5, "g1"), custom("Older", 2, "g2")
    for order in itertools.permutations([DEFAULT, newer, older]):
        decision = choose_branding(order, {"g1", "g2"}, NAMES)
        assert decision.profile is older
        assert "oldest of the 2" in decision.reason and "[simulator rule]" in decision.reason
        assert '"Contractors"' in decision.reason


def test_same_age_is_decided_by_id_so_the_choice_is_stable():
    a, b = custom("b-profile", 1, "g1"), custom("a-profile", 1, "g1")
    assert choose_branding([DEFAULT, a, b], {"g1"}).profile is b


def test_the_default_is_never_chosen_through_an_assignment():
    odd_default = BrandingFacts("default", "Default", True, T0, ("g1",))
    decision = choose_branding([odd_default, custom("A", 9, "g1")], {"g1"})
    assert decision.profile.name == "A"


@pytest.mark.parametrize("count", [0, 2])
def test_exactly_one_default_is_required(count):
    defaults = [BrandingFacts(f"d{n}", "D", True, T0) for n in range(count)]
    with pytest.raises(ValueError, match="exactly one default"):
        choose_branding(defaults, set())


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.sets(st.sampled_from(["g1", "g2", "g3"]))),
        max_size=8,
    ),
    st.sets(st.sampled_from(["g1", "g2", "g3", "g4"])),
)
def test_property_the_choice_is_the_oldest_matching_or_the_default(rows, groups):
    profiles = [DEFAULT] + [
        custom(f"p{n}", minutes, *sorted(gs)) for n, (minutes, gs) in enumerate(rows)
    ]
    chosen = choose_branding(profiles, groups).profile
    matching = [p for p in profiles[1:] if groups & set(p.group_ids)]
    if not matching:
        assert chosen is DEFAULT
    else:
        assert chosen in matching
        assert all((chosen.created_at, chosen.id) <= (p.created_at, p.id) for p in matching)


@pytest.mark.parametrize(
    ("availability", "offered"),
    [("availableWithPrompts", True), ("availableWithoutPrompts", True), ("unavailable", False)],
)
def test_only_unavailable_hides_enrollment(availability, offered):
    assert offers_enrollment(availability) is offered


@pytest.mark.parametrize(
    ("name", "phone", "line"),
    [
        ("Helpdesk", "+1 425 555 0100", "Contact Helpdesk, +1 425 555 0100"),
        ("Helpdesk", None, "Contact Helpdesk"),
        (None, "555", "Contact 555"),
        ("  ", "", None),
        (None, None, None),
    ],
)
def test_contact_line(name, phone, line):
    assert wording.contact_it(name, phone) == line
