"""Configuration: defaults, then ENROLLSIM_* environment variables, then test_config."""

from __future__ import annotations

import os
import re
from pathlib import Path

from app.store.database import sqlite_synchronous

REPO_ROOT = Path(__file__).resolve().parent.parent
# Half as much again as a 100,000-user scenario document written as export writes it (41 MiB
# with 40-character UPNs, display names, password hashes and three group memberships each;
# tests/test_request_limits.py measures it): room for any scenario, not for filling the memory.
MAX_REQUEST_BYTES = 64 * 1024 * 1024


def _kept_secret_key(instance_path: Path) -> str | None:
    """The key an earlier version generated into instance/secret_key, so its sessions survive the
    upgrade; new installs keep the key in the database, shared by every worker on every machine
    (app/store/shared.py)."""
    key_file = instance_path / "secret_key"
    return key_file.read_text().strip() or None if key_file.exists() else None


def _flag(env, name: str, default: bool) -> bool:
    text = env.get(name, "").strip().lower()
    if not text:
        return default
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}: 1 or 0 (true or false); not {text!r}")


def load(instance_path: str, test_config: dict | None = None) -> dict:
    """Return the settings for one app: defaults < environment < test_config."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    env = os.environ
    settings: dict = {
        "SQLALCHEMY_DATABASE_URI": env.get(
            "ENROLLSIM_DATABASE_URL", f"sqlite:///{instance / 'enrollsim.sqlite'}"
        ),
        "CONTROL_TOKEN": env.get("ENROLLSIM_CONTROL_TOKEN") or None,
        "DEFAULT_SCENARIO": env.get(
            "ENROLLSIM_DEFAULT_SCENARIO", str(REPO_ROOT / "scenarios" / "demo.yaml")
        ),
        "SEED_DEFAULT_TENANT": True,
        # Each process brings the schema to the newest revision at start, behind a database
        # lock; a deployment that migrates in a job of its own (`flask --app app db upgrade`)
        # sets ENROLLSIM_MIGRATE_ON_START=0 and /_sim/ready says 503 until it has run.
        "MIGRATE_ON_START": _flag(env, "ENROLLSIM_MIGRATE_ON_START", True),
        # An empty database built from the models and stamped with the newest revision instead
        # of running every revision: what tests do (tests/test_migrations.py proves it the same).
        "SCHEMA_FROM_MODELS": False,
        "WTF_CSRF_TIME_LIMIT": None,
        "JSON_SORT_KEYS": False,
        # Static URLs carry a digest of the file (app/static_files.py): safe to cache for a year.
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 60 * 60,
    }
    settings.update(_shared_deployment(env))
    settings.update(_retention(env))
    sqlite_synchronous()  # a wrong ENROLLSIM_SQLITE_SYNCHRONOUS stops the start, saying so
    secret = env.get("ENROLLSIM_SECRET_KEY")
    if test_config:
        settings.update(test_config)
    settings["SESSION_COOKIE_SECURE"] = settings.get("SESSION_COOKIE_SECURE") or str(
        settings.get("PUBLIC_URL") or ""
    ).startswith("https://")
    if "SECRET_KEY" not in settings:
        # None: the database's shared key, read once the database is ready (app/__init__.py).
        settings["SECRET_KEY"] = secret or _kept_secret_key(instance)
    return settings


def _shared_deployment(env) -> dict:
    """What a deployment shared by several people sets (README "Security"); every default is the
    laptop's: absolute URLs from the request's host, any host answered."""
    public_url = (env.get("ENROLLSIM_PUBLIC_URL") or "").strip().rstrip("/") or None
    hosts = [h.strip() for h in env.get("ENROLLSIM_TRUSTED_HOSTS", "").split(",") if h.strip()]
    limit = env.get("ENROLLSIM_MAX_REQUEST_BYTES", "").strip()
    return {
        "PUBLIC_URL": public_url,
        # Not Flask's own TRUSTED_HOSTS: that one would refuse /_sim/health to a probe too.
        "TRUSTED_HOSTS_LIST": hosts or None,
        "MAX_CONTENT_LENGTH": _byte_count(limit) if limit else MAX_REQUEST_BYTES,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Referrer-Policy: no-referrer means a browser sends no Referer for Flask-WTF's strict
        # HTTPS check to compare; the CSRF token and the SameSite cookie protect every form.
        "WTF_CSRF_SSL_STRICT": False,
    }


def _byte_count(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise ValueError(
            f"ENROLLSIM_MAX_REQUEST_BYTES: a number of bytes, like 67108864; not {text!r}"
        )
    return int(text)


# The retention policy (README "Retention"): what a long-running instance keeps.
DURATION = re.compile(r"(\d+)\s*([smhdw]?)", re.IGNORECASE)
UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
OFF = {"0", "off", "never", "none"}
MIN_IDLE_TENANT_TTL = 5 * 60  # tenants' activity is written at most once a minute


def _retention(env) -> dict:
    """Every limit can be switched off (`off` or `0`); the idle-tenant limit is off unless set."""
    return {
        "JOURNAL_MAX_EVENTS": _count(env, "ENROLLSIM_JOURNAL_MAX_EVENTS", 10_000),
        "JOURNAL_MAX_AGE": _duration(env, "ENROLLSIM_JOURNAL_MAX_AGE", "30d"),
        "WALK_MAX_AGE": _duration(env, "ENROLLSIM_WALK_MAX_AGE", "1d"),
        "IDLE_TENANT_TTL": _duration(
            env, "ENROLLSIM_IDLE_TENANT_TTL", "off", least=MIN_IDLE_TENANT_TTL
        ),
        "PRUNE_INTERVAL": _duration(env, "ENROLLSIM_PRUNE_INTERVAL", "5m"),
    }


def _count(env, name: str, default: int) -> int | None:
    text = env.get(name, "").strip().lower() or str(default)
    if text in OFF:
        return None
    if not text.isdigit():
        raise ValueError(f"{name}: a number of events, like 10000, or off; not {text!r}")
    return int(text)


def _duration(env, name: str, default: str, least: int = 1) -> int | None:
    """Seconds from `90`, `90s`, `15m`, `12h`, `30d` or `2w`; None for `off` (or `0`)."""
    text = env.get(name, "").strip().lower() or default
    if text in OFF:
        return None
    match = DURATION.fullmatch(text)
    if match is None:
        raise ValueError(
            f"{name}: a duration like 90s, 15m, 12h, 30d or 2w (seconds when no unit), or off; "
            f"not {text!r}"
        )
    seconds = int(match.group(1)) * UNIT_SECONDS[match.group(2)]
    if seconds < least:
        shortest = f"{least // 60} minutes" if least >= 60 else f"{least} second"
        raise ValueError(f"{name}: at least {shortest}, or off; not {text!r}")
    return seconds
