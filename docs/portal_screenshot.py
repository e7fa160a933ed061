"""Take the README's Company Portal screenshots: `python docs/portal_screenshot.py`.

Starts a throwaway simulator seeded with the demo, walks alex@contoso.com through
"Contoso owns this device" on a serial number that is not a corporate identifier, and saves the
question screen and the outcome (Device Enrollment, but personal: the 2019 known issue).
"""

from __future__ import annotations

from screenshots import OUT, demo_page


def main() -> None:
    with demo_page(1200, 880) as (page, url):
        page.goto(f"{url}/portal/?model=iPhone&osVersion=17.5&serialNumber=C39DEMO00001")
        page.get_by_label("Email").fill("alex@contoso.com")
        page.get_by_label("Password").fill("Passw0rd!")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="Begin").click()
        page.get_by_role("radio", name="Contoso owns this device").check()
        page.screenshot(path=OUT / "portal-question.png")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Allow").click()
        page.get_by_role("button", name="Enroll in Contoso").click()
        for name in ("Install", "Trust", "Done"):
            page.get_by_role("button", name=name, exact=True).click()
        page.get_by_role("heading", name="You're all set!").wait_for()
        page.screenshot(path=OUT / "portal-outcome.png", full_page=True)
    print(f"Saved {OUT / 'portal-question.png'} and {OUT / 'portal-outcome.png'}")


if __name__ == "__main__":
    main()
