"""Intune today's new paths, step by step, beside the bare Flask route (`python -m bench --today`).

Apple's account-driven exchange (discovery, the 401 challenge, the web sign-in, the enrollment
profile, check-in Authenticate and TokenUpdate), the simulated Settings app and web-based device
enrollment, each request timed on its own. A flow records a device, so the tenant is reset to its
scenario between runs (untimed), as a test suite would. Every answer is checked, so a figure is
never of an error page.
"""

from __future__ import annotations

import plistlib
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bench.walk import PASSWORD

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_SCREEN = re.compile(r'name="screen" value="([^"]*)"')
UPN = "alex@bench.test"
SCENARIO: dict[str, Any] = {
    "company": "Bench",
    "settings": {"intuneRelease": "current"},
    "users": [{"upn": UPN, "displayName": "Alex Wilber", "password": PASSWORD}],
    "groups": [{"name": "Staff", "members": [UPN]}],
    "profiles": [
        {"name": "BYOD Choice", "requireUserChoice": True, "assign": {"include": ["Staff"]}}
    ],
}
WEB_SCENARIO: dict[str, Any] = {
    **SCENARIO,
    "profiles": [
        {
            "name": "Web",
            "defaultEnrollmentType": "webDeviceEnrollment",
            "assign": {"include": "all"},
        }
    ],
}
DEVICE_INFO = plistlib.dumps({"LANGUAGE": "en", "PRODUCT": "iPhone15,2", "VERSION": "17.5"})
DEVICE_INFO_TYPE = {"Content-Type": "application/x-apple-aspen-deviceinfo"}
CHECKIN_TYPE = {"Content-Type": "application/x-apple-aspen-mdm-checkin"}
GOAL = "≤ 10×"


class Steps:
    """Milliseconds per named request, gathered over repeated runs of a flow."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)

    def call(self, label: str, request: Callable[[], Any], status: int) -> Any:
        started = time.perf_counter()
        response = request()
        self.times[label].append((time.perf_counter() - started) * 1000)
        if response.status_code != status:
            raise SystemExit(
                f"bench today: {label} answered {response.status_code}, not {status}: "
                f"{response.get_data(as_text=True)[:300]}"
            )
        return response

    def figures(self) -> list[tuple[str, tuple[float, float]]]:
        out = []
        for label, times in self.times.items():
            ordered = sorted(times)
            out.append((label, (statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1])))
        return out


def _page(response) -> str:
    return response.get_data(as_text=True)


def apple_exchange(steps: Steps, client, tenant_id: str) -> None:
    """Apple's exchange over HTTP, as a device speaks it (spec §3)."""
    root = f"/t/{tenant_id}"
    found = steps.call(
        "discovery GET /.well-known/com.apple.remotemanagement",
        lambda: client.get(
            f"{root}/.well-known/com.apple.remotemanagement",
            query_string={"user-identifier": UPN, "model-family": "iPhone"},
        ),
        200,
    )
    base_url = found.get_json()["Servers"][0]["BaseURL"]
    steps.call(
        "enrollment POST without a token → 401 apple-as-web",
        lambda: client.post(base_url, data=DEVICE_INFO, headers=DEVICE_INFO_TYPE),
        401,
    )
    sign_in = f"{root}/EnrollmentServer/authenticate"
    steps.call(
        "web sign-in page GET …/authenticate",
        lambda: client.get(sign_in, query_string={"user-identifier": UPN}),
        200,
    )
    signed_in = steps.call(
        "web sign-in POST → apple-remotemanagement-user-login://",
        lambda: client.post(
            sign_in, query_string={"user-identifier": UPN}, data={"password": PASSWORD}
        ),
        302,
    )
    token = parse_qs(urlsplit(signed_in.headers["Location"]).query)["access-token"][0]
    profile = steps.call(
        "enrollment profile POST (plist, Bearer token)",
        lambda: client.post(
            base_url,
            data=DEVICE_INFO,
            headers={**DEVICE_INFO_TYPE, "Authorization": f"Bearer {token}"},
        ),
        200,
    )
    (mdm,) = plistlib.loads(profile.data)["PayloadContent"]

    def checkin(kind: str, **extra: Any):
        message = {"MessageType": kind, "Topic": mdm["Topic"], "EnrollmentID": "ENR-1", **extra}
        return lambda: client.put(
            mdm["CheckInURL"], data=plistlib.dumps(message), headers=CHECKIN_TYPE
        )

    steps.call("check-in Authenticate", checkin("Authenticate"), 200)
    push = {"Token": b"push", "PushMagic": "m"}
    steps.call("check-in TokenUpdate (records the device)", checkin("TokenUpdate", **push), 200)
    steps.call("check-in TokenUpdate, repeated (same device)", checkin("TokenUpdate", **push), 200)


def _press(steps: Steps, client, url: str, page: str, label: str, action: str, **fields: str):
    """A button press as the browser makes it: POST (303) then GET the next screen; `label`
    numbers the press, so a button pressed twice (Install, Install) keeps two figures."""
    data = {"csrf_token": _CSRF.search(page)[1], "screen": _SCREEN.search(page)[1]}
    steps.call(f"{label} POST {action}", lambda: client.post(url, data={**data, **fields,
               "action": action}), 303)  # fmt: skip
    return _page(steps.call(f"{label} GET the next screen", lambda: client.get(url), 200))


def settings_app(steps: Steps, client, tenant_id: str) -> None:
    """The simulated Settings app, from Settings to the managed account."""
    base = f"/t/{tenant_id}/settings"
    page = _page(
        steps.call(
            "Settings app 0. GET Settings",
            lambda: client.get(f"{base}/", query_string={"osVersion": "17.5"}),
            200,
        )
    )
    walk = f"{base}/walk"
    for number, (action, fields) in enumerate(
        (
            ("general", {}),
            ("signInWork", {}),
            ("continue", {"address": UPN}),
            ("signIn", {"password": PASSWORD}),
            ("allow", {}),
        ),
        start=1,
    ):
        page = _press(steps, client, walk, page, f"Settings app {number}.", action, **fields)
    if "appleAccountDrivenUserEnrollment" not in page:
        raise SystemExit("bench today: the Settings app did not record the device")


def web_enrollment(steps: Steps, client, tenant_id: str) -> None:
    """Web-based device enrollment in Safari, from sign-in to You're all set!"""
    base = f"/t/{tenant_id}/enrollment/webenrollment/ios"
    page = _page(
        steps.call(
            "web enrollment 0. GET the site (sign-in)",
            lambda: client.get(
                base, query_string={"authenticator": "1", "serialNumber": "C39X00000001"}
            ),
            200,
        )
    )
    walk = f"{base}/walk"
    for number, (action, fields) in enumerate(
        (
            ("signIn", {"email": UPN, "password": PASSWORD}),
            ("allow", {}),
            ("install", {}),
            ("install", {}),
            ("trust", {}),
            ("done", {}),
        ),
        start=1,
    ):
        page = _press(steps, client, walk, page, f"web enrollment {number}.", action, **fields)
    if "You&#39;re all set!" not in page:
        raise SystemExit("bench today: web enrollment did not reach You're all set!")


def run(report, client, repeat: int) -> None:
    """Each flow `repeat` times (tenant reset between runs), every request beside the bare route."""
    for title, scenario, flow in (
        ("Apple's account-driven exchange (plain HTTP)", SCENARIO, apple_exchange),
        ("Settings app: account-driven user enrollment", SCENARIO, settings_app),
        ("Web-based device enrollment (Safari)", WEB_SCENARIO, web_enrollment),
    ):
        made = client.post("/_sim/tenants", json=scenario)
        tenant_id = made.get_json()["id"]
        reset = f"/_sim/tenants/{tenant_id}/reset"
        flow(Steps(), client, tenant_id)  # warm up
        steps = Steps()
        for _ in range(repeat):
            client.post(reset, json=scenario)
            flow(steps, client, tenant_id)
        print(f"  {title}")
        figures = steps.figures()
        for label, numbers in figures:
            report.line(f"    {label}", numbers, GOAL)
        worst = max(figures, key=lambda f: f[1][0])
        print(f"    (slowest: {worst[0]}, {worst[1][0] / report.baseline:.0f}× bare)")
