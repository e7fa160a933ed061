"""Configuration: defaults, then ENROLLSIM_* environment variables, then test_config."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: Path) -> str:
    """Generate the secret key once and keep it, so sessions survive a restart."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


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
        "WTF_CSRF_TIME_LIMIT": None,
        "JSON_SORT_KEYS": False,
        # Static URLs carry a digest of the file (app/static_files.py): safe to cache for a year.
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 60 * 60,
    }
    secret = env.get("ENROLLSIM_SECRET_KEY")
    if test_config:
        settings.update(test_config)
    if "SECRET_KEY" not in settings:
        settings["SECRET_KEY"] = secret or _secret_key(instance)
    return settings
