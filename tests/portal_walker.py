"""A Company Portal walker for the Flask test client: signs in, presses buttons with the page's
own CSRF token and step, follows the redirects, and reads back what the tenant recorded."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from tests.conftest import csrf_token

PASSWORD = "Passw0rd!"
_STEP = re.compile(r'name="step"[^>]*value="([^"]*)"')
_HEADING = re.compile(r'<h1 id="screen-heading">(.*?)</h1>', re.S)


def scenario(
    *,
    company: str = "Contoso",
    profiles: list[dict] | None = None,
    users: list[dict] | None = None,
    groups: list[dict] | None = None,
    identifiers: list[str] = (),
    **settings: Any,
) -> dict:
    """A small tenant: alex in group Staff, and the given profiles (default: none)."""
    return {
        "company": company,
        "settings": settings,
        "users": users
        or [{"upn": "alex@contoso.com", "displayName": "Alex Wilber", "password": PASSWORD}],
        "groups": groups
        if groups is not None
        else [{"name": "Staff", "members": ["alex@contoso.com"]}],
        "profiles": profiles or [],
        "corporateIdentifiers": [{"type": "serialNumber", "value": v} for v in identifiers],
    }


def profile(
    name: str = "BYOD Choice", *, choice: bool = True, default: str = "user", **assign
) -> dict:
    return {
        "name": name,
        "requireUserChoice": choice,
        "defaultEnrollmentType": default,
        "assign": assign or {"include": ["Staff"]},
    }


class Walker:
    """One browser: its own cookie jar, the last page it saw."""

    def __init__(self, client, tenant: dict) -> None:
        self.client = client
        self.tenant = tenant
        self.base = f"/t/{tenant['id']}/portal/"
        self.page = ""
        self.status = 0
        self.url = ""

    def _take(self, response) -> Walker:
        self.status = response.status_code
        self.page = response.get_data(as_text=True)
        return self

    def open(self, **device: str) -> Walker:
        self.url = self.base
        return self._take(self.client.get(self.base, query_string=device))

    def sign_in(
        self, email: str = "alex@contoso.com", password: str = PASSWORD, **device: str
    ) -> Walker:
        self.open(**{k: v for k, v in device.items()})
        form = {"csrf_token": csrf_token(self.page), "email": email, "password": password}
        form.update({"model": "iPhone", "osVersion": "17.5", "serialNumber": "C39XK0000001"})
        form.update(device)
        response = self.client.post(self.base, data=form)
        if response.status_code == 303:
            self.url = response.headers["Location"]
            return self._take(self.client.get(self.url))
        return self._take(response)

    @property
    def step(self) -> str:
        match = _STEP.search(self.page)
        assert match, "no step on this page"
        return match.group(1)

    @property
    def heading(self) -> str:
        match = _HEADING.search(self.page)
        assert match, "no screen heading"
        return unescape(match.group(1)).strip()

    def post(self, data: dict) -> Any:
        return self.client.post(self.url, data=data)

    def press(self, action: str, answer: str | None = None) -> Walker:
        data = {"csrf_token": csrf_token(self.page), "step": self.step, "action": action}
        if answer is not None:
            data["answer"] = answer
        response = self.post(data)
        if response.status_code == 303:
            assert response.headers["Location"].endswith(self.url)
            return self._take(self.client.get(self.url))
        return self._take(response)

    def walk(self, *actions: str | tuple[str, str]) -> Walker:
        for action in actions:
            if isinstance(action, tuple):
                self.press(*action)
            else:
                self.press(action)
            assert self.status == 200, (action, self.status, self.heading)
        return self

    def devices(self) -> list[dict]:
        response = self.client.get(f"/_sim/tenants/{self.tenant['id']}/scenario")
        assert response.status_code == 200
        return response.get_json()["devices"]


# The Settings-app ceremony, one tuple of actions per enrollment type.
USER_CEREMONY = ("allow", "openProfile", "enroll", "appleIdSignIn")
DEVICE_CEREMONY = ("allow", "openProfile", "install", "trust", "finishInstall")
