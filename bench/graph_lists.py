"""A Graph list costs its page, not the tenant: `GET managedDevices?$top=50` against 50 and
5,000 recorded devices (first page, a deep keyset page, a filtered page), and the users list at
100 a page, each printed beside the bare route; `python -m bench.graph_lists` runs these alone."""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app import create_app

DEVICES = "/deviceManagement/managedDevices"


def scenario(devices: int, users: int = 20) -> dict[str, Any]:
    """`devices` recorded iPhones and iPads spread over `users` users, a minute apart."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    people = [{"upn": f"user{u}@bench.test", "password": "x"} for u in range(users)]
    return {
        "company": "Bench",
        "users": people,
        "devices": [
            {
                "userPrincipalName": people[n % users]["upn"],
                "deviceName": f"Device {n:05d}",
                "model": "iPad" if n % 3 == 0 else "iPhone",
                "osVersion": "17.4",
                "deviceEnrollmentType": "appleUserEnrollment",
                "managedDeviceOwnerType": "personal",
                "enrolledDateTime": (start + timedelta(minutes=n)).isoformat(),
            }
            for n in range(devices)
        ],
    }


def graph_list_figures(report, client, repeat: int, measure, ok) -> None:
    """Print the figures; `report`, `measure` and `ok` are bench.__main__'s."""
    pages: dict[int, Any] = {}
    for size in (50, 5_000):
        tenant = ok(client.post("/_sim/tenants", json=scenario(size)), 201).get_json()
        headers = {"Authorization": f"Bearer {tenant['token']}"}
        base = f"/t/{tenant['id']}/beta"

        def get(path: str, headers=headers):
            return ok(client.get(path, headers=headers))

        first = f"{base}{DEVICES}?$top=50"
        get(first)  # warm up
        pages[size] = measure(lambda first=first, get=get: get(first), repeat)
        report.line(f"Graph GET managedDevices?$top=50, {size:,} devices", pages[size])
        if size < 1_000:
            continue
        link = get(first).get_json()["@odata.nextLink"]
        for _ in range(60):  # walk to page 61 of 100
            link = get(link).get_json()["@odata.nextLink"]
        report.line(
            "  the same, page 61 by its $skiptoken",
            measure(lambda link=link, get=get: get(link), repeat),
        )
        condition = "model eq 'iPad' and startswith(deviceName,'Device 04')"
        filtered = f"{base}{DEVICES}?$top=50&$filter={condition}"
        report.line(
            "  the same, $filter=model eq 'iPad' and startswith(deviceName, …)",
            measure(lambda filtered=filtered, get=get: get(filtered), repeat),
        )
        users = f"{base}/users"
        report.line(
            "  Graph GET users (server page of 100 of 20)",
            measure(lambda users=users, get=get: get(users), repeat),
        )
    ratio = pages[5_000][0] / pages[50][0]
    print(f"  → 50 of 5,000 devices costs {ratio:.2f}× 50 of 50 (goal ≤ 1.5×)")


def main() -> int:
    from bench.__main__ import Report, bare_route, measure, ok

    repeat = 20 if "--quick" in sys.argv else 100
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
                "SECRET_KEY": "b",
            }
        )
        client = app.test_client()
        bare = bare_route()
        measure(bare, 50)
        report = Report(measure(bare, repeat * 5)[0])
        graph_list_figures(report, client, repeat, measure, ok)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
