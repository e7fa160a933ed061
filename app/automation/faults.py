"""Fault injection: per-tenant errors and latency on the Graph API and the Company Portal.

A tenant's fault config (`PUT /_sim/tenants/<id>/faults`) is stored in `Tenant.faults` with the
tenant revision at which it was set. Each face draws from its own `random.Random`, seeded from the
config's seed and the face, so the same config gives the same sequence of failures every time it
is set — and a suite can assert on it. How far a sequence has been drawn is counted in the
database (`app.store.next_draw`), so four workers draw it as one process would. Every injected
fault is journaled.
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from flask import Flask, Response, g, jsonify, request
from markupsafe import escape
from pydantic import BaseModel, ConfigDict, Field

from app.automation.journal import record
from app.store import Tenant, db, iso, next_draw, transaction

GRAPH_CODES = {
    429: "TooManyRequests",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}
GRAPH_MESSAGES = {
    429: "Too many requests. Retry after the time in the Retry-After header.",
    500: "An internal server error occurred.",
    502: "The gateway received an invalid response.",
    503: "The service is temporarily unavailable. Retry after the time in the Retry-After header.",
    504: "The gateway timed out.",
}
# /beta/... and /portal/... of the default tenant, /t/<id>/beta/... and /t/<id>/portal/... of others
FACE_PATH = re.compile(r"^/(?:t/(?P<tenant>[^/]+)/)?(?P<face>beta|v1\.0|portal)(?:/|$)")

Rate = Annotated[float, Field(ge=0, le=1, description="Share of requests that fail, 0..1.")]
Latency = Annotated[int, Field(ge=0, le=30_000, description="Added to every request, in ms.")]


class _Config(BaseModel):
    # Strict, as the OpenAPI document says: a JSON true/false, integer or number; "7" is a 400.
    model_config = ConfigDict(extra="forbid", strict=True)


class GraphFaults(_Config):
    errorRate: Rate = 0.0
    status: Literal[429, 500, 502, 503, 504] = Field(
        429, description="HTTP status of an injected error, answered in Graph's error shape."
    )
    retryAfterSeconds: int = Field(
        1, ge=0, le=3600, description="Sent as Retry-After with 429 and 503."
    )
    latencyMs: Latency = 0


class PortalFaults(_Config):
    errorRate: Rate = 0.0
    status: Literal[500, 502, 503, 504] = 503
    latencyMs: Latency = 0


class FaultConfig(_Config):
    """What `PUT /_sim/tenants/<id>/faults` takes and `GET` answers."""

    graph: GraphFaults | None = None
    portal: PortalFaults | None = None
    seed: int | None = Field(
        None, description="Makes the sequence of injected errors repeatable; random when null."
    )


# Each process replays the seeded sequences up to the positions the database hands it: the last
# state of each (tenant, revision, face) is kept, so the next position costs one draw.
_sequences: OrderedDict[tuple[str, int, str, int], tuple[random.Random, int]] = OrderedDict()
_sequences_lock = threading.Lock()
SEQUENCES_KEPT = 64


def current(tenant: Tenant) -> FaultConfig:
    """The tenant's fault config (all null when none is set)."""
    stored = tenant.faults or {}
    return FaultConfig.model_validate(stored.get("config") or {})


def store(tenant: Tenant, config: FaultConfig | None) -> None:
    """Set (or clear, with None) a tenant's faults, inside the caller's transaction."""
    db.session.flush()
    db.session.refresh(tenant, ["revision"])
    if config is None or (config.graph is None and config.portal is None):
        tenant.faults = None
    else:
        tenant.faults = {"config": config.model_dump(mode="json"), "revision": tenant.revision}


def _draw(tenant_id: str, revision: int, face: str, seed: int | None) -> float:
    """The next number of the face's sequence: random without a seed; with one, the number at
    the next position of `Random(f"{seed}:{face}")`, whichever process draws it."""
    if seed is None:
        return random.random()
    return nth_number(tenant_id, revision, face, seed, next_draw(tenant_id, face, revision))


def nth_number(tenant_id: str, revision: int, face: str, seed: int, position: int) -> float:
    """The `position`-th (from 1) number of the seeded sequence."""
    key = (tenant_id, revision, face, seed)
    with _sequences_lock:
        rng, drawn = _sequences.pop(key, (None, 0))
        if rng is None or drawn >= position:  # new, or another thread went past: replay
            rng, drawn = random.Random(f"{seed}:{face}"), 0
        while drawn < position - 1:
            rng.random()
            drawn += 1
        number = rng.random()
        _sequences[key] = (rng, position)
        while len(_sequences) > SEQUENCES_KEPT:
            _sequences.popitem(last=False)
        return number


def _tenant_for_path(tenant_id: str) -> Tenant | None:
    tenant = g.get("tenant")
    if tenant is not None and tenant.id == tenant_id:
        return tenant
    return db.session.get(Tenant, tenant_id)


def graph_error(status: int, retry_after: int | None) -> Response:
    """An injected failure the way Graph answers one."""
    response = jsonify(
        error={
            "code": GRAPH_CODES[status],
            "message": GRAPH_MESSAGES[status],
            "innerError": {
                "date": iso(datetime.now(UTC)),
                "request-id": str(uuid.uuid4()),
                "client-request-id": request.headers.get("client-request-id", str(uuid.uuid4())),
            },
        }
    )
    response.status_code = status
    if retry_after is not None and status in (429, 503):
        response.headers["Retry-After"] = str(retry_after)
    return response


def portal_error(status: int, company: str) -> Response:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Company Portal</title><style>body{font:16px system-ui,sans-serif;"
        "max-width:28rem;margin:4rem auto;padding:0 1rem;color:#201f1e}"
        "small{color:#605e5c}</style></head><body>"
        f"<h1>Company Portal is temporarily unavailable</h1><p>{escape(company)} Company Portal "
        "couldn't be reached. Try again in a few minutes.</p>"
        f"<p><small>Error {status} (injected by the simulator's fault settings)</small></p>"
        "</body></html>"
    )
    return Response(html, status=status, mimetype="text/html")


def apply_faults() -> Response | None:
    """before_request: add latency and, by the seeded draw, answer with an error."""
    match = FACE_PATH.match(request.path)
    if match is None:
        return None
    tenant = _tenant_for_path(match["tenant"] or "default")
    if tenant is None or not tenant.faults:
        return None
    face = "portal" if match["face"] == "portal" else "graph"
    config = current(tenant)
    faults = getattr(config, face)
    if faults is None:
        return None
    if faults.latencyMs:
        time.sleep(faults.latencyMs / 1000)
    if not faults.errorRate:
        return None
    if _draw(tenant.id, tenant.faults["revision"], face, config.seed) >= faults.errorRate:
        return None
    retry_after = getattr(faults, "retryAfterSeconds", None)
    detail: dict[str, Any] = {"face": face, "status": faults.status, "path": request.path}
    if face == "graph" and faults.status in (429, 503):
        detail["retryAfterSeconds"] = retry_after
    if "Retry-Attempt" in request.headers:  # the Graph SDKs' retry handler numbers its retries
        detail["retryAttempt"] = request.headers["Retry-Attempt"]
    with transaction():
        record(tenant.id, "fault.injected", method=request.method, **detail)
    if face == "graph":
        return graph_error(faults.status, retry_after)
    return portal_error(faults.status, tenant.company)


def register_faults(app: Flask) -> None:
    """Faults fire before every face's own hooks (auth included), as a gateway would."""
    app.before_request(apply_faults)
