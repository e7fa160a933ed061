"""What the screenshot scripts share: a throwaway simulator seeded with the demo, and a page of
headless Chromium on it. Run the scripts, not this module."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from app.testing import chromium  # noqa: E402
from app.testing.server import live_server  # noqa: E402

OUT = ROOT / "docs" / "img"


@contextmanager
def demo_page(width: int, height: int) -> Iterator[tuple[Page, str]]:
    """A page of the given viewport and the base URL of a fresh demo simulator."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp) / "shot.sqlite") as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(**chromium.launch_args())
            try:
                yield browser.new_page(viewport={"width": width, "height": height}), url
            finally:
                browser.close()
