"""What `make run` and `make serve` print once listening: where the portal, the console, the
Graph API and the control API are, who the demo users are, and which database is used."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from app.config import REPO_ROOT
from app.version import __version__


def base_url(host: str, port: int, scheme: str) -> str:
    """The URL to open: ENROLLSIM_PUBLIC_URL when set; a wildcard bind is opened on loopback."""
    public = (os.environ.get("ENROLLSIM_PUBLIC_URL") or "").strip().rstrip("/")
    if public:
        return public
    if host in {"0.0.0.0", "::", ""}:
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def demo_users(scenario: Path) -> str | None:
    """The default tenant's users, and their password when they share one."""
    try:
        doc = yaml.safe_load(scenario.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    users = [u for u in doc.get("users") or [] if isinstance(u, dict) and u.get("upn")]
    if not users:
        return None
    passwords = {u.get("password") for u in users}
    shared = (
        f" (password {passwords.pop()})" if len(passwords) == 1 and None not in passwords else ""
    )
    return ", ".join(u["upn"] for u in users) + shared


def database() -> str:
    url = os.environ.get("ENROLLSIM_DATABASE_URL")
    if not url:
        return f"SQLite, {REPO_ROOT / 'instance' / 'enrollsim.sqlite'}"
    return make_url(url).render_as_string(hide_password=True)


def banner(url: str, workers: int, threads: int) -> list[str]:
    scenario = Path(
        os.environ.get("ENROLLSIM_DEFAULT_SCENARIO", REPO_ROOT / "scenarios" / "demo.yaml")
    )
    processes = "1 worker" if workers == 1 else f"{workers} workers"
    lines = [
        f"Enrollment Simulator {__version__} on {url} (gunicorn, {processes} × {threads} threads)",
        f"  Company Portal   {url}/portal/",
        f"  Admin console    {url}/admin/",
        f"  Graph base URL   {url}/beta  (token: .venv/bin/flask --app app tenant token)",
        f"  Control API      {url}/_sim/openapi.json  (probes: /_sim/health, /_sim/ready)",
    ]
    users = demo_users(scenario)
    if users:
        lines.append(f"  Demo users       {users}")
    lines.append(f"  Database         {database()}")
    lines.append("Press Ctrl+C to stop.")
    return lines
