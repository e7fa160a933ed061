"""Take the README's admin console screenshots: `python docs/admin_screenshot.py`.

Starts a throwaway simulator seeded with the demo, moves one profile with its keyboard button
(the list then shows the confirmation), and walks the Create profile wizard to Settings and to a
refused device group on Assignments, at 1366x768; then the tenant page's presenter tools, and the
profiles list on a 390x844 phone.
"""

from __future__ import annotations

from screenshots import OUT, demo_page


def main() -> None:
    with demo_page(1366, 768) as (page, url):
        page.goto(f"{url}/admin/profiles")
        with page.expect_navigation():
            page.get_by_role("button", name="Move Corporate Device Enrollment up").click()
        page.screenshot(path=OUT / "admin-profiles.png")
        page.get_by_role("link", name="Create profile").click()
        page.get_by_label("Name", exact=True).fill("BYOD Choice 2")
        page.get_by_label("Description").fill("Let people choose")
        page.get_by_role("button", name="Next").click()
        page.get_by_role("radio", name="Required").check()
        page.screenshot(path=OUT / "admin-wizard-settings.png")
        page.get_by_role("button", name="Next").click()
        included = page.get_by_role("group", name="Included groups")
        included.get_by_role("checkbox", name="BYOD Devices").check()
        page.get_by_role("button", name="Next").click()
        page.screenshot(path=OUT / "admin-wizard-assignments.png", full_page=True)
        page.goto(f"{url}/admin/tenant")
        page.screenshot(path=OUT / "admin-tenant-scenario.png")
    with demo_page(390, 844) as (page, url):
        page.goto(f"{url}/admin/profiles")
        page.screenshot(path=OUT / "admin-phone.png")
    print(
        "Saved admin-profiles.png, admin-wizard-settings.png, admin-wizard-assignments.png, "
        f"admin-tenant-scenario.png and admin-phone.png in {OUT}"
    )


if __name__ == "__main__":
    main()
