"""Cost that stays flat as a tenant grows: each figure measured on a tenant and on one ten times
its size in the same run, printed with the ratio (the goal is ≤ 1.5×). `python -m bench.scale`
(`--quick`: fewer repeats and the 1,000 → 10,000-user pair for the in-process resolve; `--walk`:
only the portal walk's figures)."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app import create_app
from app.directory.profiles import resolve_for_user
from app.scenarios import create_tenant, parse_document
from app.store import PortalWalk, User, db, new_tenant_id, transaction
from bench import graph_lists, tenants, walk
from bench.__main__ import Report, bare_route, measure

Figures = tuple[float, float]


def seed(app, users: int, groups: int, profiles: int, devices: int = 0) -> str:
    """A made-up tenant of this size (bench/tenants.py, with `devices` recorded devices spread
    over the first users); its id."""
    started = time.perf_counter()
    with app.app_context():
        document = tenants.build(users, groups, profiles)
        document["devices"] = graph_lists.scenario(devices, min(devices, users) or 1)["devices"]
        tenant_id = create_tenant(parse_document(document), new_tenant_id()).id
    print(
        f"  (seeded {users:,} users / {groups:,} groups / {profiles:,} profiles / "
        f"{devices:,} devices in {time.perf_counter() - started:.1f} s)"
    )
    return tenant_id


def pair(report: Report, name: str, small: Figures, large: Figures, goal: str = "≤ 1.5×") -> None:
    """Both figures, then the ratio of the medians."""
    report.line(f"{name}, 1×", small)
    report.line(f"{name}, 10×", large)
    print(f"{'  ratio 10× / 1×':<66} {large[0] / small[0]:>8.2f}×  {goal}")


def byte_pair(name: str, small: Figures, large: Figures) -> None:
    """Two sizes in bytes, then their ratio (the goal is ≤ 1.5×)."""
    print(f"{name + ', 1×':<66} {small[0]:>9,.0f} B")
    print(f"{name + ', 10×':<66} {large[0]:>9,.0f} B")
    print(f"{'  ratio 10× / 1×':<66} {large[0] / small[0]:>8.2f}×  ≤ 1.5×")


def resolve_figures(app, user_index: Callable[[int], int], size, repeat: int) -> dict[str, Figures]:
    """In-process resolve for one user: a read (profiles cached by revision) and inside a write
    transaction (nothing cached), on a tenant of `size` (users, groups, profiles)."""
    users = size[0]
    tenant_id = seed(app, *size)
    upn = f"user{user_index(users)}@bench.test"
    figures: dict[str, Figures] = {}
    with app.app_context():
        user = db.session.query(User).filter_by(tenant_id=tenant_id, upn_key=upn).one()
        resolve_for_user(user)  # warm up
        figures["read"] = measure(lambda: resolve_for_user(user).applied, repeat)

        def in_write() -> None:
            with transaction(tenant_id):
                resolve_for_user(user)

        figures["write"] = measure(in_write, repeat)

        def touch() -> None:  # any write to the tenant: its cached profiles no longer hold
            with transaction(tenant_id):
                pass
            db.session.refresh(user)

        figures["after write"] = measure(lambda: resolve_for_user(user).applied, repeat, touch)
        url = f"/_sim/tenants/{tenant_id}/resolve?upn={upn}"
        client = app.test_client()
        client.get(url)
        figures["trace"] = measure(lambda: client.get(url), max(repeat // 5, 5))
    return figures


def walk_targets(app, size) -> dict[str, Callable[[], object] | int]:
    """Company Portal sign-in (one POST, answered by a 303 to the walk), the walk's first
    screen, its full trace and the control API's resolve, for one user of a tenant of `size`
    (users, groups, profiles, devices), ready to measure; with the screen's size and the walk's
    as stored."""
    tenant_id = seed(app, *size)
    client = app.test_client()
    portal = f"/t/{tenant_id}/portal/"
    token = walk._CSRF.search(client.get(portal).get_data(as_text=True))[1]
    form = {
        "csrf_token": token,
        "email": f"user{size[0] // 2}@bench.test",
        "password": tenants.PASSWORD,
        "model": "iPhone",
        "osVersion": "17.5",
        "serialNumber": "C39XK0000001",
    }

    def sign_in():
        response = client.post(portal, data=form)
        if response.status_code != 303:
            raise SystemExit(f"bench scale: sign-in answered {response.status_code}")
        return response.headers["Location"]

    screen = sign_in()
    page = client.get(screen)
    with app.app_context():  # what the walk keeps (its state column), as stored
        kept = db.session.get(PortalWalk, screen.rstrip("/").rsplit("/", 1)[1]).state
    full_trace = f"{screen.rstrip('/')}/trace"
    resolve = f"/_sim/tenants/{tenant_id}/resolve?upn={form['email']}"
    for url in (full_trace, resolve):
        if client.get(url).status_code != 200:
            raise SystemExit(f"bench scale: {url} did not answer 200")
    return {
        "sign-in": sign_in,
        "screen": lambda: client.get(screen),
        "full trace": lambda: client.get(full_trace),
        "resolve": lambda: client.get(resolve),
        "screen bytes": len(page.get_data()),
        "stored bytes": len(json.dumps(kept, separators=(",", ":"))),
    }


def in_turns(small: Callable[[], object], large: Callable[[], object], repeat: int):
    """Both sizes measured in turns, so that a moment when the machine is busier weighs on both
    alike (a shared machine moves a figure measured alone by 2×): their (median, p95) each."""
    small(), large()  # warm up
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for run, kept in zip((small, large), times, strict=True):
            started = time.perf_counter()
            run()
            kept.append((time.perf_counter() - started) * 1000)
    figures = []
    for kept in times:
        kept.sort()
        figures.append((statistics.median(kept), kept[int(len(kept) * 0.95) - 1]))
    return tuple(figures)


def graph_list_figures(app, devices: int, repeat: int) -> Figures:
    """Graph `GET managedDevices?$top=50` on a tenant of `devices` recorded devices."""
    client = app.test_client()
    tenant = client.post("/_sim/tenants", json=graph_lists.scenario(devices)).get_json()
    url = f"/t/{tenant['id']}/beta{graph_lists.DEVICES}?$top=50"
    headers = {"Authorization": f"Bearer {tenant['token']}"}
    if client.get(url, headers=headers).status_code != 200:
        raise SystemExit("bench scale: the Graph list did not answer 200")
    return measure(lambda: client.get(url, headers=headers), repeat)


def walk_figures(report: Report, app, repeat: int) -> None:
    """Sign-in, the walk's screen (time and bytes), the walk as stored, its full trace and the
    control API's resolve, on the 2,000 → 20,000-user pair (with 500 → 5,000 devices)."""
    sizes = ((2_000, 200, 40, 500), (20_000, 2_000, 400, 5_000))
    small, large = (walk_targets(app, s) for s in sizes)

    def timed(key: str, times: int = repeat // 2) -> tuple[Figures, Figures]:
        return in_turns(small[key], large[key], times)

    pair(report, "portal sign-in (2,000 → 20,000 users)", *timed("sign-in"))
    pair(report, "  the walk's first screen", *timed("screen"))
    byte_pair(
        "  the walk's first screen, bytes", (small["screen bytes"], 0), (large["screen bytes"], 0)
    )
    byte_pair("  the walk as stored, bytes", (small["stored bytes"], 0), (large["stored bytes"], 0))
    pair(
        report,
        "  its full trace (every profile, ×10 by design)",
        *timed("full trace", max(repeat // 5, 5)),
        "grows with the profiles it lists",
    )
    # the goal: its candidates are explained once per group set and revision
    pair(report, "GET …/resolve, the same user (lists every profile)", *timed("resolve"))


def main() -> int:
    quick = "--quick" in sys.argv
    only_walk = "--walk" in sys.argv  # the portal walk's figures only
    repeat = 20 if quick else 100
    resolve_sizes = (
        ((1_000, 100, 20), (10_000, 1_000, 200))
        if quick
        else ((10_000, 1_000, 200), (100_000, 10_000, 2_000))
    )
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'scale.sqlite'}",
                "SECRET_KEY": "b",
            }
        )
        bare = bare_route()
        measure(bare, 50)
        report = Report(measure(bare, repeat * 5)[0])
        if not only_walk:
            small, large = (graph_list_figures(app, n, repeat) for n in (500, 5_000))
            pair(report, "Graph GET managedDevices?$top=50 (500 → 5,000 devices)", small, large)
        walk_figures(report, app, repeat)
        if only_walk:
            return 0
        small, large = (resolve_figures(app, lambda n: n // 2, s, repeat) for s in resolve_sizes)
        label = f"{resolve_sizes[0][0]:,} → {resolve_sizes[1][0]:,} users"
        pair(report, f"resolve_for_user ({label})", small["read"], large["read"], "≤ 2 ms, ≤ 1.5×")
        pair(report, "  the same, inside a write transaction", small["write"], large["write"])
        pair(report, "  the same, first after a write", small["after write"], large["after write"])
        pair(
            report,
            "GET …/resolve (opens the full trace: every profile, ×10 by design)",
            small["trace"],
            large["trace"],
            "grows with the profiles it lists",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
