"""The Company Portal walker over real HTTP, for a live server (app.testing.server.live_server):
a requests.Session is the browser, with its own cookie jar; the walking is tests.portal_walker's."""

from __future__ import annotations

import requests

from tests.portal_walker import PortalWalker, Reply, form_fields

TIMEOUT = 10  # seconds; a live server on loopback answers in milliseconds


class HttpWalker(PortalWalker):
    """Walks the portal at the tenant's `portalUrl` (as the control API returns it)."""

    def __init__(self, tenant: dict) -> None:
        super().__init__(tenant, tenant["portalUrl"])
        self.session = requests.Session()

    def _send(
        self, method: str, url: str, *, query: dict | None = None, data: dict | None = None
    ) -> Reply:
        # Redirects are followed by the walker, which checks where they lead.
        response = self.session.request(
            method, url, params=query, data=data, allow_redirects=False, timeout=TIMEOUT
        )
        return Reply(response.status_code, response.text, response.headers.get("Location"))

    def _sign_in_form(self, device: dict[str, str]) -> dict[str, str]:
        # As a browser does: submit what the form shows, the device as the query string set it.
        return form_fields(self.page, "sign-in")

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpWalker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
