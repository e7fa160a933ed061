"""Servers the HTTP throughput benchmark (bench/throughput.py) starts: each a process of its own
on a free port of the benchmark's range, polled until it answers, and always stopped (its whole
process group) when the `with` block ends, whether by return, error or Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(18100, 18200)  # the benchmark's ports, and no others
BOOT_TIMEOUT = 120  # seconds: a JVM or two gunicorn workers on a loaded 2-core machine


class BootFailed(Exception):
    """The server exited, or did not answer in time; the message ends with its log."""


@dataclass
class Running:
    url: str
    pid: int
    log_path: Path


def free_port(taken: set[int]) -> int:
    """A port of PORTS nothing listens on (and not handed out before in this run)."""
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise BootFailed(f"no free port in {PORTS.start}–{PORTS.stop - 1}")


@contextmanager
def process(
    command: Sequence[str],
    port: int,
    ready_path: str,
    log_path: Path,
    env: dict[str, str] | None = None,
    ready_when: str = "",
) -> Iterator[Running]:
    """Run `command`, yield once `GET ready_path` answers 200 (and, if given, `ready_when` is in
    its log as many times as it says, e.g. one "Worker ready" line per gunicorn worker)."""
    marker, _, times = ready_when.partition("×")
    with open(log_path, "wb") as log:
        child = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own group: stopped whole, and spared the terminal's ^C
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait(child, f"{url}{ready_path}", log_path, marker, int(times or 1))
            yield Running(url, child.pid, log_path)
        finally:
            _stop(child)


def _wait(child: subprocess.Popen, url: str, log_path: Path, marker: str, times: int) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise BootFailed(f"exited with {child.returncode}:\n{_tail(log_path)}")
        if not marker or log_path.read_text(errors="replace").count(marker) >= times:
            try:
                if requests.get(url, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
        time.sleep(0.25)
    raise BootFailed(f"not ready in {BOOT_TIMEOUT} s:\n{_tail(log_path)}")


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        try:
            os.killpg(child.pid, signal.SIGTERM)
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        except ProcessLookupError:
            pass
    else:  # the leader is gone; a worker it left behind would keep the port
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-2500:] if log_path.exists() else ""


def gunicorn_command(app: str, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn as deployed (gunicorn.conf.py: gthread workers with keep-alive, no access log),
    with the same workers and threads whatever the app."""
    return [
        sys.executable, "-m", "gunicorn", app, "--config", str(ROOT / "gunicorn.conf.py"),
        "--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
    ]  # fmt: skip


def stop_on_sigterm() -> None:
    """A `kill` of the benchmark unwinds like Ctrl-C does, so every server is stopped."""

    def _raise(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _raise)
