"""Page objects for the admin console: the profiles list and the Create profile wizard."""

from __future__ import annotations

from collections.abc import Iterable

from playwright.sync_api import Locator, Page, expect


class ProfilesPage:
    """Enrollment type profiles, in priority order."""

    def __init__(self, page: Page, admin_url: str) -> None:
        self.page = page
        self.admin_url = admin_url.rstrip("/")

    def open(self) -> ProfilesPage:
        self.page.goto(f"{self.admin_url}/profiles")
        expect(self.page.get_by_role("heading", name="Enrollment type profiles")).to_be_visible()
        return self

    def row(self, name: str) -> Locator:
        return self.page.locator("#profiles-table tbody tr").filter(
            has=self.page.get_by_role("link", name=name, exact=True)
        )

    def names(self) -> list[str]:
        return self.page.locator("#profiles-table tbody tr td:nth-child(3)").all_inner_texts()

    def expect_order(self, names: list[str]) -> None:
        expect(self.page.locator("#profiles-table tbody tr td:nth-child(3)")).to_have_text(names)
        expect(self.page.locator("#profiles-table tbody tr td.priority")).to_have_text(
            [str(i + 1) for i in range(len(names))]
        )

    def drag(self, name: str, onto: str) -> None:
        """Drag a row by its handle onto another row, the way a mouse user does."""
        source = self.row(name).locator(".drag-handle").bounding_box()
        target = self.row(onto).bounding_box()
        assert source and target
        mouse = self.page.mouse
        mouse.move(source["x"] + source["width"] / 2, source["y"] + source["height"] / 2)
        mouse.down()
        above = target["y"] + 3 if target["y"] < source["y"] else target["y"] + target["height"] - 3
        mouse.move(source["x"] + 5, (source["y"] + above) / 2, steps=8)
        mouse.move(source["x"] + 5, above, steps=8)
        mouse.up()

    def move(self, name: str, direction: str) -> None:
        """The keyboard way: focus the Move button and press Enter."""
        button = self.page.get_by_role("button", name=f"Move {name} {direction}")
        button.focus()
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def create(self) -> Wizard:
        self.page.get_by_role("link", name="Create profile").click()
        return Wizard(self.page)


class Wizard:
    """Create profile: Basics, Settings, Assignments, Review + create."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def expect_tab(self, name: str) -> None:
        expect(self.page.get_by_role("tab", name=name, selected=True)).to_be_visible()

    def basics(self, name: str, description: str) -> Wizard:
        self.expect_tab("Basics")
        self.page.get_by_label("Name", exact=True).fill(name)
        self.page.get_by_label("Description").fill(description)
        return self.next()

    def settings(self, require: str = "Not configured", default: str = "User enrollment") -> Wizard:
        self.expect_tab("Settings")
        self.page.get_by_role("radio", name=require).check()
        self.page.get_by_label("Default enrollment type").select_option(label=default)
        return self.next()

    def assignments(
        self, include: Iterable[str] = (), exclude: Iterable[str] = (), all_users: bool = False
    ) -> Wizard:
        self.expect_tab("Assignments")
        self.page.get_by_label("Assign to").select_option(
            label="All users" if all_users else "Selected groups"
        )
        for side, names in (("Included groups", include), ("Excluded groups", exclude)):
            group = self.page.get_by_role("group", name=side)
            for name in names:
                group.get_by_role("checkbox", name=name, exact=True).check()
        return self.next()

    def next(self) -> Wizard:
        self.page.get_by_role("button", name="Next").click()
        return self

    def create(self) -> None:
        self.expect_tab("Review + create")
        self.page.get_by_role("button", name="Create").click()
