"""Load benchmark: N browser-like HTTP clients completing Company Portal walks against gunicorn,
with one worker on SQLite, then 1, 2 and 4 workers on PostgreSQL (a throwaway server started
here; skipped, saying so, where PostgreSQL cannot be had). `python -m bench load [--clients 20]
[--seconds 20] [--quick]`, or `make bench`.

Printed per run: walks/s, p50/p95/p99 of every step, failures, CPU seconds of the server's
processes per request, and walks recorded (devices) against walks completed. Loopback only,
bounded in time; it asserts nothing (goals are printed beside the figures).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import requests

from app.testing.gunicorn import Server, gunicorn
from app.testing.postgres import (
    Unavailable,
    fresh_postgres_database,
    port_from_env,
    postgres_server,
)
from bench.http_walk import ClientFigures, PortalClient
from bench.walk import PASSWORD

TICKS = os.sysconf("SC_CLK_TCK")
WARM_UP = 2.0  # seconds of walking before the measured window


def scenario(clients: int) -> dict:
    """One user per client, all in the group a "let the user choose" profile targets."""
    upns = [f"user{i}@bench.test" for i in range(clients)]
    return {
        "company": "Bench",
        "users": [{"upn": u, "displayName": u, "password": PASSWORD} for u in upns],
        "groups": [{"name": "Staff", "members": upns}],
        "profiles": [
            {"name": "BYOD Choice", "requireUserChoice": True, "assign": {"include": ["Staff"]}}
        ],
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (gunicorn's master and workers)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1] is the parent's pid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _walk_all(server: Server, tenant_id: str, clients: int, seconds: float) -> list[ClientFigures]:
    deadline = time.monotonic() + seconds
    walkers = [
        PortalClient(server.url, tenant_id, f"user{i}@bench.test", f"C39BENCH{i:04d}")
        for i in range(clients)
    ]
    results: list[ClientFigures] = [ClientFigures() for _ in walkers]

    def run(i: int) -> None:
        results[i] = walkers[i].run(deadline)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return results


def run_one(label: str, database_url: str, workers: int, clients: int, seconds: float) -> dict:
    """Start gunicorn cold, warm up, measure for `seconds`, and count what was recorded."""
    with gunicorn(database_url, workers=workers, threads=8) as server:
        tenant = requests.post(f"{server.url}/_sim/tenants", json=scenario(clients), timeout=60)
        tenant_id = tenant.json()["id"]
        _walk_all(server, tenant_id, clients, WARM_UP)
        before = requests.get(f"{server.url}/_sim/tenants/{tenant_id}", timeout=30).json()
        cpu_before = cpu_seconds(server.pid)
        started = time.perf_counter()
        results = _walk_all(server, tenant_id, clients, seconds)
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(server.pid) - cpu_before
        after = requests.get(f"{server.url}/_sim/tenants/{tenant_id}", timeout=30).json()
    completed = sum(r.completed for r in results)
    finished = completed + sum(r.late for r in results)
    requests_made = sum(r.requests for r in results)
    times: dict[str, list[float]] = {}
    for result in results:
        for step, values in result.times.items():
            times.setdefault(step, []).extend(values)
    return {
        "label": label,
        "workers": workers,
        "walks_per_s": completed / seconds,
        "completed": finished,
        "recorded": after["counts"]["devices"] - before["counts"]["devices"],
        "failures": [f for r in results for f in r.failures],
        "cpu_ms_per_request": 1000 * cpu / requests_made if requests_made else 0.0,
        "requests_per_s": requests_made / elapsed,
        "times": times,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(run: dict) -> None:
    failures = run["failures"]
    print(
        f"\n{run['label']}: {run['walks_per_s']:.1f} walks/s ({run['requests_per_s']:.0f} "
        f"requests/s), {len(failures)} failures, CPU {run['cpu_ms_per_request']:.1f} ms/request, "
        f"recorded {run['recorded']} of {run['completed']} completed walks"
        + ("" if run["recorded"] == run["completed"] else "  ✘ (goal: every walk once)")
    )
    for failure in sorted(set(failures))[:5]:
        print(f"    failure: {failure} (×{failures.count(failure)})")
    print(f"    {'step':<26}{'n':>7}{'p50':>9}{'p95':>9}{'p99':>9}  p99/p50 (goal ≤ 3)")
    for step, values in sorted(run["times"].items(), key=lambda kv: -len(kv[1])):
        p50, p95, p99 = (percentile(values, q) for q in (0.5, 0.95, 0.99))
        mark = "✔" if p99 <= 3 * p50 else "✘"
        print(
            f"    {step:<26}{len(values):>7}{p50:>7.1f}ms{p95:>7.1f}ms{p99:>7.1f}ms"
            f"  {p99 / p50:>4.1f} {mark}"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="measured time per run")
    parser.add_argument("--workers", default="1,2,4", help="PostgreSQL runs, e.g. 1,2,4")
    parser.add_argument("--quick", action="store_true", help="8 s per run")
    args = parser.parse_args(argv)
    seconds = 8.0 if args.quick else args.seconds
    print(
        f"Load: {args.clients} clients walking the portal (Device Enrollment, 19 requests a "
        f"walk) for {seconds:.0f} s per run, after {WARM_UP:.0f} s of warm-up; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}."
    )
    runs = []
    with tempfile.TemporaryDirectory() as scratch, ExitStack() as stack:
        url = f"sqlite:///{Path(scratch) / 'load.sqlite'}"
        runs.append(run_one("SQLite, 1 worker", url, 1, args.clients, seconds))
        report(runs[-1])
        try:
            server = stack.enter_context(postgres_server(port_from_env("ENROLLSIM_BENCH_PG_PORT")))
        except Unavailable as exc:
            print(f"\nPostgreSQL runs skipped: {exc}")
            server = None
        for workers in [int(w) for w in args.workers.split(",") if w.strip()] if server else []:
            with fresh_postgres_database(server) as database:
                label = f"PostgreSQL, {workers} worker{'s' if workers > 1 else ''}"
                runs.append(run_one(label, database, workers, args.clients, seconds))
            report(runs[-1])
    summary(runs)
    return 0


def summary(runs: list[dict]) -> None:
    by_workers = {r["workers"]: r for r in runs if r["label"].startswith("PostgreSQL")}
    print("\nGoals: 0 failures, every completed walk recorded once, 2 workers ≥ 1.8× one, "
          "p99 ≤ 3× p50 on every step.")  # fmt: skip
    if 1 in by_workers and 2 in by_workers and by_workers[1]["walks_per_s"]:
        ratio = by_workers[2]["walks_per_s"] / by_workers[1]["walks_per_s"]
        print(f"PostgreSQL: 2 workers = {ratio:.2f}× one worker {'✔' if ratio >= 1.8 else '✘'}")
    worst = max((len(r["failures"]) for r in runs), default=0)
    print(f"Failures in the worst run: {worst}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
