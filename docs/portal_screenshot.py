"""Take the README's Company Portal screenshots: `python docs/portal_screenshot.py`.

Starts a throwaway simulator seeded with the demo and, on a 1366x768 projector: walks
alex@contoso.com through "Contoso owns this device" on a serial number that is not a corporate
identifier (the question and the outcome: Device Enrollment, but personal, the 2019 known issue),
then lee@contoso.com on iOS 13.0 (the panel shows where and why the walk stopped). On a 390x844
phone: the question screen, full-bleed. The serial numbers are fixed, so every run draws the same.
"""

from __future__ import annotations

from screenshots import OUT, demo_page

DEVICE = "model=iPhone&osVersion=17.5&serialNumber=C39DEMO00001&authenticator=1"


def _sign_in(page, url: str, email: str, query: str = DEVICE) -> None:
    page.goto(f"{url}/portal/?{query}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("Passw0rd!")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Begin").click()


def main() -> None:
    with demo_page(1366, 768) as (page, url):
        _sign_in(page, url, "alex@contoso.com")
        page.get_by_role("radio", name="Contoso owns this device").check()
        page.screenshot(path=OUT / "portal-question.png")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Allow").click()
        page.get_by_role("button", name="Enroll in Contoso").click()
        for name in ("Install", "Trust", "Done"):
            page.get_by_role("button", name=name, exact=True).click()
        page.get_by_role("heading", name="You're all set!").wait_for()
        page.screenshot(path=OUT / "portal-outcome.png")
        _sign_in(
            page, url, "lee@contoso.com", "model=iPhone&osVersion=13.0&serialNumber=C39DEMO00002"
        )
        page.get_by_text("The walk stopped").wait_for()
        page.screenshot(path=OUT / "portal-error.png")
    with demo_page(390, 844) as (page, url):
        _sign_in(page, url, "alex@contoso.com")
        page.get_by_role("radio", name="I own this device").check()
        page.screenshot(path=OUT / "portal-phone.png")
    print(
        "Saved portal-question.png, portal-outcome.png, portal-error.png and portal-phone.png "
        f"in {OUT}"
    )


if __name__ == "__main__":
    main()
