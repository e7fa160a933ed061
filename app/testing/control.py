"""A small client of the control API for test suites (standard library only)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ControlError(AssertionError):
    """A control call that did not answer as expected; says which call and what came back."""


class ControlClient:
    def __init__(self, url: str, token: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.token = token

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, Any] | None = None,
        raw: bytes | None = None,
        content_type: str = "application/json",
        expect: int | tuple[int, ...] = (200, 201, 204),
    ) -> Any:
        """One control call; the decoded JSON answer (None for 204)."""
        url = f"{self.url}/_sim{path}"
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, exc.read()
        expected = (expect,) if isinstance(expect, int) else expect
        if status not in expected:
            text = payload.decode(errors="replace")
            raise ControlError(f"{method} {path} answered {status}: {text}")
        return json.loads(payload) if payload else None

    def wait_until_up(self, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.call("GET", "/health")
            except (OSError, ControlError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def create_tenant(self, scenario: dict | str | Path | None = None) -> SimTenant:
        """A new tenant seeded from a scenario dict, a YAML/JSON file path, or empty."""
        if isinstance(scenario, str | Path):
            text = Path(scenario).read_bytes()
            made = self.call(
                "POST", "/tenants", raw=text, content_type="application/yaml", expect=201
            )
        else:
            made = self.call("POST", "/tenants", scenario, expect=201)
        summary = self.call("GET", f"/tenants/{made['id']}")
        return SimTenant(made, company=summary["company"], client=self)

    def delete_tenant(self, tenant_id: str) -> None:
        self.call("DELETE", f"/tenants/{tenant_id}", expect=(204, 404))


@dataclass
class SimTenant:
    """One tenant: its URLs and token, and the control calls a test asserts with."""

    created: dict[str, Any]
    company: str
    client: ControlClient = field(repr=False)

    @property
    def id(self) -> str:
        return self.created["id"]

    @property
    def token(self) -> str:
        return self.created["token"]

    @property
    def portal_url(self) -> str:
        return self.created["portalUrl"]

    @property
    def admin_url(self) -> str:
        return self.created["adminUrl"]

    @property
    def graph_base_url(self) -> str:
        return self.created["graphBaseUrl"]

    def as_dict(self) -> dict[str, Any]:
        """The control API's answer to the create call (id, token, portalUrl, ...)."""
        return dict(self.created)

    def portal_link(self, **device: Any) -> str:
        """The portal start URL for a simulated device: model, osVersion, serialNumber, ..."""
        query = urllib.parse.urlencode({k: v for k, v in device.items() if v is not None})
        return f"{self.portal_url}?{query}" if query else self.portal_url

    def events(self, type: str | None = None, user: str | None = None) -> list[dict[str, Any]]:
        """Every journal event (oldest first), following the cursor to the end."""
        found: list[dict[str, Any]] = []
        after = None
        while True:
            query = {"type": type, "user": user, "after": after, "top": 1000}
            page = self.client.call("GET", f"/tenants/{self.id}/events", query=query)
            found += page["value"]
            if len(page["value"]) < 1000:
                return found
            after = page["cursor"]

    def resolve(self, upn: str, **device: str) -> dict[str, Any]:
        return self.client.call("GET", f"/tenants/{self.id}/resolve", query={"upn": upn, **device})

    def scenario(self) -> dict[str, Any]:
        return self.client.call("GET", f"/tenants/{self.id}/scenario")

    def devices(self) -> list[dict[str, Any]]:
        """The recorded outcomes (managed devices), in the scenario document's shape."""
        return self.scenario()["devices"]

    def reset(self, scenario: dict | None = None) -> None:
        self.client.call("POST", f"/tenants/{self.id}/reset", scenario)

    def set_faults(self, config: dict[str, Any]) -> dict[str, Any]:
        return self.client.call("PUT", f"/tenants/{self.id}/faults", config)

    def clear_faults(self) -> None:
        self.client.call("DELETE", f"/tenants/{self.id}/faults")
