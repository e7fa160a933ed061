"""Which host a request may name, and the base of every absolute URL the simulator writes.

Without settings (a laptop), absolute URLs are built from the request's `Host`, as Flask does.
A shared deployment sets ENROLLSIM_PUBLIC_URL, so no `Host` header a client sends ends up in a
URL the simulator hands out, and ENROLLSIM_TRUSTED_HOSTS, so a request naming any other host is
a 400. `/_sim/health` and `/_sim/ready` answer whatever the host: probes call them by the pod's
address.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, request, url_for
from werkzeug.sansio.utils import host_is_trusted

OPEN_ENDPOINTS = {"control.health", "control.ready"}


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint`: under ENROLLSIM_PUBLIC_URL when set, else the request's."""
    public = current_app.config.get("PUBLIC_URL")
    if not public:
        return url_for(endpoint, _external=True, **values)
    return public + url_for(endpoint, **values)


def _check_host() -> None:
    trusted = current_app.config.get("TRUSTED_HOSTS_LIST")
    if not trusted or request.endpoint in OPEN_ENDPOINTS:
        return
    if not host_is_trusted(request.host, trusted):
        abort(
            400,
            description=f"The host '{request.host}' is not one this server answers "
            "(ENROLLSIM_TRUSTED_HOSTS).",
        )


def register_trusted_hosts(app: Flask) -> None:
    app.before_request(_check_host)
