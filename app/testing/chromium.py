"""Find a Chromium for Playwright: Playwright's own if installed, else the system's, else install.

`python -m app.testing.chromium` makes sure one is available and prints its path ("" means
Playwright's own build). `launch_args()` gives pytest-playwright's `browser_type_launch_args`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless as root in a closed network: no sandbox, no GPU, no background calls home.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def playwright_managed() -> str | None:
    """The path of Playwright's own Chromium when it has been downloaded, else None."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver or no browser: not available
        return None
    return path if path and Path(path).exists() else None


def system_chromium() -> str | None:
    override = os.environ.get("ENROLLSIM_CHROMIUM")
    if override and Path(override).exists():
        return override
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def find() -> tuple[str, str | None]:
    """('playwright', None) or ('system', path); ('missing', None) when there is none."""
    if playwright_managed():
        return "playwright", None
    path = system_chromium()
    return ("system", path) if path else ("missing", None)


def install() -> None:
    """Debian's chromium when we can use apt (as root), else Playwright's download."""
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        return
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)


def launch_args(base: dict | None = None) -> dict:
    kind, path = find()
    args = {**(base or {}), "headless": True, "args": [*(base or {}).get("args", []), *FLAGS]}
    if kind == "system":
        args["executable_path"] = path
    return args


def main() -> int:
    kind, path = find()
    if kind == "missing":
        print("No Chromium found: installing one.", file=sys.stderr)
        install()
        kind, path = find()
    if kind == "missing":
        print("Could not find or install a Chromium.", file=sys.stderr)
        return 1
    print(f"Chromium: {'Playwright-managed' if kind == 'playwright' else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
