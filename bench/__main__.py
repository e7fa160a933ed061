"""Run the benchmarks and print their figures: `python -m bench` (or `make bench`);
`--quick` repeats less, `--graph` runs only the Graph figures, `--today` only Intune today's
flows (bench/today.py); the HTTP load benchmark on gunicorn is `python -m bench load`, the HTTP
throughput of the Graph list and a portal screen against a bare route `python -m bench http`; each
figure at 1× and 10× a tenant's size, with the ratio, is `python -m bench scale`; the retention
figures alone are `python -m bench retention`.

Every figure is a median over repeated runs through Flask's test client, printed beside a bare
Flask JSON route measured in the same run, so the ratio says how much work the simulator adds on
this machine, whatever its speed. Nothing here asserts: goals are printed next to the figures.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from app import create_app
from app.directory.profiles import resolve_for_user
from app.scenarios import create_tenant, parse_document
from app.store import User, db, new_tenant_id, transaction
from bench import graph_batch, retention, tenants, today, walk
from bench.graph_lists import graph_list_figures


def measure(run: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None):
    """Median and 95th percentile in milliseconds of `run` (after `setup`, untimed)."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def bare_route() -> Callable[[], object]:
    app = Flask("bare")

    @app.get("/")
    def index():
        return {"status": "ok", "value": [1, 2, 3]}

    client = app.test_client()
    return lambda: client.get("/")


def ok(response, status: int = 200):
    if response.status_code != status:
        raise SystemExit(f"bench: {response.request.path} answered {response.status_code}")
    return response


class Report:
    def __init__(self, baseline_ms: float) -> None:
        self.baseline = baseline_ms
        print(f"{'benchmark':<66} {'median':>9} {'p95':>9} {'× bare':>8}  goal")
        print(f"{'bare Flask JSON route (test client)':<66} {baseline_ms:>7.3f}ms")

    def line(self, name: str, figures: tuple[float, float], goal: str = "") -> None:
        median, p95 = figures
        ratio = median / self.baseline
        print(f"{name:<66} {median:>7.2f}ms {p95:>7.2f}ms {ratio:>7.0f}×  {goal}")


def resolve_figures(report: Report, client, app, size: tuple[int, int, int], repeat: int) -> None:
    users, groups, profiles = size
    with app.app_context():
        started = time.perf_counter()
        tenant = create_tenant(
            parse_document(tenants.build(users, groups, profiles)), new_tenant_id()
        )
        built = time.perf_counter() - started
        tenant_id = tenant.id
    label = f"{users:,} users / {groups:,} groups / {profiles} profiles"
    print(f"  (seeded a tenant of {label} in {built:.1f} s)")
    upn = f"user{users // 2}@bench.test"
    with app.app_context():
        user = db.session.query(User).filter_by(tenant_id=tenant_id, upn_key=upn).one()

        resolve_for_user(user)  # warm up
        report.line(
            f"resolve_for_user, {label}",
            measure(lambda: resolve_for_user(user), repeat),
            "≤ 2 ms, flat",
        )

        def touch() -> None:  # any write to the tenant: its profiles are read again
            with transaction(tenant_id):
                pass
            db.session.refresh(user)  # the commit expired it: reload outside the timing

        report.line(
            "  the same, first after a write to the tenant (profiles reloaded)",
            measure(lambda: resolve_for_user(user), repeat, setup=touch),
        )
    url = f"/_sim/tenants/{tenant_id}/resolve?upn={upn}"
    ok(client.get(url))
    report.line(f"GET …/resolve (full trace), {label}", measure(lambda: client.get(url), repeat))


def main() -> int:
    quick = "--quick" in sys.argv  # --graph: only the Graph figures
    repeat = 20 if quick else 100
    only_today = "--today" in sys.argv  # Intune today's flows only (skip the big tenants)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
                "SECRET_KEY": "b",
            }
        )
        client = app.test_client()
        bare = bare_route()
        measure(bare, 50)  # warm up
        report = Report(measure(bare, repeat * 5)[0])
        graph_batch.batch_figures(report, client, measure, repeat // 2)
        if "--graph" in sys.argv:
            return 0

        if only_today:
            today.run(report, client, repeat // 2)
            return 0
        scenario = tenants.small(100)
        ok(client.post("/_sim/tenants", json=scenario), 201)  # warm up
        report.line(
            "create + seed, 100-entity scenario (POST /_sim/tenants)",
            measure(lambda: ok(client.post("/_sim/tenants", json=scenario), 201), repeat),
            "≤ 50 ms",
        )
        tenant_id = ok(client.post("/_sim/tenants", json=scenario), 201).get_json()["id"]
        reset_url = f"/_sim/tenants/{tenant_id}/reset"
        report.line(
            "reset a 100-entity tenant to empty (POST …/reset)",
            measure(
                lambda: ok(client.post(reset_url)),
                repeat,
                setup=lambda: ok(client.post(reset_url, json=scenario)),
            ),
            "≤ 20 ms",
        )
        report.line(
            "reset a 100-entity tenant to a 100-entity scenario",
            measure(lambda: ok(client.post(reset_url, json=scenario)), repeat),
        )
        export_url = f"/_sim/tenants/{tenant_id}/scenario"
        report.line(
            "export a 100-entity tenant (GET …/scenario)",
            measure(lambda: ok(client.get(export_url)), repeat),
        )
        # 1/10 of the goal's tenant, the goal's, and the goal's users and groups with 1/10 of its
        # profiles: which dimension the time follows.
        for size in ((1_000, 100, 20), (10_000, 1_000, 200), (10_000, 1_000, 20)):
            resolve_figures(report, client, app, size, repeat)
        walk_through(report, client, repeat)
        graph_list_figures(report, client, repeat, measure, ok)
        print("Intune today (enrollment-today.md §3, §4), per request:")
        today.run(report, client, repeat // 2)
    retention.figures(quick)  # storage per walk with and without the policy, a pass's cost
    return 0


def walk_through(report: Report, client, repeat: int) -> None:
    """The portal's HTTP steps: sign in, every screen, up to "You're all set!" (with the device
    recorded), once for a User Enrollment path and once for a Device Enrollment path."""
    sign_in_page = measure(lambda: client.get("/portal/"), repeat)
    report.line("portal sign-in page (GET /portal/)", sign_in_page)
    tenant_id = ok(client.post("/_sim/tenants", json=walk.SCENARIO), 201).get_json()["id"]

    def reset() -> None:
        ok(client.post(f"/_sim/tenants/{tenant_id}/reset", json=walk.SCENARIO))

    for label, presses in (
        ("User Enrollment (personal, work only)", walk.USER_ENROLLMENT),
        ("Device Enrollment (company)", walk.DEVICE_ENROLLMENT),
    ):
        requests = walk.walk(client, tenant_id, presses)  # warm up, and count the requests
        median, p95 = measure(
            lambda p=presses: walk.walk(client, tenant_id, p),
            repeat // 2,
            setup=reset,  # each walk records a device: stay under the tenant's device limit
        )
        report.line(f"walk-through, {label}: {requests} requests", (median, p95))
        report.line("  the same, per HTTP request", (median / requests, p95 / requests))


if __name__ == "__main__":
    if sys.argv[1:2] == ["scale"]:
        from bench.scale import main as scale

        raise SystemExit(scale())
    if sys.argv[1:2] == ["retention"]:
        raise SystemExit(retention.main())
    if sys.argv[1:2] == ["load"]:
        from bench.load import main as load

        raise SystemExit(load(sys.argv[2:]))
    if sys.argv[1:2] == ["http"]:
        from bench.throughput import main as http

        raise SystemExit(http(sys.argv[2:]))
    raise SystemExit(main())
