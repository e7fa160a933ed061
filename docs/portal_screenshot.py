"""Take the README's Company Portal screenshots: `python docs/portal_screenshot.py`.

Starts a throwaway simulator seeded with the demo, walks alex@contoso.com through
"Contoso owns this device" on a serial number that is not a corporate identifier, and saves the
question screen and the outcome (Device Enrollment, but personal: the 2019 known issue).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.testing import chromium  # noqa: E402
from app.testing.server import live_server  # noqa: E402

OUT = ROOT / "docs" / "img"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp) / "shot.sqlite") as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(**chromium.launch_args())
            page = browser.new_page(viewport={"width": 1200, "height": 880})
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
            browser.close()
    print(f"Saved {OUT / 'portal-question.png'} and {OUT / 'portal-outcome.png'}")


if __name__ == "__main__":
    main()
