"""The simulator under gunicorn, as a deployment runs it: several worker processes on one
database, started cold and polled until `/_sim/ready` answers. For the multi-worker tests and
the load benchmark (bench/load.py)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

BOOT_TIMEOUT = 90  # seconds: four workers importing the app on a loaded 2-core machine
FAILED = re.compile(r"Worker failed to boot|Exception in worker process|Traceback", re.I)
ACCESS_FORMAT = "%(p)s %(m)s %(U)s %(s)s"  # worker pid, method, path, status


@dataclass
class Server:
    url: str
    pid: int
    log_path: Path
    access_path: Path
    started_in: float = 0.0

    def log(self) -> str:
        """gunicorn's log, then what the processes printed (the banner among it)."""
        paths = (self.log_path, self.log_path.with_name("output.log"))
        return "".join(p.read_text(errors="replace") for p in paths if p.exists())

    def boot_failures(self) -> list[str]:
        return [line for line in self.log().splitlines() if FAILED.search(line)]

    def ready_workers(self) -> int:
        """Workers that loaded the app (gunicorn.conf.py's post_worker_init logs each)."""
        return self.log().count("Worker ready (pid")

    def pids_that_answered(self) -> set[str]:
        text = self.access_path.read_text(errors="replace") if self.access_path.exists() else ""
        return {line.split()[0] for line in text.splitlines() if line.strip()}


@contextmanager
def gunicorn(
    database_url: str,
    *,
    workers: int = 4,
    threads: int = 4,
    port: int = 0,
    env: dict[str, str] | None = None,
    scheme: str = "http",
) -> Iterator[Server]:
    """Start `gunicorn -w WORKERS 'app:create_app()'` on `database_url`; yields once it is ready
    (or its workers failed to boot: the caller reads `boot_failures()`)."""
    port = port or _free_port()
    scratch = Path(tempfile.mkdtemp(prefix="enrollsim-gunicorn-"))
    log_path, access_path = scratch / "error.log", scratch / "access.log"
    environment = {
        **os.environ,
        "ENROLLSIM_DATABASE_URL": database_url,
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "gunicorn", "app:create_app()",
        "--workers", str(workers), "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--error-logfile", str(log_path),
        "--access-logfile", str(access_path), "--access-logformat", ACCESS_FORMAT,
        "--graceful-timeout", "5",
    ]  # fmt: skip
    started = time.perf_counter()
    output = open(scratch / "output.log", "wb")  # the banner, and anything a worker prints
    process = subprocess.Popen(
        command,
        env=environment,
        cwd=Path(__file__).parents[2],
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    server = Server(f"{scheme}://127.0.0.1:{port}", process.pid, log_path, access_path)
    try:
        _wait_ready(server, process, workers)
        server.started_in = time.perf_counter() - started
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _wait_ready(server: Server, process: subprocess.Popen, workers: int) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None or server.boot_failures():
            return
        if server.ready_workers() >= workers:
            try:
                # Readiness, not trust: a self-signed certificate is checked by the caller.
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ready = requests.get(f"{server.url}/_sim/ready", timeout=5, verify=False)
                if ready.status_code == 200:
                    return
            except requests.RequestException:
                pass
        time.sleep(0.2)
    raise TimeoutError(f"gunicorn was not ready in {BOOT_TIMEOUT} s:\n{server.log()[-2000:]}")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
