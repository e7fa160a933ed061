"""One browser-like HTTP client walking the Company Portal over and over on a live server,
timing every step: the sign-in page, signing in, each button press (a POST answered by a 303)
and each screen after it (a GET). Used by bench/load.py."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

import requests

from bench.walk import DEVICE_ENROLLMENT, PASSWORD

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_STEP = re.compile(r'name="step"[^>]*value="([^"]*)"')
ALL_SET = "You&#39;re all set!"
TIMEOUT = 30  # seconds for one request; a slower answer is a failure


class StepFailed(Exception):
    pass


@dataclass
class ClientFigures:
    """What one client saw: milliseconds per step, walks completed, failures with their cause."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    completed: int = 0  # walks that reached "You're all set!" before the deadline
    late: int = 0  # walks already under way at the deadline, finished after it
    failures: list[str] = field(default_factory=list)
    requests: int = 0


class PortalClient:
    """A browser: its own cookie jar and keep-alive connection, one user of the tenant."""

    def __init__(self, base_url: str, tenant_id: str, upn: str, serial: str) -> None:
        self.portal = f"{base_url}/t/{tenant_id}/portal/"
        self.upn, self.serial = upn, serial
        self.session = requests.Session()
        self.figures = ClientFigures()

    def _timed(self, step: str, method: str, url: str, expect: int, **kwargs) -> requests.Response:
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, url, allow_redirects=False, timeout=TIMEOUT, **kwargs
            )
        except requests.RequestException as exc:
            raise StepFailed(f"{step}: {type(exc).__name__}") from None
        self.figures.times[step].append((time.perf_counter() - started) * 1000)
        self.figures.requests += 1
        if response.status_code != expect:
            raise StepFailed(f"{step}: {response.status_code}, not {expect}")
        return response

    def walk(self) -> None:
        """Sign in and press every button up to "You're all set!" (a device is recorded)."""
        page = self._timed("GET sign-in page", "GET", self.portal, 200).text
        signed_in = self._timed(
            "POST sign in",
            "POST",
            self.portal,
            303,
            data={
                "csrf_token": _CSRF.search(page)[1],
                "email": self.upn,
                "password": PASSWORD,
                "model": "iPhone",
                "osVersion": "17.5",
                "serialNumber": self.serial,
            },
        )
        walk_url = requests.compat.urljoin(self.portal, signed_in.headers["Location"])
        page = self._timed("GET screen", "GET", walk_url, 200).text
        for press in DEVICE_ENROLLMENT:
            action, answer = press if isinstance(press, tuple) else (press, None)
            data = {"csrf_token": _CSRF.search(page)[1], "step": _STEP.search(page)[1]}
            data["action"] = action
            if answer is not None:
                data["answer"] = answer
            self._timed(f"POST {action}", "POST", walk_url, 303, data=data)
            page = self._timed("GET screen", "GET", walk_url, 200).text
        if ALL_SET not in page:
            raise StepFailed('the last screen is not "You\'re all set!"')

    def run(self, deadline: float) -> ClientFigures:
        """Walk until the deadline; the walk under way then is finished (and counted as late)."""
        while time.monotonic() < deadline:
            try:
                self.walk()
            except (StepFailed, TypeError, KeyError) as exc:
                self.figures.failures.append(str(exc))
                continue
            if time.monotonic() <= deadline:
                self.figures.completed += 1
            else:
                self.figures.late += 1
        self.session.close()
        return self.figures
