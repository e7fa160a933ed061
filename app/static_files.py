"""Static files are cached for a year; their URLs carry a digest of the file (`?v=…`), so an
edited stylesheet or script is a new URL and no browser keeps a stale copy."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask


@lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def version(static_folder: str, filename: str) -> str | None:
    """A short digest of the file's content; None when there is no such file."""
    path = Path(static_folder, filename)
    try:
        return _digest(path, path.stat().st_mtime_ns)
    except OSError:
        return None


def register_static_versions(app: Flask) -> None:
    @app.url_defaults
    def _static_version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or not app.static_folder:
            return
        digest = version(app.static_folder, values.get("filename", ""))
        if digest:
            values["v"] = digest
