"""Company Portal walkers: sign in, press buttons with the page's own CSRF token and step, follow
the redirects, and read back what the tenant recorded.

`PortalWalker` holds the walking itself and reads the pages; a subclass only says how a request
travels: `Walker` through the Flask test client, `tests.http_walker.HttpWalker` over real HTTP.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

from tests.conftest import csrf_token

PASSWORD = "Passw0rd!"
# What sign-in posts for the simulated device unless told otherwise.
DEVICE = {"model": "iPhone", "osVersion": "17.5", "serialNumber": "C39XK0000001"}
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


@dataclass(frozen=True)
class Reply:
    """What a walker needs of a response, whatever carried it."""

    status: int
    text: str
    location: str | None = None


def has_control(page: str, name: str, value: str) -> bool:
    """Whether the page has a button or input `name`=`value` a user could press or pick."""
    pattern = (
        rf'<(?:button|input)\b[^>]*\bname="{re.escape(name)}"[^>]*\bvalue="{re.escape(value)}"'
    )
    return re.search(pattern, page) is not None


_ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
_CONTROL = re.compile(r"<(input|select)\b([^>]*)>(?:(.*?)</select>)?", re.S)


def _attributes(tag: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in _ATTRIBUTE.findall(tag)}


def form_fields(page: str, form_id: str) -> dict[str, str]:
    """What a browser submits for the form `form_id`: the controls inside it and those outside it
    that name it in `form=`; a checkbox only when checked, a select's selected option."""
    match = re.search(rf'<form\b[^>]*\bid="{re.escape(form_id)}"[^>]*>(.*?)</form>', page, re.S)
    assert match, f"no form {form_id!r} on this page"
    outside = page[: match.start()] + page[match.end() :]
    controls = [(kind, _attributes(tag), body) for kind, tag, body in _CONTROL.findall(match[1])]
    controls += [
        (kind, attrs, body)
        for kind, tag, body in _CONTROL.findall(outside)
        if (attrs := _attributes(tag)).get("form") == form_id
    ]
    fields: dict[str, str] = {}
    for kind, attrs, body in controls:
        if "name" not in attrs:
            continue
        if kind == "select":
            options = [_attributes(tag) for tag in re.findall(r"<option\b([^>]*)>", body)]
            chosen = [o for o in options if "selected" in o] or options
            fields[attrs["name"]] = chosen[0].get("value", "") if chosen else ""
        elif attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


class PortalWalker:
    """One browser on one tenant's portal: the last page it saw and the URL it is on.

    Subclasses implement `_send`; the base URL is the tenant's portal (a path or an absolute URL).
    """

    def __init__(self, tenant: dict, base: str) -> None:
        self.tenant = tenant
        self.base = base
        self.page = ""
        self.status = 0
        self.url = ""
        self.headings: list[str] = []  # every screen seen, in order

    def _send(
        self, method: str, url: str, *, query: dict | None = None, data: dict | None = None
    ) -> Reply:
        raise NotImplementedError

    def _take(self, reply: Reply) -> PortalWalker:
        self.status = reply.status
        self.page = reply.text
        match = _HEADING.search(self.page)
        if match:
            self.headings.append(unescape(match.group(1)).strip())
        return self

    def open(self, **device: str) -> PortalWalker:
        """The sign-in screen, with the simulated device in the query string."""
        self.url = self.base
        return self._take(self._send("GET", self.base, query=device))

    def sign_in(
        self, email: str = "alex@contoso.com", password: str = PASSWORD, **device: str
    ) -> PortalWalker:
        self.open(**device)
        form = self._sign_in_form(device)
        form.update({"email": email, "password": password})
        self.password = password  # the Managed Apple ID sheet asks for it again
        reply = self._send("POST", self.base, data=form)
        if reply.status == 303:
            self.url = urljoin(self.base, reply.location)
            return self._take(self._send("GET", self.url))
        return self._take(reply)

    def _sign_in_form(self, device: dict[str, str]) -> dict[str, str]:
        """The sign-in form's fields but email and password: the token and the device."""
        return {"csrf_token": csrf_token(self.page), **DEVICE, **device}

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

    def press(self, action: str, answer: str | None = None) -> PortalWalker:
        """Press the button `action` (after picking the option `answer`), as a user would: only
        a button that is on the current page."""
        assert has_control(self.page, "action", action), (action, "not on", self.heading)
        data = {"csrf_token": csrf_token(self.page), "step": self.step, "action": action}
        if answer is not None:
            assert has_control(self.page, "answer", answer), (answer, "not on", self.heading)
            data["answer"] = answer
        if action == "appleIdSignIn":
            data["apple_id_password"] = getattr(self, "password", PASSWORD)
        reply = self._send("POST", self.url, data=data)
        if reply.status == 303:
            assert urlsplit(urljoin(self.url, reply.location)).path == urlsplit(self.url).path
            return self._take(self._send("GET", self.url))
        return self._take(reply)

    def walk(self, *actions: str | tuple[str, str]) -> PortalWalker:
        """Press each button in turn; a tuple is (button, option picked first)."""
        for action in actions:
            if isinstance(action, tuple):
                self.press(*action)
            else:
                self.press(action)
            assert self.status == 200, (action, self.status, self.heading)
        return self

    def devices(self) -> list[dict]:
        """The tenant's managed devices, as the control API exports them."""
        url = urljoin(self.base, f"/_sim/tenants/{self.tenant['id']}/scenario")
        reply = self._send("GET", url)
        assert reply.status == 200
        return json.loads(reply.text)["devices"]


class Walker(PortalWalker):
    """A walker on the Flask test client (its cookie jar is the browser's)."""

    def __init__(self, client, tenant: dict) -> None:
        super().__init__(tenant, f"/t/{tenant['id']}/portal/")
        self.client = client

    def _send(
        self, method: str, url: str, *, query: dict | None = None, data: dict | None = None
    ) -> Reply:
        response = self.client.open(url, method=method, query_string=query, data=data)
        return Reply(
            response.status_code, response.get_data(as_text=True), response.headers.get("Location")
        )

    def post(self, data: dict) -> Any:
        """A raw post to the current walk screen (no token or step added)."""
        return self.client.post(self.url, data=data)


# The Settings-app ceremony, one tuple of actions per enrollment type.
USER_CEREMONY = ("allow", "openProfile", "enroll", "appleIdSignIn")
DEVICE_CEREMONY = ("allow", "openProfile", "install", "trust", "finishInstall")
