"""axe-core in the page: the accessibility check every page and state of both faces must pass.

axe is evaluated through the DevTools protocol, which the pages' Content-Security-Policy (no
inline script) does not apply to, so the pages are checked exactly as served.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page: Page) -> list[str]:
    """The serious and critical axe violations of the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source() + "\n;0")
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} | " + " || ".join(v["nodes"])
        for v in found
        if v["impact"] in BLOCKING
    ]


def check(page: Page, state: str, collected: dict[str, list[str]]) -> None:
    """Record the page's blocking violations under a state name (assert once, at the end)."""
    found = violations(page)
    if found:
        collected[f"{state} @ {page.url}"] = found
