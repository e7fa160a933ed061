"""HTTP throughput: the simulator's hot paths against a bare Flask JSON route on the same server.

`python -m bench http [--clients 20] [--seconds 5] [--rounds 5] [--devices 500] [--workers 2]
[--no-stubs]`, or `make bench`. gunicorn serves the simulator exactly as deployed
(gunicorn.conf.py: gthread workers with keep-alive) on a fresh SQLite file, with a tenant holding
`--devices` recorded devices, and serves bench/bare_app.py — a bare Flask route returning the same
body of 50 devices — with the same workers and threads. WireMock and Mockoon serve that body as a
static stub where Java and Node can run them (else a "skipped:" line says why). `wrk` drives each
target with the same keep-alive clients, the targets interleaved round after round on this shared
machine; printed are the medians of requests/s, p50 and p99, the server's CPU per request, and
the ratio to the bare route measured in the same round. Ports 18100–18199 only; every server
started here is stopped on the way out, Ctrl-C and errors included. Nothing is asserted: the goal
(the Graph list ≥ 0.5× the bare route) is printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench import servers, stubs
from bench.graph_lists import scenario as devices_scenario
from bench.http_walk import _CSRF
from bench.load import cpu_seconds
from bench.walk import PASSWORD
from bench.walk import SCENARIO as WALK_SCENARIO

GOAL = 0.5  # the Graph list's requests/s over the bare route's (WireMock's stub: 0.55)
STUBS = (("WireMock", stubs.wiremock), ("Mockoon", stubs.mockoon))
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Target:
    """One URL to drive, on one server, with the headers a real client sends."""

    name: str
    url: str
    pid: int
    headers: dict[str, str] = field(default_factory=dict)
    runs: list[dict] = field(default_factory=list)


def wrk(target: Target, clients: int, seconds: float) -> dict:
    """One `wrk` run: requests/s, p50 and p99 in ms, failed answers, server CPU per request."""
    command = ["wrk", "-t", "1", "-c", str(clients), "-d", f"{seconds:g}s", "--latency"]
    command += ["--timeout", "10s"]
    for name, value in target.headers.items():
        command += ["-H", f"{name}: {value}"]
    cpu_before = cpu_seconds(target.pid)
    done = subprocess.run(
        [*command, target.url], capture_output=True, text=True, timeout=seconds + 60
    )
    cpu = cpu_seconds(target.pid) - cpu_before
    if done.returncode != 0 or "Requests/sec" not in done.stdout:
        raise RuntimeError(f"wrk against {target.name} failed: {done.stderr or done.stdout}")
    figures = parse_wrk(done.stdout)
    figures["cpu_ms"] = 1000 * cpu / figures["requests"] if figures["requests"] else 0.0
    return figures


def parse_wrk(out: str) -> dict:
    """wrk's report (with --latency): requests/s, p50 and p99 in ms, requests, failed answers
    (a status not 2xx/3xx, or a socket error)."""
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": _latency(out, "50"),
        "p99": _latency(out, "99"),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "failed": (int(errors[1]) if errors else 0)
        + (sum(map(int, sockets.groups())) if sockets else 0),
    }


def _latency(out: str, percent: str) -> float:
    found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    return float(found[1]) * _UNITS[found[2]]


def simulator_targets(sim: servers.Running, devices: int) -> tuple[Target, Target, bytes]:
    """A tenant with `devices` devices and a portal user: the Graph list as a tool asks for it
    (bearer token), a portal walk screen as a signed-in browser asks for it (session cookie);
    and the list's body, for the others to serve."""
    document = devices_scenario(devices)
    document["users"] += WALK_SCENARIO["users"]
    document["groups"] = WALK_SCENARIO["groups"]
    document["profiles"] = WALK_SCENARIO["profiles"]
    created = requests.post(f"{sim.url}/_sim/tenants", json=document, timeout=120)
    created.raise_for_status()
    tenant = created.json()
    graph = Target(
        "Graph GET managedDevices?$top=50",
        f"{tenant['graphBaseUrl']}/deviceManagement/managedDevices?$top=50",
        sim.pid,
        {"Authorization": f"Bearer {tenant['token']}", "Accept": "application/json"},
    )
    body = requests.get(graph.url, headers=graph.headers, timeout=30)
    body.raise_for_status()
    # The screen a browser suite asks for most: one GET after every button press (bench/load.py).
    browser = requests.Session()
    portal = tenant["portalUrl"]
    page = browser.get(portal, timeout=30).text
    signed_in = browser.post(
        portal,
        data={
            "csrf_token": _CSRF.search(page)[1],
            "email": WALK_SCENARIO["users"][0]["upn"],
            "password": PASSWORD,
            "model": "iPhone",
            "osVersion": "17.5",
            "serialNumber": "C39BENCH0001",
        },
        allow_redirects=False,
        timeout=30,
    )
    if signed_in.status_code != 303:
        raise RuntimeError(f"portal sign-in answered {signed_in.status_code}")
    screen = requests.compat.urljoin(portal, signed_in.headers["Location"])
    cookies = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    step = Target("portal walk screen (GET, signed in)", screen, sim.pid, {"Cookie": cookies})
    if browser.get(screen, timeout=30).status_code != 200:
        raise RuntimeError("the portal's walk screen did not answer 200")
    return graph, step, body.content


def check_same_body(target: Target, body: bytes) -> None:
    """Every target serves the list's JSON (bytes may differ in spacing, not in content)."""
    answer = requests.get(target.url, headers=target.headers, timeout=30)
    if answer.status_code != 200 or answer.json() != json.loads(body):
        raise RuntimeError(f"{target.name} does not serve the Graph list's body")


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report(targets: list[Target], bare: Target, skipped: list[str], args) -> None:
    print(
        f"\n{'target (medians of ' + str(args.rounds) + ' rounds)':<44}{'req/s':>8}{'p50':>9}"
        f"{'p99':>9}{'CPU/req':>10}{'failed':>8}{'× bare':>8}"
    )
    for target in targets:
        ratios = [
            run["rps"] / base["rps"] for run, base in zip(target.runs, bare.runs, strict=True)
        ]
        print(
            f"{target.name:<44}{median(target.runs, 'rps'):>8.0f}"
            f"{median(target.runs, 'p50'):>7.1f}ms{median(target.runs, 'p99'):>7.1f}ms"
            f"{median(target.runs, 'cpu_ms'):>8.2f}ms{sum(r['failed'] for r in target.runs):>8}"
            f"{_down(statistics.median(ratios)):>8.2f}"
        )
    for line in skipped:
        print(line)
    graph = targets[1]
    ratio = statistics.median(
        r["rps"] / b["rps"] for r, b in zip(graph.runs, bare.runs, strict=True)
    )
    mark = "✔" if ratio >= GOAL else "✘"
    verdict = f"{_down(ratio):.2f}× {mark}"
    print(f"\nGoal: the Graph list ≥ {GOAL}× the bare route's requests/s: {verdict}")


def _down(ratio: float) -> float:
    """Two decimals, rounded down: 0.498 reads 0.49, not 0.50 beside its ✘."""
    return math.floor(ratio * 100) / 100


def main(argv: list[str]) -> int:
    try:
        return run(argv)
    except KeyboardInterrupt:
        print("\nInterrupted: every server this benchmark started is stopped.")
        return 130


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench http", description=__doc__)
    parser.add_argument("--clients", type=int, default=20, help="concurrent keep-alive clients")
    parser.add_argument("--seconds", type=float, default=5.0, help="per target and round")
    parser.add_argument("--rounds", type=int, default=5, help="the medians are over these")
    parser.add_argument("--devices", type=int, default=500, help="devices the tenant holds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--no-stubs", action="store_true", help="skip WireMock and Mockoon")
    parser.add_argument("--quick", action="store_true", help="2 s per target and round")
    args = parser.parse_args(argv)
    seconds = 2.0 if args.quick else args.seconds
    if shutil.which("wrk") is None:
        print("HTTP throughput skipped: wrk is not installed (Debian: apt-get install wrk)")
        return 0
    servers.stop_on_sigterm()
    print(
        f"HTTP throughput: {args.clients} keep-alive clients (wrk) for {seconds:g} s per target, "
        f"{args.rounds} rounds interleaved; gunicorn {args.workers} workers × {args.threads} "
        f"threads for the simulator and the bare route; a tenant of {args.devices} devices; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}."
    )
    with tempfile.TemporaryDirectory(prefix="enrollsim-http-") as tmp, ExitStack() as stack:
        targets, skipped, body = start_targets(stack, Path(tmp), args)
        bare, step = targets[0], targets[2]
        for target in targets:
            if target is not step:
                check_same_body(target, body)
            wrk(target, args.clients, 1.0)  # warm up: JIT, caches, connections
        for round_ in range(args.rounds):
            # Each round in another order, so no target always follows the same one.
            order = targets[round_ % len(targets) :] + targets[: round_ % len(targets)]
            for target in order:
                target.runs.append(wrk(target, args.clients, seconds))
            print(f"  round {round_ + 1}: " + ", ".join(
                f"{t.name.split(' ')[0]} {t.runs[-1]['rps']:.0f}" for t in targets
            ) + " req/s")  # fmt: skip
        report(targets, bare, skipped, args)
    return 0


def start_targets(stack: ExitStack, scratch: Path, args) -> tuple[list[Target], list[str], bytes]:
    """Every server, started in `stack` (stopped when it closes): the targets in the order bare
    route, Graph list, portal screen, stubs; the "skipped:" lines; the Graph list's body."""
    taken: set[int] = set()
    port = servers.free_port(taken)
    sim = stack.enter_context(
        servers.process(
            servers.gunicorn_command("app:create_app()", port, args.workers, args.threads),
            port,
            "/_sim/ready",
            scratch / "simulator.log",
            env={"ENROLLSIM_DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite'}"},
            ready_when=f"Worker ready (pid×{args.workers}",
        )
    )
    graph, step, body = simulator_targets(sim, args.devices)
    (scratch / "devices.json").write_bytes(body)
    port = servers.free_port(taken)
    bare_server = stack.enter_context(
        servers.process(
            servers.gunicorn_command("bench.bare_app:app", port, args.workers, args.threads),
            port,
            "/health",
            scratch / "bare.log",
            env={"ENROLLSIM_BENCH_BODY": str(scratch / "devices.json")},
            ready_when=f"Worker ready (pid×{args.workers}",
        )
    )
    bare_url = f"{bare_server.url}{stubs.PATH}"
    targets = [Target("bare Flask JSON route, same body", bare_url, bare_server.pid), graph, step]
    skipped = (
        [f"{'WireMock / Mockoon static stubs':<44}skipped: --no-stubs"] if args.no_stubs else []
    )
    for name, start in () if args.no_stubs else STUBS:
        port = servers.free_port(taken)
        try:
            server, label, note = start(scratch / "devices.json", port, scratch)
            running = stack.enter_context(server)
        except (stubs.Unavailable, servers.BootFailed) as exc:
            skipped.append(f"{name + ' static stub':<44}skipped: {exc}")
            continue
        print(f"  ({note})")
        url = f"{running.url}{stubs.PATH}"
        targets.append(Target(f"{label} static stub", url, running.pid))
    return targets, skipped, body
