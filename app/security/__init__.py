"""Locks and headers for a shared deployment: response headers, cookies, hosts and public URLs."""

from flask import Flask

from app.security.headers import register_headers
from app.security.hosts import external_url, register_trusted_hosts

__all__ = ["external_url", "register"]


def register(app: Flask) -> None:
    register_trusted_hosts(app)
    register_headers(app)
