"""Page objects for browser suites: the Company Portal walk-through and the console's profiles.

They find controls by role and accessible name only — the names of enrollment.md §3 and of the
console — so a suite written with them reads like the spec and survives layout changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # playwright is a test dependency, not a runtime one
    from playwright.sync_api import Page

OWNER = {"company": "{company} owns this device", "personal": "I own this device"}
SCOPE = {
    "entireDevice": "Secure entire device",
    "workOnly": "Secure work-related apps and data only",
}
ALL_SET = "You're all set!"


class PortalPage:
    """The device user's walk-through, one method per thing the user does."""

    def __init__(self, page: Page, company: str) -> None:
        self.page = page
        self.company = company

    def open(self, url: str) -> PortalPage:
        self.page.goto(url)
        return self

    def _press(self, name: str) -> None:
        if name == "Sign In":  # the Managed Apple ID sheet: the user's own password
            self.page.get_by_label("Password", exact=True).fill(getattr(self, "password", ""))
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name, exact=True).click()

    def sign_in(self, email: str, password: str) -> PortalPage:
        """Screen 1; then Begin on screen 3 when the walk-through shows it. A refused sign-in
        raises AssertionError with the portal's message."""
        self.page.get_by_label("Email", exact=True).fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.password = password  # the Managed Apple ID sheet asks for it again
        self._press("Sign in")
        if self.page.get_by_label("Password", exact=True).count():
            alert = self.page.get_by_role("alert")
            message = alert.first.inner_text() if alert.count() else "no message"
            raise AssertionError(f"Sign-in as {email} was refused: {message}")
        begin = self.page.get_by_role("button", name="Begin", exact=True)
        if begin.count():
            self._press("Begin")
        return self

    def answer_owner(self, owner: str) -> PortalPage:
        """Screen 4: `company` or `personal`."""
        label = OWNER[owner].format(company=self.company)
        self.page.get_by_role("radio", name=label, exact=True).check()
        self._press("Continue")
        return self

    def answer_scope(self, scope: str) -> PortalPage:
        """Screen 5: `entireDevice` or `workOnly`."""
        self.page.get_by_role("radio", name=SCOPE[scope], exact=True).check()
        self._press("Continue")
        return self

    def _next_step(self) -> str | None:
        """The button that moves the walk-through on from this screen, if any."""
        for name in (
            "Download from App Store",
            "Continue",
            "Allow",
            f"Enroll in {self.company}",
            "Enroll My iPhone",
            "Enroll My iPad",
            "Sign In",  # the Managed Apple ID, already filled in
            "Install",
            "Trust",
            "Done",
        ):
            if self.page.get_by_role("button", name=name, exact=True).count():
                return name
        return None

    def finish(self, max_steps: int = 20) -> str:
        """Screens 6-9 with the usual answers, up to `You're all set!`; returns its text."""
        for _ in range(max_steps):
            if self.page.get_by_role("heading", name=ALL_SET).count():
                return self.page.locator("body").inner_text()
            step = self._next_step()
            if step is None:
                text = self.page.locator("body").inner_text()
                raise AssertionError(f"The walk-through stopped before {ALL_SET!r}:\n{text}")
            self._press(step)
        raise AssertionError(f"No {ALL_SET!r} after {max_steps} steps")


def sign_in_to_console(page: Page, control_token: str) -> None:
    """On a server with ENROLLSIM_CONTROL_TOKEN, the console asks for it once per browser
    session: answer when it asks, carry on when it does not."""
    field = page.get_by_label("Control token", exact=True)
    if field.count():
        field.fill(control_token)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in", exact=True).click()


class ProfileListPage:
    """The console's `Enrollment type profiles` list, in priority order."""

    HEADING = "Enrollment type profiles"

    def __init__(self, page: Page, admin_url: str, control_token: str | None = None) -> None:
        self.page = page
        self.admin_url = admin_url
        self.control_token = control_token

    def open(self) -> ProfileListPage:
        self.page.goto(self.admin_url)
        if self.control_token:
            sign_in_to_console(self.page, self.control_token)
        self.page.get_by_role("link", name=self.HEADING, exact=True).first.click()
        self.page.get_by_role("heading", name=self.HEADING).wait_for()
        return self

    def names(self) -> list[str]:
        """Profile names, highest priority first (the table's Name column)."""
        table = self.page.get_by_role("table")
        headers = [h.strip() for h in table.get_by_role("columnheader").all_inner_texts()]
        column = headers.index("Name")
        names = []
        for row in table.get_by_role("row").all()[1:]:
            cells = row.get_by_role("cell")
            if cells.count() > column:
                names.append(cells.nth(column).inner_text().strip())
        return names

    def _move(self, name: str, step: int) -> ProfileListPage:
        """Press `Move <name> up|down` and wait until the list shows the new order, whether the
        console saves it with a page load or in place; at the top (bottom) moving up (down) does
        nothing."""
        before = self.names()
        direction = "up" if step < 0 else "down"
        i = before.index(name)
        j = i + step
        if not 0 <= j < len(before):  # already at that end: the console disables the button
            return self
        self.page.get_by_role("button", name=f"Move {name} {direction}", exact=True).click()
        expected = list(before)
        expected[i], expected[j] = expected[j], expected[i]
        for _ in range(100):
            try:
                if self.names() == expected:
                    return self
            except Exception:  # noqa: BLE001 - the page is being replaced: look again
                pass
            self.page.wait_for_timeout(50)
        raise AssertionError(f"After moving {name!r} {direction} the list still reads {before}")

    def move_up(self, name: str) -> ProfileListPage:
        return self._move(name, -1)

    def move_down(self, name: str) -> ProfileListPage:
        return self._move(name, +1)
