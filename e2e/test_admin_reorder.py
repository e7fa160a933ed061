"""Reordering profiles the ways tools and people do: Playwright's standard `drag_to` (what
codegen records), the Move buttons by keyboard, and Alt+Up/Down on a focused row; the focus stays
on the moved profile."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.pages.admin import ProfilesPage
from tests.people import ALEX, BYOD_USERS, CORPORATE_IPADS, MEGAN, SALES
from tests.people import THREE_PROFILES as PROFILES

SCENARIO = {"users": [ALEX, MEGAN], "groups": [BYOD_USERS, SALES, CORPORATE_IPADS],
            "profiles": PROFILES}  # fmt: skip


def focused_profile(page: Page) -> str | None:
    return page.evaluate("document.activeElement.closest('tr[data-id]')?.dataset.name ?? null")


def focused(page: Page) -> str | None:
    return page.evaluate("document.activeElement.getAttribute('aria-label')")


def test_drag_to_reorders_and_is_saved(page: Page, tenant):
    profiles = ProfilesPage(page, tenant(SCENARIO)["adminUrl"]).open()
    names = profiles.names()
    profiles.row(names[2]).drag_to(profiles.row(names[0]))
    expected = [names[2], names[0], names[1]]
    profiles.expect_order(expected)
    expect(page.get_by_text(f"Priority saved: {names[2]} now has priority 1.")).to_be_visible()
    page.reload()
    profiles.expect_order(expected)


def test_move_button_keeps_the_focus_on_the_moved_profile(page: Page, tenant):
    profiles = ProfilesPage(page, tenant(SCENARIO)["adminUrl"]).open()
    first, second, third = profiles.names()
    profiles.move(first, "down")
    profiles.expect_order([second, first, third])
    assert focused(page) == f"Move {first} down"
    with page.expect_navigation():
        page.keyboard.press("Enter")  # again, without reaching for the mouse
    profiles.expect_order([second, third, first])
    assert focused(page) == f"Move {first} up"


def test_alt_arrow_on_a_focused_row_moves_it(page: Page, tenant):
    profiles = ProfilesPage(page, tenant(SCENARIO)["adminUrl"]).open()
    first, second, third = profiles.names()
    profiles.row(third).focus()
    with page.expect_navigation():
        page.keyboard.press("Alt+ArrowUp")
    profiles.expect_order([first, third, second])
    assert focused_profile(page) == third
    with page.expect_navigation():
        page.keyboard.press("Alt+ArrowUp")
    profiles.expect_order([third, first, second])
    assert focused_profile(page) == third
    page.keyboard.press("Alt+ArrowUp")  # already first: nothing happens, focus stays
    profiles.expect_order([third, first, second])
    assert focused_profile(page) == third
