"""A throwaway PostgreSQL server for tests: Debian's PostgreSQL, started in a temporary directory
on a free loopback port and removed afterwards, so `make test` covers PostgreSQL wherever it can.

Where PostgreSQL is not installed, it is installed with apt-get when the run is root (as on CI);
where that cannot be done, `unavailable()` says why and the tests that need it are skipped.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

RUN_AS = "postgres"  # PostgreSQL refuses to run as root; Debian's package makes this user
INSTALL_TIMEOUT = 600


class Unavailable(Exception):
    """PostgreSQL cannot be had here; the message says why."""


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major, reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _major(path: str) -> int:
    part = Path(path).parts[4]
    return int(part) if part.isdigit() else 0


def _install() -> None:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise Unavailable(
            "PostgreSQL is not installed and this run cannot install it (needs root and "
            "apt-get): `apt-get install -y postgresql`"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "postgresql"],
    ):
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT
        )
        if done.returncode != 0:
            raise Unavailable(f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise Unavailable("running as root without `runuser` to start PostgreSQL as a user")
    return ["runuser", "-u", RUN_AS, "--", *command]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(_as_owner(command), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise Unavailable(f"{what} failed: {(done.stderr or done.stdout).strip()[-400:]}")


@contextmanager
def postgres_server(port: int | None = None) -> Iterator[str]:
    """Start a PostgreSQL server of its own; yields the URL of its `postgres` database (user
    `postgres`, trust authentication on 127.0.0.1). Raises Unavailable when it cannot."""
    bindir = _bindir()
    if bindir is None:
        _install()
        bindir = _bindir()
        if bindir is None:
            raise Unavailable("apt-get installed postgresql but no initdb was found")
    home = Path(tempfile.mkdtemp(prefix="enrollsim-pg-"))
    data, sockets = home / "data", home / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(home, RUN_AS)
        shutil.chown(sockets, RUN_AS)
    port = port or _free_port()
    try:
        initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
        _run([*initdb, "-E", "UTF8", "--no-sync"], "initdb")
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        start = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-w"]
        _run([*start, "-t", "60", "-o", options, "start"], "pg_ctl start")
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], "stop")
    finally:
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server (dropped afterwards); yields its URL."""
    name = f"enrollsim_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def port_from_env(variable: str, worker_id: str = "master") -> int | None:
    """A port from the environment (`ENROLLSIM_TEST_PG_PORT=5440`), one more per xdist worker
    (gw1 gets 5441), so runs sharing a machine keep to their own range; None: any free port."""
    base = os.environ.get(variable, "").strip()
    if not base:
        return None
    offset = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    return int(base) + offset
