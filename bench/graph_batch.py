"""Graph `$batch` against the same requests sent one by one: a batch of 20 should cost at most
what 20 single requests do (each sub-request goes through the whole app, without the HTTP client's
own overhead per request)."""

from __future__ import annotations

from collections.abc import Callable

from bench import tenants

URLS = (
    "/users?$top=10",
    "/groups",
    "/deviceManagement/managedDevices",
    "/deviceManagement/appleUserInitiatedEnrollmentProfiles",
    "/organization",
)


def requests_of(count: int) -> list[dict]:
    return [{"id": str(n + 1), "method": "GET", "url": URLS[n % len(URLS)]} for n in range(count)]


def batch_figures(report, client, measure: Callable, repeat: int) -> None:
    """Print a batch of 20 beside 20 single requests (same URLs, same tenant)."""
    created = client.post("/_sim/tenants", json=tenants.small(100))
    tenant = created.get_json()
    root = f"/t/{tenant['id']}/beta"
    headers = {"Authorization": f"Bearer {tenant['token']}"}
    twenty = requests_of(20)

    def singles() -> None:
        for item in twenty:
            response = client.get(f"{root}{item['url']}", headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"bench: {item['url']} answered {response.status_code}")

    def batch() -> None:
        response = client.post(f"{root}/$batch", json={"requests": twenty}, headers=headers)
        statuses = {answer["status"] for answer in response.get_json()["responses"]}
        if response.status_code != 200 or statuses != {200}:
            raise SystemExit(f"bench: $batch answered {response.status_code} {statuses}")

    singles(), batch()  # warm up
    one_by_one = measure(singles, repeat)
    batched = measure(batch, repeat)
    report.line("Graph: 20 single GETs (users, groups, devices, profiles, org)", one_by_one)
    report.line(
        "Graph: the same 20 in one POST /$batch",
        batched,
        f"≤ 20 singles {'✔' if batched[0] <= one_by_one[0] else '✘'}",
    )
