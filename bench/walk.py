"""The Company Portal walk-through over HTTP through Flask's test client, as a browser does it:
each screen is a GET, each button a POST (with the page's CSRF token and step) answered by a 303
back to the walk. Used by the benchmarks; it checks each answer so a figure is never of an error.
"""

from __future__ import annotations

import re
from typing import Any

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_STEP = re.compile(r'name="step"[^>]*value="([^"]*)"')
ALL_SET = "You&#39;re all set!"
PASSWORD = "Passw0rd!"

# Button presses from "Set up <Company> access" to "You're all set!"; a tuple picks an answer.
USER_ENROLLMENT = (
    "begin", ("continue", "personal"), ("continue", "workOnly"), "downloadAuthenticator",
    "continue", "continue", "allow", "openProfile", "enroll", "appleIdSignIn",
)  # fmt: skip
DEVICE_ENROLLMENT = (
    "begin", ("continue", "company"), "continue", "allow", "openProfile", "install", "trust",
    "finishInstall",
)  # fmt: skip

SCENARIO: dict[str, Any] = {
    "company": "Bench",
    "users": [{"upn": "alex@bench.test", "displayName": "Alex Wilber", "password": PASSWORD}],
    "groups": [{"name": "Staff", "members": ["alex@bench.test"]}],
    "profiles": [
        {"name": "BYOD Choice", "requireUserChoice": True, "assign": {"include": ["Staff"]}}
    ],
}


def _expect(response, status: int) -> str:
    if response.status_code != status:
        raise SystemExit(
            f"bench walk: {response.request.method} {response.request.path} answered "
            f"{response.status_code}, not {status}"
        )
    return response.get_data(as_text=True)


def walk(client, tenant_id: str, presses: tuple, upn: str = "alex@bench.test") -> int:
    """Sign in and press every button up to "You're all set!"; returns the HTTP requests made."""
    portal = f"/t/{tenant_id}/portal/"
    page = _expect(client.get(portal), 200)
    signed_in = client.post(
        portal,
        data={
            "csrf_token": _CSRF.search(page)[1],
            "email": upn,
            "password": PASSWORD,
            "model": "iPhone",
            "osVersion": "17.5",
            "serialNumber": "C39XK0000001",
        },
    )
    _expect(signed_in, 303)
    url = signed_in.headers["Location"]
    page = _expect(client.get(url), 200)
    requests = 3
    for press in presses:
        action, answer = press if isinstance(press, tuple) else (press, None)
        data = {"csrf_token": _CSRF.search(page)[1], "step": _STEP.search(page)[1]}
        data["action"] = action
        if answer is not None:
            data["answer"] = answer
        if action == "appleIdSignIn":  # the Managed Apple ID sheet asks for the password
            data["apple_id_password"] = PASSWORD
        _expect(client.post(url, data=data), 303)
        page = _expect(client.get(url), 200)
        requests += 2
    if ALL_SET not in page:
        raise SystemExit("bench walk: the walk-through did not reach You're all set!")
    return requests
